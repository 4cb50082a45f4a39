using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Practices;

/// <summary><c>nremnet practice history ID</c>: every version of a practice this node holds, oldest first, with withdrawals and erasures and their reasons.</summary>
internal sealed class PracticeHistoryCommand : DocumentVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The practice's id, or its last characters as 'practice search' shows them." };

    public PracticeHistoryCommand(CliContext context)
        : base(context, "history", "List every version of a practice this node holds, oldest first: when its owner signed it, withdrawals and erasures with their reasons, when this node stored it and from which peer.", role: null)
    {
        Arguments.Add(_id);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.PracticeIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Practices.GetDocumentHistoryAsync(new GetDocumentHistoryRequest { DocumentId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        if (response.Versions.Count == 0)
        {
            Output.Line($"{session.Profile.Node} holds no version of {id}.");
            return ExitCodes.Ok;
        }

        var last = response.Versions[^1];
        Output.Table($"History of {DocumentText.Kind(last.Kind)} {id} of {last.OwnerCountry}, as {session.Profile.Node} holds it", DocumentText.HistoryHeaders, DocumentText.History(response.Versions));
        if (DocumentText.Tombstone(last) is { } tombstone)
        {
            Output.Warning(tombstone);
        }

        Output.Line($"'nremnet practice show {DocumentIds.Short(id).TrimStart('…')} --version N' shows a version.");
        return ExitCodes.Ok;
    }
}
