using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Tests.Framing;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("☺", "%E2%98%BA")]
    [InlineData("😈", "%F0%9F%98%88")]
    public void Encode_EscapesBytesOutsidePrintableAsciiAndPercent(string value, string expected) =>
        Assert.Equal(expected, PercentEncoding.Encode(value));

    [Theory]
    [InlineData("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")]
    [InlineData("a%b%%c")]
    [InlineData("")]
    public void EncodeThenDecode_GivesBackTheText(string value) =>
        Assert.Equal(value, PercentEncoding.Decode(PercentEncoding.Encode(value)));

    [Theory]
    [InlineData("broken %zz sequence", "broken %zz sequence")]
    [InlineData("ends with %4", "ends with %4")]
    [InlineData("ends with %", "ends with %")]
    public void Decode_KeepsBrokenSequences(string value, string expected) =>
        Assert.Equal(expected, PercentEncoding.Decode(value));
}
