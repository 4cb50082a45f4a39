using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Tests.Framing;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("100u", 1_000L)]
    [InlineData("1000n", 10L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void TryParse_ReadsEveryUnit(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("100")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData("10x")]
    [InlineData(" 1S")]
    public void TryParse_RejectsMalformedValues(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(1)]
    [InlineData(1_500)]
    [InlineData(86_400_000)]
    [InlineData(31_536_000_000)]
    public void Format_FitsEightDigitsAndNeverShortens(long milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        var text = GrpcTimeout.Format(timeout);
        Assert.True(text.Length <= 9, text);
        Assert.True(GrpcTimeout.TryParse(text, out var parsed));
        Assert.True(parsed >= timeout, $"{text} is shorter than {timeout}");
    }

    [Fact]
    public void Format_RoundsSubMillisecondTimeoutsUpToMicroseconds() =>
        Assert.Equal("2u", GrpcTimeout.Format(TimeSpan.FromTicks(11)));
}
