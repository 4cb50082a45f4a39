using System.Text.Json;
using System.Text.RegularExpressions;
using NremNet.Cli.Cli;
using NremNet.Cli.Federation;
using NremNet.Cli.Questions;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Tests.Practices;

/// <summary>The question verbs end to end, against real nodes NL, SE and FI that replicate between them (<see cref="TestNetwork"/>).</summary>
public sealed partial class QuestionCommandsTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] Countries = ["NL", "SE", "FI"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Template_IsAValidQuestionWithEveryAnswerType()
    {
        var run = await new CliRunner(_folder.Combine("profiles.json"), log).SucceedAsync("question", "template");

        var parsed = QuestionFile.Parse(run.Console, DateTimeOffset.UtcNow);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Problems));
        Assert.Equal(Enum.GetValues<AnswerType>().Where(t => t != AnswerType.Unspecified), parsed.Value.Items.Select(i => i.Type).Distinct().Order());
        Assert.StartsWith("SYNTHETIC EXAMPLE", parsed.Value.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskListAnswerShowCompileWithdraw_NlAsksEveryMember_SeAnswersFromTheTemplate_NlCompiles_SeWithdrawsItsOwn()
    {
        await using var network = await TestNetwork.StartAsync(_folder, log, Countries);
        var cli = network.Cli;
        var year = DateTimeOffset.UtcNow.Year;

        var ask = await cli.RunAsync("question", "ask", Write("q.yaml", "title: no items\nlanguage: en\n"));
        Assert.Equal(ExitCodes.CheckFailed, ask.ExitCode);
        Assert.Contains(ask.Table("Problems in q.yaml").Rows, r => r[1] == "items" && r[2] == "at least one item");

        var questions = SampleDocuments.Questions(DateTimeOffset.UtcNow, Countries);
        var question = questions.Single(q => q.AskingCountry == "NL");
        var asked = await cli.SucceedAsync("question", "ask", Write("refusals.yaml", question.File));
        var id = $"NL-Q-{year}-0001";
        Assert.Contains(asked.Output.Successes, s => s == $"Asked question {id} of every member: {question.Title}");
        Assert.Contains(asked.Output.Lines, l => l.Contains("Answers are due ", StringComparison.Ordinal) && l.Contains("(in 2", StringComparison.Ordinal));

        // SE holds it once it has pulled it from NL: a question for SE to answer.
        RecordedTable table = null!;
        await Eventually.UntilAsync(
            async () =>
            {
                var list = await cli.SucceedAsync("question", "list", "--node", "SE", "--awaiting");
                table = list.Output.Tables.FirstOrDefault(t => t.Title == "Network questions on SE")!;
                return table is not null;
            },
            "SE to take NL's question");
        Assert.Equal(ListQuestionsCommand.Headers, table.Headers);
        Assert.Equal("NL", table.Cell(id, "asked by"));
        Assert.Equal("to answer", table.Cell(id, "this node"));
        Assert.Equal("0 of 2", table.Cell(id, "answers"));

        // SE fills in the template: each value, declining the number, the free text for NL only.
        var template = (await cli.SucceedAsync("question", "answer-template", id, "--node", "SE")).Console;
        Assert.Matches($"(?m)^question: \"?{id}\"?$", template);
        Assert.Contains("# q3: Which support can a presumed victim receive before formal identification?", template, StringComparison.Ordinal);
        Assert.Contains("#   Answered with a whole number of presumed victims, at least 0.", template, StringComparison.Ordinal);
        var empty = await cli.RunAsync("question", "answer", id, Write("empty.yaml", template), "--node", "SE");
        Assert.Equal(ExitCodes.CheckFailed, empty.ExitCode);
        Assert.Equal(5, empty.Table("Problems in empty.yaml").Rows.Count(r => r[1].EndsWith(".value", StringComparison.Ordinal)));

        string?[] values = ["yes", "multi_agency", "[shelter, legal]", null, "\"SYNTHETIC answer: fear of the recruiters.\""];
        var item = 0;
        var filled = AnsweredLines().Replace(template, _ => values[item++] is { } value
            ? $"  status: ANSWERED\n  value: {value}"
            : "  status: DECLINED\n  reason: \"SYNTHETIC: no figure is collected on this.\"");
        var last = filled.LastIndexOf("  # dissemination: ASKER_ONLY", StringComparison.Ordinal);
        filled = string.Concat(filled.AsSpan(0, last), "  dissemination: ASKER_ONLY", filled.AsSpan(last + "  # dissemination: ASKER_ONLY".Length));

        // The node reads the answer's free text for personal data when it is sent: each finding refused with its fingerprint, until confirmed.
        var personal = Write("personal.yaml", filled.Replace("fear of the recruiters.", "fear of the recruiters, says maria.lopez@mail.example.com.", StringComparison.Ordinal));
        var refusedAnswer = await cli.RunAsync("question", "answer", id, personal, "--node", "SE");
        Assert.Equal(ExitCodes.CheckFailed, refusedAnswer.ExitCode);
        Assert.Contains("items[4].value: e-mail address", refusedAnswer.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("maria.lopez", refusedAnswer.ErrorText, StringComparison.Ordinal);
        Assert.Contains($"'nremnet question answer {id} {personal} --confirm FINGERPRINT ...'", refusedAnswer.ErrorText, StringComparison.Ordinal);
        Assert.Equal(0, await AnswersAsync(cli, "SE", id));

        var answered = await cli.SucceedAsync("question", "answer", id, Write("answer.yaml", filled), "--node", "SE");
        Assert.Contains(answered.Output.Successes, s => s == $"SE answered question {id} (answer version 1): 4 of 5 items answered, 1 declined.");
        Assert.Contains(answered.Output.Lines, l => l == "  1 item sealed for NL only; every member reads the rest.");

        var notAsked = await cli.RunAsync("question", "answer", id, Write("again.yaml", filled), "--node", "NL");
        Assert.Equal(ExitCodes.Conflict, notAsked.ExitCode);
        Assert.Contains($"NL asked question {id}", notAsked.ErrorText, StringComparison.Ordinal);

        var shown = await cli.SucceedAsync("question", "show", id, "--node", "SE");
        Assert.Equal(question.Title, shown.Table($"Question {id} of NL").Cell("title", "value"));
        Assert.Equal(5, shown.Table("Items").Rows.Count);
        Assert.Equal("answered", shown.Table("Recipients, as SE holds their answers").Cell("SE", "status"));
        Assert.Equal("pending", shown.Table("Recipients, as SE holds their answers").Cell("FI", "status"));
        var own = shown.Table("SE's answer");
        Assert.Equal("Shelter, Legal aid", own.Cell("q3", "answer"));
        Assert.StartsWith("declined: ", own.Cell("q4", "answer"), StringComparison.Ordinal);
        Assert.Equal("NL only", own.Cell("q5", "read by"));
        Assert.Contains("fear of the recruiters", own.Cell("q5", "answer"), StringComparison.Ordinal);

        // NL, the asker, compiles once it holds SE's answer: the item sealed for NL is opened there.
        await Eventually.UntilAsync(async () => await AnswersAsync(cli, "NL", id) == 1, "NL to take SE's answer");
        var markdown = _folder.Combine("compiled");
        System.IO.Directory.CreateDirectory(markdown);
        var compiled = await cli.SucceedAsync("question", "compile", id, "--out", markdown);
        var written = Path.Combine(markdown, $"{id}-compilation.md");
        Assert.Contains(compiled.Output.Successes, s => s == $"Wrote the compilation of question {id} to {written}: 1 answer held by NL.");
        Assert.Contains(compiled.Output.Warnings, w => w.Contains("sealed for NL as the asker", StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(written, TestContext.Current.CancellationToken);
        Assert.Contains("not official positions", text, StringComparison.Ordinal);
        Assert.Contains("fear of the recruiters", text, StringComparison.Ordinal);

        // FI is not the asker: SE's answer for NL only is not in FI's compilation.
        await Eventually.UntilAsync(async () => await AnswersAsync(cli, "FI", id) == 1, "FI to take SE's answer");
        var csv = await cli.SucceedAsync("question", "compile", id, "--format", "csv", "--node", "FI");
        Assert.DoesNotContain("fear of the recruiters", csv.Console, StringComparison.Ordinal);
        Assert.Contains("SE", csv.Console, StringComparison.Ordinal);

        // Asking takes a rapporteur; SE's rapporteur asks, then withdraws its question, and NL sees it marked.
        var residence = questions.Single(q => q.AskingCountry == "SE");
        var refused = await cli.RunAsync("question", "ask", Write("residence.yaml", residence.File), "--profile", "SE-admin");
        Assert.Equal(ExitCodes.PermissionDenied, refused.ExitCode);
        Assert.Contains("takes a rapporteur (or editor) account", refused.ErrorText, StringComparison.Ordinal);
        await cli.SucceedAsync("question", "ask", Write("residence.yaml", residence.File), "--node", "SE");
        var seId = $"SE-Q-{year}-0001";
        var withdrawn = await cli.SucceedAsync("question", "withdraw", seId, "--reason", "SYNTHETIC: asked twice", "--node", "SE");
        Assert.Contains(withdrawn.Output.Successes, s => s.StartsWith($"Withdrew question {seId} (version 2", StringComparison.Ordinal));
        await Eventually.UntilAsync(async () => await StatusAsync(cli, "NL", seId) == "QUESTION_STATUS_WITHDRAWN", "NL to take SE's withdrawal");
        var marked = await cli.SucceedAsync("question", "show", seId);
        Assert.StartsWith("WITHDRAWN by SE on ", marked.Output.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("WITHDRAWN", marked.Table($"Question {seId} of SE").Cell("status", "value"));
        var late = await cli.RunAsync("question", "answer", seId, Write("late.yaml", filled), "--node", "NL");
        Assert.Equal(ExitCodes.Conflict, late.ExitCode);
        Assert.Contains($"Question {seId} was withdrawn by SE on ", late.ErrorText, StringComparison.Ordinal);
        Assert.Contains("it takes no answers. Reason: SYNTHETIC: asked twice", late.ErrorText, StringComparison.Ordinal);
    }

    /// <summary>How many answers to a question a node holds, or -1 when it does not hold the question.</summary>
    private static async Task<int> AnswersAsync(CliRunner cli, string node, string id) =>
        await ListedAsync(cli, node, id) is { } question ? question.GetProperty("answers").GetInt32() : -1;

    /// <summary>A question's status as a node lists it (proto JSON), or null when it does not hold it.</summary>
    private static async Task<string?> StatusAsync(CliRunner cli, string node, string id) =>
        (await ListedAsync(cli, node, id))?.GetProperty("status").GetString();

    /// <summary>A question as a node lists it (<c>question list --json</c>), or null when it does not hold it.</summary>
    private static async Task<JsonElement?> ListedAsync(CliRunner cli, string node, string id) =>
        (await cli.SucceedAsync("--json", "question", "list", "--node", node)).Json.GetProperty("questions").EnumerateArray()
            .Where(q => q.GetProperty("version").GetProperty("documentId").GetString() == id)
            .Select(q => (JsonElement?)q)
            .FirstOrDefault();

    private string Write(string name, string text)
    {
        var path = _folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"^  status: ANSWERED\n  value:$", RegexOptions.Multiline)]
    private static partial Regex AnsweredLines();
}
