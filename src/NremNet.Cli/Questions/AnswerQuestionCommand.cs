using System.CommandLine;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Questions;

/// <summary>
/// <c>nremnet question answer ID FILE</c>: answers a question put to this node, from an answer file checked here
/// against the question (every problem with its line, nothing sent while there is any); the node checks the free
/// text for personal data and signs the answer, sealing the items for the asker only.
/// </summary>
internal sealed class AnswerQuestionCommand : DocumentVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The question's id, or its last characters as 'question list' shows them." };
    private readonly Argument<string> _file = new("file") { Description = "The answer file (YAML; '-': standard input). 'nremnet question answer-template ID' prints one for the question." };
    private readonly Option<string[]> _confirm = new("--confirm") { Description = "The fingerprint of a personal-data finding the node listed, which you have checked and mean to send; repeat it or separate with commas. Recorded in the node's audit log." };

    public AnswerQuestionCommand(CliContext context)
        : base(context, "answer", "Answer a network question put to this node (rapporteur), from an answer file: each item answered or declined with a reason, each for every member (NETWORK) or sealed for the asking node only (ASKER_ONLY). The file is checked against the question first: every problem is listed with its line (exit code 8). Answering again publishes a new version of the answer.", DocumentProfile.Writer)
    {
        Arguments.Add(_id);
        Arguments.Add(_file);
        Options.Add(_confirm);
    }

    /// <summary>The problems of an answer file for <paramref name="question"/>, as the node would report them.</summary>
    public static IReadOnlyList<FileProblem> Problems(string text, NetworkQuestion question) =>
        [.. AnswerFile.Parse(text, question).Problems.Select(p => new FileProblem { Path = p.Path, Line = p.Line ?? 0, Message = p.Message })];

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(_file)!;
        var (name, text) = await ReadFileAsync(file, $"Start from 'nremnet question answer-template {parse.GetValue(_id)}'.", cancellationToken).ConfigureAwait(false);
        using var session = Open(parse);
        var id = await session.QuestionIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var held = await session.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var node = session.Profile.Node;
        if (held.Summary is { Status: QuestionStatus.Withdrawn, Version: { } withdrawal })
        {
            throw new CliException(ExitCodes.Conflict, $"Question {id} was withdrawn by {withdrawal.OwnerCountry} on {CliValues.Time(withdrawal.SignedAt)}: it takes no answers. Reason: {withdrawal.Reason}");
        }

        var question = QuestionText.Read(held)
            ?? throw new CliException(ExitCodes.Conflict, $"Question {id} has no content this CLI can read (it was erased, or written by a newer NremNet); it cannot be answered from here.");
        if (!question.IsAddressedTo(node))
        {
            throw new CliException(ExitCodes.Conflict, string.Equals(question.AskingCountry, node, StringComparison.Ordinal)
                ? $"{node} asked question {id}; the asking node does not answer its own question."
                : $"Question {id} is put to {QuestionText.Recipients(question.Recipients)}, not to {node}.");
        }

        var problems = Problems(text, question);
        if (problems.Count > 0)
        {
            if (Output.Json)
            {
                Output.WriteJson(new { answered = false, problems = problems.Select(p => new { path = p.Path, line = p.Line, message = p.Message }) });
                return ExitCodes.CheckFailed;
            }

            Output.Table($"Problems in {name}", DocumentText.ProblemHeaders, DocumentText.Problems(problems));
            Output.Error($"{name} has {DocumentText.Count(problems.Count, "problem")}; nothing was sent. Fix each one listed and run 'nremnet question answer {parse.GetValue(_id)} {file}' again.");
            return ExitCodes.CheckFailed;
        }

        var request = new AnswerQuestionRequest { QuestionId = id, File = text, ConfirmedFindings = { Values(parse, _confirm) } };
        AnswerQuestionResponse response;
        try
        {
            response = await session.Questions.AnswerQuestionAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition && ex.Status.Detail.Contains("fingerprint", StringComparison.Ordinal))
        {
            // The node checks an answer's free text for personal data when it is sent (there is no check before): it lists each finding with its fingerprint.
            throw new CliException(ExitCodes.CheckFailed,
                $"{node} did not send the answer: {CliContext.Describe(ex)}{Environment.NewLine}"
                + "Edit each passage listed so that it names no one and holds no contact details or numbers of anyone; or, where it is meant (e.g. a public helpline), "
                + $"confirm it by its fingerprint: 'nremnet question answer {parse.GetValue(_id)} {file} --confirm FINGERPRINT ...'. Confirmations are recorded in the node's audit log.");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // Anything else that stands in the way (the question was withdrawn meanwhile; the asker's key for sealed items is not known here).
            throw new CliException(ExitCodes.Conflict, $"{node} did not send the answer: {CliContext.Describe(ex)}");
        }

        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var answer = AnswerFile.Parse(text, question).Value!;
        var sealedItems = answer.Items.Count(i => i.Dissemination == Dissemination.AskerOnly);
        var declined = answer.Items.Count(i => i.Status == ItemAnswerStatus.Declined);
        Output.Success($"{node} answered question {id} (answer version {response.Version.Version}): {answer.Items.Count - declined} of {question.Items.Count} items answered, {declined} declined.");
        Output.Line(sealedItems == 0
            ? "  Every member of the network reads it."
            : $"  {DocumentText.Count(sealedItems, "item")} sealed for {question.AskingCountry} only; every member reads the rest.");
        return ExitCodes.Ok;
    }
}
