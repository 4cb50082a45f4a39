namespace NremNet.Rpc.Tests.Core;

public sealed class MetadataTests
{
    [Fact]
    public void Add_NormalizesKeysToLowerCase()
    {
        var metadata = new Metadata { { "X-Country", "NL" } };
        Assert.Equal("x-country", metadata[0].Key);
        Assert.Equal("NL", metadata.GetValue("x-country"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("colon:")]
    [InlineData("")]
    public void Add_RejectsKeysOutsideTheAllowedCharacters(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new Metadata { { key, "v" } });

    [Fact]
    public void Add_StringValueUnderBinaryKey_IsRefusedWithTheReason()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Metadata { { "trace-bin", "text" } });
        Assert.Contains("-bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_BytesUnderAsciiKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new Metadata { { "trace", new byte[] { 1 } } });

    [Fact]
    public void Add_NonPrintableAsciiValue_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new Metadata { { "note", "line\nbreak" } });

    [Fact]
    public void Freeze_MakesTheInstanceReadOnly()
    {
        var metadata = new Metadata { { "a", "1" } }.Freeze();
        Assert.Throws<InvalidOperationException>(() => metadata.Add("b", "2"));
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("b", "2"));
    }

    [Fact]
    public void Get_ReturnsTheLastEntryWithTheKey()
    {
        var metadata = new Metadata { { "k", "first" }, { "k", "second" } };
        Assert.Equal("second", metadata.GetValue("k"));
        Assert.Equal(["first", "second"], metadata.GetAll("k").Select(e => e.Value));
    }
}
