using System.Text.RegularExpressions;
using NremNet.Cli.Cli;
using NremNet.Cli.Federation;
using NremNet.Cli.Questions;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Tests.Practices;

/// <summary>The question verbs end to end over gRPC, against stand-in nodes NL, SE and FI (<see cref="DocumentNodes"/>).</summary>
public sealed partial class QuestionCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private DocumentNodes _nodes = null!;

    private CliRunner Cli => _nodes.Cli;

    public async ValueTask InitializeAsync() => _nodes = await DocumentNodes.StartAsync(_folder, log, ["NL", "SE", "FI"]);

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Template_IsAValidQuestionWithEveryAnswerType()
    {
        var run = await Cli.SucceedAsync("question", "template");

        var parsed = QuestionFile.Parse(run.Console, DateTimeOffset.UtcNow);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Problems));
        Assert.Equal(Enum.GetValues<AnswerType>().Where(t => t != AnswerType.Unspecified), parsed.Value.Items.Select(i => i.Type).Distinct().Order());
        Assert.StartsWith("SYNTHETIC EXAMPLE", parsed.Value.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskListAnswerShowCompile_NlAsksEveryMember_SeAnswersFromTheTemplate_NlCompiles()
    {
        var ask = await Cli.RunAsync("question", "ask", Write("q.yaml", "title: no items\nlanguage: en\n"));
        Assert.Equal(ExitCodes.CheckFailed, ask.ExitCode);
        Assert.Contains(ask.Table("Problems in q.yaml").Rows, r => r[1] == "items" && r[2] == "at least one item");

        var question = SampleDocuments.Questions(DateTimeOffset.UtcNow, ["NL", "SE", "FI"]).Single(q => q.AskingCountry == "NL");
        var asked = await Cli.SucceedAsync("question", "ask", Write("refusals.yaml", question.File));
        var id = Assert.Single(_nodes.Store.Documents.Keys);
        Assert.Contains(asked.Output.Successes, s => s == $"Asked question {id} of every member: {question.Title}");
        Assert.Contains(asked.Output.Lines, l => l.Contains("Answers are due ", StringComparison.Ordinal) && l.Contains("(in 2", StringComparison.Ordinal));

        var list = await Cli.SucceedAsync("question", "list", "--node", "SE", "--awaiting");
        var table = list.Table("Network questions on SE");
        Assert.Equal(ListQuestionsCommand.Headers, table.Headers);
        Assert.Equal("NL", table.Cell("…" + id[^8..], "asked by"));
        Assert.Equal("to answer", table.Cell("…" + id[^8..], "this node"));
        Assert.Equal("0 of 2", table.Cell("…" + id[^8..], "answers"));

        // SE fills in the template: each value, declining the number, the free text for NL only.
        var template = (await Cli.SucceedAsync("question", "answer-template", id[^8..], "--node", "SE")).Console;
        Assert.Contains($"question: \"{id}\"", template, StringComparison.Ordinal);
        Assert.Contains("# q3: Which support can a presumed victim receive before formal identification?", template, StringComparison.Ordinal);
        Assert.Contains("#   Answered with a whole number of presumed victims, at least 0.", template, StringComparison.Ordinal);
        var empty = await Cli.RunAsync("question", "answer", id, Write("empty.yaml", template), "--node", "SE");
        Assert.Equal(ExitCodes.CheckFailed, empty.ExitCode);
        Assert.Equal(5, empty.Table("Problems in empty.yaml").Rows.Count(r => r[1].EndsWith(".value", StringComparison.Ordinal)));

        string?[] values = ["yes", "multi_agency", "[shelter, legal]", null, "\"SYNTHETIC answer: fear of the recruiters.\""];
        var item = 0;
        var filled = AnsweredLines().Replace(template, _ => values[item++] is { } value
            ? $"  status: ANSWERED\n  value: {value}"
            : "  status: DECLINED\n  reason: \"SYNTHETIC: no figure is collected on this.\"");
        var last = filled.LastIndexOf("  # dissemination: ASKER_ONLY", StringComparison.Ordinal);
        filled = string.Concat(filled.AsSpan(0, last), "  dissemination: ASKER_ONLY", filled.AsSpan(last + "  # dissemination: ASKER_ONLY".Length));
        var answered = await Cli.SucceedAsync("question", "answer", id[^8..], Write("answer.yaml", filled), "--node", "SE");
        Assert.Contains(answered.Output.Successes, s => s == $"SE answered question {id} (answer version 1): 4 of 5 items answered, 1 declined.");
        Assert.Contains(answered.Output.Lines, l => l == "  1 item sealed for NL only; every member reads the rest.");

        var notAsked = await Cli.RunAsync("question", "answer", id, Write("again.yaml", filled), "--node", "NL");
        Assert.Equal(ExitCodes.Conflict, notAsked.ExitCode);
        Assert.Contains("NL asked question", notAsked.ErrorText, StringComparison.Ordinal);

        var shown = await Cli.SucceedAsync("question", "show", id, "--node", "SE");
        Assert.Equal(question.Title, shown.Table($"Question …{id[^8..]} of NL").Cell("title", "value"));
        Assert.Equal(5, shown.Table("Items").Rows.Count);
        Assert.Equal("answered", shown.Table("Recipients, as SE holds their answers").Cell("SE", "status"));
        Assert.Equal("pending", shown.Table("Recipients, as SE holds their answers").Cell("FI", "status"));
        var own = shown.Table("SE's answer");
        Assert.Equal("Shelter, Legal aid", own.Cell("q3", "answer"));
        Assert.StartsWith("declined: ", own.Cell("q4", "answer"), StringComparison.Ordinal);
        Assert.Equal("NL only", own.Cell("q5", "read by"));

        var markdown = _folder.Combine("compiled");
        System.IO.Directory.CreateDirectory(markdown);
        var compiled = await Cli.SucceedAsync("question", "compile", id, "--out", markdown);
        Assert.Contains(compiled.Output.Successes, s => s.StartsWith($"Wrote the compilation of question {id} to {Path.Combine(markdown, $"question-{id}.md")}", StringComparison.Ordinal));
        Assert.Contains(compiled.Output.Warnings, w => w.Contains("sealed for NL as the asker", StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(Path.Combine(markdown, $"question-{id}.md"), TestContext.Current.CancellationToken);
        Assert.Contains("not official positions", text, StringComparison.Ordinal);
        Assert.Contains("fear of the recruiters", text, StringComparison.Ordinal);

        // FI is not the asker: SE's answer for NL only is not in FI's compilation.
        var csv = await Cli.SucceedAsync("question", "compile", id, "--format", "csv", "--node", "FI");
        Assert.DoesNotContain("fear of the recruiters", csv.Console, StringComparison.Ordinal);
        Assert.Contains("SE", csv.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AsTheAdmin_PermissionDeniedSaysWhichRoleItTakes_AndWithdrawKeepsTheQuestionMarked()
    {
        var question = SampleDocuments.Questions(DateTimeOffset.UtcNow).Single(q => q.AskingCountry == "SE");
        var refused = await Cli.RunAsync("question", "ask", Write("q.yaml", question.File), "--profile", "SE-admin");
        Assert.Equal(ExitCodes.PermissionDenied, refused.ExitCode);
        Assert.Contains("takes a rapporteur (or editor) account", refused.ErrorText, StringComparison.Ordinal);

        await Cli.SucceedAsync("question", "ask", Write("q.yaml", question.File), "--node", "SE");
        var id = Assert.Single(_nodes.Store.Documents.Keys);
        var withdrawn = await Cli.SucceedAsync("question", "withdraw", id[^8..], "--reason", "SYNTHETIC: asked twice", "--node", "SE");
        Assert.Contains(withdrawn.Output.Successes, s => s.StartsWith($"Withdrew question {id}", StringComparison.Ordinal));
        var shown = await Cli.SucceedAsync("question", "show", id);
        Assert.StartsWith("WITHDRAWN by SE on ", shown.Output.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("WITHDRAWN", shown.Table($"Question …{id[^8..]} of SE").Cell("status", "value"));
    }

    private string Write(string name, string text)
    {
        var path = _folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"^  status: ANSWERED\n  value:$", RegexOptions.Multiline)]
    private static partial Regex AnsweredLines();
}
