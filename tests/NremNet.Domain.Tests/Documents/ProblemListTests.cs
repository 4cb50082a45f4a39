using NremNet.Domain.Documents;

namespace NremNet.Domain.Tests.Documents;

public class ProblemListTests
{
    [Fact]
    public void Text_TooLongWithControlCharacters_BothReported()
    {
        var problems = new ProblemList();

        var passed = problems.Text("title", "abc\u0001def", max: 5, required: true);

        Assert.False(passed);
        Assert.Equal(["title: 7 characters; at most 5", "title: contains control characters"], problems.Items.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("two\nlines", false, true, "")]
    [InlineData("two\nlines", true, false, "one line only")]
    [InlineData("windows\r\nline", false, true, "")]
    [InlineData("windows\r\nline", true, false, "contains control characters")]
    [InlineData("  ", false, false, "required: a title")]
    public void Text_LineBreaks_AllowedUnlessSingleLine(string value, bool singleLine, bool passes, string says)
    {
        var problems = new ProblemList();

        Assert.Equal(passes, problems.Text("title", value, 100, required: true, hint: "a title", singleLine: singleLine));
        Assert.Equal(says, problems.Items.SingleOrDefault()?.Message ?? "");
    }

    [Theory]
    [InlineData("no", true, "")]
    [InlineData("xx", false, "'xx' is not an ISO 639-1 code (two lower-case letters, e.g. en)")]
    [InlineData("EN", false, "'EN' is not an ISO 639-1 code (two lower-case letters, e.g. en)")]
    [InlineData("", false, "required: the ISO 639-1 code of the text's language, two lower-case letters, e.g. en")]
    public void LanguageCode_Code_OnlyIso6391(string code, bool valid, string says)
    {
        var problems = new ProblemList();

        Assert.Equal(valid, problems.LanguageCode("language", code, "the text's language"));
        Assert.Equal(says, problems.Items.SingleOrDefault()?.Message ?? "");
    }

    [Theory]
    [InlineData("NL-Q-2026-0001", "")]
    [InlineData("a.b_c", "")]
    [InlineData("ab", "'ab' is not an id of 3 to 64")]
    [InlineData("-ab", "'-ab' is not an id of 3 to 64")]
    [InlineData("", "required: an id of 3 to 64")]
    public void RecordId_Id_ThreeTo64SafeCharacters(string id, string says)
    {
        var problems = new ProblemList();

        problems.RecordId("id", id, "NL-Q-2026-0003");

        Assert.Equal(says.Length == 0 ? 0 : 1, problems.Items.Count);
        Assert.StartsWith(says, problems.Items.SingleOrDefault()?.Message ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Shown_LongValue_Bounded()
    {
        Assert.Equal(80, ProblemList.Shown(new string('x', 10_000)).Length);
        Assert.Equal("short", ProblemList.Shown("short"));
    }
}
