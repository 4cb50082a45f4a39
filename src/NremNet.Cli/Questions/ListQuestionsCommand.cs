using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Questions;

/// <summary><c>nremnet question list [--open] [--awaiting]</c>: the network questions this node holds, newest first.</summary>
internal sealed class ListQuestionsCommand : DocumentVerb
{
    /// <summary>The table's columns.</summary>
    public static readonly IReadOnlyList<string> Headers = ["id", "asked by", "title", "deadline", "status", "this node", "answers"];

    private readonly Option<bool> _open = new("--open") { Description = "Only questions still open (before their deadline)." };
    private readonly Option<bool> _awaiting = new("--awaiting") { Description = "Only questions put to this node that it has not answered yet." };

    public ListQuestionsCommand(CliContext context)
        : base(context, "list", "List the network questions this node holds, newest first: who asked, the deadline, whether it is open, what it asks of this node (to answer, answered, OVERDUE) and how many answers have come in.", role: null)
    {
        Options.Add(_open);
        Options.Add(_awaiting);
    }

    /// <summary>A question's row.</summary>
    public static IReadOnlyList<string> Row(QuestionSummary question, string node, DateTimeOffset now) =>
    [
        DocumentIds.Short(question.Version.DocumentId),
        question.Version.OwnerCountry,
        question.Title,
        QuestionText.DeadlineDay(CliValues.At(question.Deadline), now),
        QuestionText.Status(question.Status),
        QuestionText.ForNode(question, node),
        $"{question.Answers.ToString(CultureInfo.InvariantCulture)} of {question.Recipients.ToString(CultureInfo.InvariantCulture)}",
    ];

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ListQuestionsRequest { OpenOnly = parse.GetValue(_open), AwaitingThisNode = parse.GetValue(_awaiting) };
        using var session = Open(parse);
        var response = await session.Questions.ListQuestionsAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var node = session.Profile.Node;
        if (response.Questions.Count == 0)
        {
            Output.Line(request.AwaitingThisNode ? $"No question waits for an answer from {node}."
                : request.OpenOnly ? $"{node} holds no open question."
                : $"{node} holds no network question yet. Ask one with 'nremnet question ask FILE' (start from 'nremnet question template').");
            return ExitCodes.Ok;
        }

        var now = Context.Time.GetUtcNow();
        Output.Table($"Network questions on {node}", Headers, response.Questions.Select(q => Row(q, node, now)));
        var waiting = response.Questions.Count(q => q.ForThisNode && !q.AnsweredByThisNode && q.Status == QuestionStatus.Open);
        if (waiting > 0)
        {
            Output.Line($"{DocumentText.Count(waiting, "question")} to answer from {node}: 'nremnet question answer-template ID > answer.yaml', fill it in, then 'nremnet question answer ID answer.yaml'.");
        }

        Output.Line("'nremnet question show ID' shows one with each recipient's status; ID may be the end of the id as shown.");
        return ExitCodes.Ok;
    }
}
