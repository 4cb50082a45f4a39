using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Questions;

/// <summary>
/// <c>nremnet question show ID [--file]</c>: one network question — what it asks, by when, of whom — with each
/// recipient's status and this node's own answer.
/// </summary>
internal sealed class ShowQuestionCommand : DocumentVerb
{
    /// <summary>The items table's columns.</summary>
    public static readonly IReadOnlyList<string> ItemHeaders = ["item", "question", "answered with", "instruction"];

    /// <summary>The recipients table's columns.</summary>
    public static readonly IReadOnlyList<string> RecipientHeaders = ["country", "status", "answer", "signed"];

    private readonly Argument<string> _id = new("id") { Description = "The question's id, or its last characters as 'question list' shows them." };
    private readonly Option<bool> _file = new("--file") { Description = "Print the question file exactly as asked." };
    private readonly Option<bool> _answer = new("--answer") { Description = "Print this node's answer file as it sent it (with its items for the asker only), e.g. to change it and answer again." };

    public ShowQuestionCommand(CliContext context)
        : base(context, "show", "Show one network question: title, who asked, the deadline and whether it has passed, the background, each item with how it is answered, each recipient's status (answered, declined, pending, overdue), and this node's own answer.", role: null)
    {
        Arguments.Add(_id);
        Options.Add(_file);
        Options.Add(_answer);
    }

    /// <summary>The question's items, one row each.</summary>
    public static IEnumerable<IReadOnlyList<string>> Items(NetworkQuestion question) =>
        question.Items.Select(i => (IReadOnlyList<string>)[i.Id, i.Text, QuestionText.AnswerFormLines(i), i.Instruction ?? "—"]);

    /// <summary>Each recipient's row.</summary>
    public static IEnumerable<IReadOnlyList<string>> Recipients(GetQuestionResponse response) =>
        response.Recipients.OrderBy(r => r.Country, StringComparer.Ordinal).Select(r => (IReadOnlyList<string>)
        [
            r.Country,
            r.Status.Length == 0 ? "—" : r.Status,
            r.Answer is { Version: > 0 } answer ? $"version {answer.Version}{(answer.State == Contracts.Practices.V1.DocumentState.Published ? string.Empty : ", " + DocumentText.State(answer.State))}" : "—",
            r.Answer is { Version: > 0 } signed ? CliValues.Time(signed.SignedAt) : "—",
        ]);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.QuestionIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var summary = response.Summary ?? new QuestionSummary();
        var version = summary.Version ?? new DocumentVersion();
        if (parse.GetValue(_file))
        {
            if (response.File.Length == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"Question {id} was erased by {version.OwnerCountry}: no node holds its content any more.");
            }

            await WriteDocumentAsync(parse, response.File, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (parse.GetValue(_answer))
        {
            if (response.OwnAnswerFile.Length == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"{session.Profile.Node} has not answered question {id}.");
            }

            await WriteDocumentAsync(parse, response.OwnAnswerFile, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (DocumentText.Tombstone(version) is { } tombstone)
        {
            Output.Warning(tombstone);
        }

        if (DocumentText.Inactive(version) is { } inactive)
        {
            Output.Warning(inactive);
        }

        var node = session.Profile.Node;
        var now = Context.Time.GetUtcNow();
        var question = QuestionText.Read(response);
        Output.Table($"Question {DocumentIds.Short(id)} of {version.OwnerCountry}", ["field", "value"],
        [
            ["title", summary.Title.Length > 0 ? summary.Title : question?.Title ?? "—"],
            ["id", id],
            ["asked by", $"{version.OwnerCountry}, signed {CliValues.Time(version.SignedAt)} (version {version.Version})"],
            ["deadline", QuestionText.Deadline(CliValues.At(summary.Deadline), now)],
            ["status", QuestionText.Status(summary.Status)],
            ["put to", question is null ? $"{summary.Recipients} countries" : QuestionText.Recipients(question.Recipients)],
            ["for this node", QuestionText.ForNode(summary, node)],
            ["answers held", $"{summary.Answers} of {summary.Recipients}"],
            ["language", question?.Language ?? "—"],
        ]);

        if (question is not null)
        {
            if (question.Background.Length > 0)
            {
                Output.Line("── Background ──");
                Output.Line(DocumentText.Readable(question.Background));
            }

            Output.Table("Items", ItemHeaders, Items(question).Select(r => (IReadOnlyList<string>)[.. r.Select(DocumentText.Safe)]));
        }

        if (response.Recipients.Count > 0)
        {
            Output.Table($"Recipients, as {node} holds their answers", RecipientHeaders, Recipients(response));
        }

        ShowOwnAnswer(response, question, version.OwnerCountry, node);
        var shortId = DocumentIds.Short(id).TrimStart('…');
        if (summary.ForThisNode && summary.Status == QuestionStatus.Open)
        {
            Output.Line(summary.AnsweredByThisNode
                ? $"To change {node}'s answer: 'nremnet question show {shortId} --answer > answer.yaml', edit it, then 'nremnet question answer {shortId} answer.yaml' (a new version)."
                : $"To answer: 'nremnet question answer-template {shortId} > answer.yaml', fill it in, then 'nremnet question answer {shortId} answer.yaml'.");
        }

        Output.Line($"The compiled answers: 'nremnet question compile {shortId}' (Markdown, or --format csv or json).");
        return ExitCodes.Ok;
    }

    private void ShowOwnAnswer(GetQuestionResponse response, NetworkQuestion? question, string asker, string node)
    {
        if (response.OwnAnswerFile.Length == 0)
        {
            return;
        }

        if (question is null || AnswerFile.Parse(response.OwnAnswerFile, question).Value is not { } answer)
        {
            Output.Line($"{node}'s answer, as sent:");
            Output.Line(DocumentText.Safe(response.OwnAnswerFile));
            return;
        }

        Output.Table($"{node}'s answer", ["item", "answer", "read by"], answer.Items.Select(a => (IReadOnlyList<string>)
        [
            a.ItemId,
            DocumentText.Safe(QuestionText.Answer(question.FindItem(a.ItemId), a)),
            QuestionText.Dissemination(a.Dissemination, asker),
        ]));
    }
}
