using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Practices;

/// <summary>Which documents a withdraw or erase verb acts on: practices or questions; their ids are found and their titles read differently.</summary>
internal enum DocumentNoun
{
    /// <summary>A practice (<c>nremnet practice ...</c>).</summary>
    Practice,

    /// <summary>A network question (<c>nremnet question ...</c>).</summary>
    Question,
}

/// <summary>What the withdraw and erase verbs share: the id of one of this node's documents, a reason readers see, and its title for messages.</summary>
internal abstract class TombstoneVerb : DocumentVerb
{
    private readonly Argument<string> _id;

    protected TombstoneVerb(CliContext context, DocumentNoun noun, string name, string description)
        : base(context, name, description, DocumentProfile.Writer)
    {
        Noun = noun;
        _id = new Argument<string>("id") { Description = $"The {Word}'s id, or its last characters as {Lister} shows them." };
        Reason = new Option<string>("--reason") { Description = "Why; every reader on every node sees it.", Required = true };
        Arguments.Add(_id);
        Options.Add(Reason);
    }

    protected DocumentNoun Noun { get; }

    protected Option<string> Reason { get; }

    /// <summary>"practice" or "question".</summary>
    protected string Word => Noun == DocumentNoun.Practice ? "practice" : "question";

    private string Lister => Noun == DocumentNoun.Practice ? "'practice search'" : "'question list'";

    /// <summary>The reason given, or a usage error when it is blank.</summary>
    protected string ReasonText(ParseResult parse) =>
        parse.GetValue(Reason)?.Trim() is { Length: > 0 } reason
            ? reason
            : throw new CliException(ExitCodes.Usage, $"--reason is empty; say why, in words every reader of the {Word} will see.");

    /// <summary>The full id of the document named on the command line.</summary>
    protected Task<string> IdAsync(DocumentSession session, ParseResult parse, CancellationToken cancellationToken) =>
        Noun == DocumentNoun.Practice
            ? session.PracticeIdAsync(parse.GetValue(_id)!, cancellationToken)
            : session.QuestionIdAsync(parse.GetValue(_id)!, cancellationToken);

    /// <summary>The document's current version and title as this node holds it.</summary>
    protected async Task<(DocumentVersion Version, string Title)> CurrentAsync(DocumentSession session, string id, CancellationToken cancellationToken)
    {
        if (Noun == DocumentNoun.Practice)
        {
            var practice = await session.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            return (practice.Version, PracticeFile.Parse(practice.File, long.MaxValue).Value?.Title ?? "(no content)");
        }

        var question = await session.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var title = question.Summary.Title.Length > 0 ? question.Summary.Title : QuestionFile.Parse(question.File).Value?.Title ?? "(no content)";
        return (question.Summary.Version, title);
    }
}

/// <summary><c>nremnet practice withdraw ID --reason TEXT</c> (and <c>question withdraw</c>): withdraws one of this node's documents; it stays readable, marked, with the reason.</summary>
internal sealed class WithdrawDocumentCommand(CliContext context, DocumentNoun noun)
    : TombstoneVerb(context, noun, "withdraw", $"Withdraw one of this node's {(noun == DocumentNoun.Practice ? "practices" : "questions")} (rapporteur), with a reason: it stays readable on every node, marked WITHDRAWN with the reason, and its versions stay in its history. To remove its content everywhere, use 'erase'.")
{
    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var reason = ReasonText(parse);
        using var session = Open(parse);
        var id = await IdAsync(session, parse, cancellationToken).ConfigureAwait(false);
        var response = await session.Practices.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = id, Reason = reason }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        Output.Success($"Withdrew {Word} {id} (version {response.Version.Version}, signed by {response.Version.OwnerCountry}).");
        Output.Line($"  Readers on every node see it marked WITHDRAWN with the reason: {reason}");
        return ExitCodes.Ok;
    }
}

/// <summary>
/// <c>nremnet practice erase ID --reason TEXT --yes</c> (and <c>question erase</c>): erases one of this node's
/// documents on every node; only the signed fact of the erasure and the reason remain. Without <c>--yes</c> it says
/// what it would erase and erases nothing.
/// </summary>
internal sealed class EraseDocumentCommand : TombstoneVerb
{
    private readonly Option<bool> _yes = new("--yes") { Description = "Erase without further ado; without it the command only says what it would erase." };

    public EraseDocumentCommand(CliContext context, DocumentNoun noun)
        : base(context, noun, "erase", $"Erase one of this node's {(noun == DocumentNoun.Practice ? "practices" : "questions")} (rapporteur), with a reason: its content is removed on every node, also those down now once they are back; only the signed fact of the erasure and the reason remain. Cannot be undone. Needs --yes; without it, says what it would erase.")
    {
        Options.Add(_yes);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var reason = ReasonText(parse);
        using var session = Open(parse);
        var id = await IdAsync(session, parse, cancellationToken).ConfigureAwait(false);
        if (!parse.GetValue(_yes))
        {
            var (version, title) = await CurrentAsync(session, id, cancellationToken).ConfigureAwait(false);
            if (Output.Json)
            {
                Output.WriteJson(new { erased = false, wouldErase = new { documentId = id, ownerCountry = version.OwnerCountry, title, versions = version.Version, reason } });
                return ExitCodes.Ok;
            }

            Output.Warning($"Nothing was erased. With --yes this would erase {Word} {id} of {version.OwnerCountry}, \"{title}\", and its {DocumentText.Count(version.Version, "version")}:");
            Output.Line("  its content would be removed on every node that holds it, leaving only the signed fact of the erasure and the reason:");
            Output.Line($"  {reason}");
            Output.Line($"  This cannot be undone. To keep it readable, marked with a reason, use '{Word} withdraw' instead.");
            return ExitCodes.Ok;
        }

        var response = await session.Practices.EraseDocumentAsync(new EraseDocumentRequest { DocumentId = id, Reason = reason }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        Output.Success($"Erased {Word} {id} (version {response.Version.Version}, signed by {response.Version.OwnerCountry}): its content is removed on every node as they take the erasure.");
        Output.Line($"  Readers see only that it was erased, and why: {reason}");
        return ExitCodes.Ok;
    }
}
