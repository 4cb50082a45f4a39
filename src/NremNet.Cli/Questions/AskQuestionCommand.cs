using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Questions;

/// <summary>
/// <c>nremnet question ask FILE</c>: puts a question to the network (or to chosen countries) after the node's check
/// (CheckQuestion) passes: every problem and every personal-data finding is shown at once.
/// </summary>
internal sealed class AskQuestionCommand : DocumentVerb
{
    private readonly Argument<string> _file = new("file") { Description = "The question file (YAML; '-': standard input). 'nremnet question template' prints one to start from." };
    private readonly Option<string[]> _confirm = new("--confirm") { Description = "The fingerprint of a personal-data finding you have checked and mean to send, as the check lists it; repeat it or separate with commas. Recorded in the node's audit log." };

    public AskQuestionCommand(CliContext context)
        : base(context, "ask", "Put a question to the network or to chosen countries (rapporteur), from a question file: title, background, deadline, recipients and items with coded answer types. The node checks it first: every problem is listed with its line and field, every passage that may be personal data with its fingerprint; nothing is sent until there is no problem and each finding is edited away or confirmed with --confirm (exit code 8 otherwise).", DocumentProfile.Writer)
    {
        Arguments.Add(_file);
        Options.Add(_confirm);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(_file)!;
        var (name, text) = await ReadFileAsync(file, "Start from 'nremnet question template'.", cancellationToken).ConfigureAwait(false);
        var confirmed = Values(parse, _confirm);
        using var session = Open(parse);
        var check = await session.Questions.CheckQuestionAsync(new CheckQuestionRequest { File = text }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var outcome = new DocumentCheck(check.Problems, check.Findings, confirmed);
        if (!outcome.Passed)
        {
            return WroteJson(check) ? ExitCodes.CheckFailed : outcome.Report(Output, name, "sent", $"nremnet question ask {file}");
        }

        var question = QuestionFile.Parse(text).Value;
        if (question is { Id.Length: > 0 })
        {
            throw new CliException(ExitCodes.Usage, $"{file} has id {question.Id}: that question was asked already. Remove the id line to ask it as a new question.");
        }

        var request = new AskQuestionRequest { File = text, ConfirmedFindings = { confirmed.Where(c => check.Findings.Any(f => f.Fingerprint == c)) } };
        var response = await session.Questions.AskQuestionAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var id = response.Version.DocumentId;
        var shortId = DocumentIds.Short(id).TrimStart('…');
        Output.Success($"Asked question {id} of {(question is null ? "the network" : QuestionText.Recipients(question.Recipients))}: {question?.Title}");
        if (question is not null)
        {
            Output.Line($"  Answers are due {QuestionText.Deadline(question.Deadline, Context.Time.GetUtcNow())}; each recipient sees it as open, then overdue.");
        }

        Output.Line($"  Follow the answers with 'nremnet question show {shortId}'; 'nremnet question compile {shortId}' compiles what has come in.");
        return ExitCodes.Ok;
    }
}
