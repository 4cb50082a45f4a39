using NremNet.Domain.Documents;

namespace NremNet.Domain.Tests.Documents;

public class DocumentReadingTests
{
    private static readonly string[] AbKeys = ["a", "b"];

    [Fact]
    public void ToString_Problem_ShowsLinePathAndMessage()
    {
        var problem = new DocumentProblem("items[0].options", "1 options; a choice offers at least 2") { Line = 9 };

        Assert.Equal("line 9: items[0].options: 1 options; a choice offers at least 2", problem.ToString());
        Assert.Equal("items[0].options: 1 options; a choice offers at least 2", (problem with { Line = null }).ToString());
        Assert.Equal("line 1: the file is empty", new DocumentProblem("", "the file is empty") { Line = 1 }.ToString());
    }

    [Fact]
    public void Load_TwoAliases_EachReportedWithItsLine()
    {
        var reading = new DocumentReading();

        var root = reading.Load("a: &x 1\nb: *x\nc: [*x]\n", "empty", lineOffset: 10);

        Assert.Null(root);
        Assert.Equal(
            ["line 12: aliases (*x) are not allowed: write the value out", "line 13: aliases (*x) are not allowed: write the value out"],
            reading.Failed<object>().Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Load_NestingAtTheLimit_ReadOneDeeperRefused()
    {
        static string Nested(int lists) => "a: " + new string('[', lists) + "1" + new string(']', lists) + "\n";

        // The root mapping is level 1 and the scalar the last, so MaxDepth - 2 lists fit between them.
        var atLimit = new DocumentReading();
        var tooDeep = new DocumentReading();

        Assert.NotNull(atLimit.Load(Nested(YamlTree.MaxDepth - 2), "empty"));
        Assert.Null(tooDeep.Load(Nested(YamlTree.MaxDepth - 1), "empty"));
        Assert.Equal($"line 1: nested deeper than {YamlTree.MaxDepth} levels", Assert.Single(tooDeep.Failed<object>().Problems).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("~\n")]
    [InlineData("# a comment only\n")]
    public void Load_NoValue_TheEmptyMessageAtTheMarkedLine(string text)
    {
        var reading = new DocumentReading();
        reading.Mark("", 4);

        Assert.Null(reading.Load(text, "the file is empty; it holds a record"));
        Assert.Equal("line 4: the file is empty; it holds a record", Assert.Single(reading.Failed<object>().Problems).ToString());
    }

    [Fact]
    public void Fields_UnknownRepeatedAndMiscasedKeys_EachReported()
    {
        var reading = new DocumentReading();
        var root = reading.Load("a: first\nA: x\na: second\ncolour: blue\n", "empty")!;

        var fields = reading.Fields(root, "", "a record", AbKeys)!;

        Assert.Equal("first", fields.Text("a"));
        Assert.Equal([("a", 1)], fields.Given.Select(g => (g.Key, g.Value.Line)));
        Assert.Equal(
            [
                "line 2: A: unknown key 'A': keys are lower case, write 'a'",
                "line 3: a: 'a' is given more than once",
                "line 4: colour: unknown key 'colour'; the keys here are a, b",
            ],
            reading.Failed<object>().Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Load_PlainScalars_TypedAsYaml12()
    {
        var reading = new DocumentReading();
        var root = reading.Load("- no\n- true\n- \"true\"\n- 1.5e3\n- '7'\n- ~\n- 0x1F\n", "empty")!;

        Assert.Equal(
            ["the text 'no'", "true", "the text 'true'", "the number 1.5e3", "the text '7'", "nothing", "the number 0x1F"],
            root.Items.Select(i => i.Describe()));
    }

    [Fact]
    public void Finish_RuleProblemUnderABrokenPath_LeftOutTheOthersGetTheirKeysLine()
    {
        var reading = new DocumentReading();
        var root = reading.Load("a:\n  - 1\n  - x: 2\nb: text\n", "empty")!;
        var fields = reading.Fields(root, "", "a record", AbKeys)!;
        var items = fields.List("a", "a list")!;
        reading.Wrong(items[0], "a[0]", "a mapping");

        var result = reading.Finish(new object(), [new DocumentProblem("a[0].x", "required"), new DocumentProblem("a[1].x", "too small"), new DocumentProblem("b", "too short")]);

        Assert.False(result.Succeeded);
        Assert.Equal(
            ["line 2: a[0]: expected a mapping, found the number 1", "line 3: a[1].x: too small", "line 4: b: too short"],
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Finish_NoProblem_TheValue()
    {
        var reading = new DocumentReading();
        var value = new object();

        var result = reading.Finish(value, []);

        Assert.True(result.Succeeded);
        Assert.Same(value, result.Value);
        Assert.Empty(result.Problems);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("-1.5")]
    [InlineData("a: b # c")]
    [InlineData("two\nlines\n")]
    [InlineData("carriage\r\nreturn")]
    [InlineData("  leading spaces")]
    public void Write_AwkwardText_ReadsBackTheSame(string text)
    {
        var writer = new YamlWriter();
        writer.Text("a", text);
        writer.StartList("b", flow: true);
        writer.Text(text);
        writer.EndList();
        var reading = new DocumentReading();

        var fields = reading.Fields(reading.Load(writer.Finish(), "empty")!, "", "a record", AbKeys)!;

        Assert.Equal(text, fields.Text("a"));
        Assert.Equal(text, reading.Text(Assert.Single(fields.List("b", "a list")!), "b[0]"));
    }
}
