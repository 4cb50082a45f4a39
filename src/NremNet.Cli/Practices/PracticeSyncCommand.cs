using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Practices;

/// <summary>
/// <c>nremnet practice sync [--now]</c>: how this node follows each peer's document feed — the peer's epoch, the last
/// change taken, how many are known but not taken yet, the last success and error, and versions refused.
/// </summary>
internal sealed class PracticeSyncCommand : DocumentVerb
{
    /// <summary>The table's columns.</summary>
    public static readonly IReadOnlyList<string> Headers = ["peer", "epoch", "cursor", "lag", "last success", "last attempt", "last error", "refused"];

    private readonly Option<bool> _now = new("--now") { Description = "Pull from every peer now, then show the status." };

    public PracticeSyncCommand(CliContext context)
        : base(context, "sync", "Show how this node replicates practices, questions and answers (admin): its own feed, and per peer the epoch, the last change taken (cursor), the changes not taken yet (lag), the last success, attempt and error, and versions refused as forged, altered or not the owner's. --now pulls from every peer first.", DocumentProfile.Admin)
    {
        Options.Add(_now);
    }

    /// <summary>A peer's row.</summary>
    public static IReadOnlyList<string> Row(PeerSync peer) =>
    [
        peer.Country,
        peer.Epoch.Length == 0 ? "—" : CliValues.ShortThumbprint(peer.Epoch),
        peer.LatestKnown > 0
            ? $"{peer.Cursor.ToString(CultureInfo.InvariantCulture)} of {peer.LatestKnown.ToString(CultureInfo.InvariantCulture)}"
            : peer.Cursor.ToString(CultureInfo.InvariantCulture),
        peer.Lag.ToString(CultureInfo.InvariantCulture),
        CliValues.Time(peer.LastSuccess, "never"),
        CliValues.Time(peer.LastAttempt, "never"),
        peer.LastError.Length == 0 ? "—" : peer.LastError,
        peer.Refused.ToString(CultureInfo.InvariantCulture),
    ];

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        GetSyncStatusResponse status;
        if (parse.GetValue(_now))
        {
            var pulled = await session.Practices.SyncNowAsync(new SyncNowRequest(), NodeConnection.Deadline(cancellationToken, seconds: 120)).ConfigureAwait(false);
            if (WroteJson(pulled))
            {
                return ExitCodes.Ok;
            }

            status = pulled.Status ?? new GetSyncStatusResponse();
        }
        else
        {
            status = await session.Practices.GetSyncStatusAsync(new GetSyncStatusRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            if (WroteJson(status))
            {
                return ExitCodes.Ok;
            }
        }

        var node = session.Profile.Node;
        Output.Line($"{node} holds {status.Practices.ToString(CultureInfo.InvariantCulture)} practices, {status.Questions.ToString(CultureInfo.InvariantCulture)} questions and {status.Answers.ToString(CultureInfo.InvariantCulture)} answers; its own feed is at change {status.LatestSequence.ToString(CultureInfo.InvariantCulture)} of epoch {CliValues.ShortThumbprint(status.Epoch)}.");
        if (status.Peers.Count == 0)
        {
            Output.Line($"{node} follows no peer yet: it takes documents from the active members the directory lists.");
        }
        else
        {
            Output.Table($"Peers {node} replicates from{(parse.GetValue(_now) ? " (after pulling now)" : string.Empty)}", Headers, status.Peers.OrderBy(p => p.Country, StringComparer.Ordinal).Select(Row));
        }

        if (status.MissingAttachments > 0)
        {
            Output.Warning($"{DocumentText.Count((int)Math.Min(status.MissingAttachments, int.MaxValue), "attachment")} named by practices {node} holds {(status.MissingAttachments == 1 ? "is" : "are")} not here yet; {node} fetches them from peers.");
        }

        var failing = status.Peers.Where(p => p.LastError.Length > 0).Select(p => p.Country).ToList();
        if (failing.Count > 0)
        {
            Output.Warning($"The last pull from {string.Join(", ", failing)} failed (see 'last error'); {node} keeps trying, and takes their documents from other peers that hold them meanwhile.");
        }

        var refused = status.Peers.Where(p => p.Refused > 0).Select(p => p.Country).ToList();
        if (refused.Count > 0)
        {
            Output.Warning($"Versions from {string.Join(", ", refused)} were refused (forged, altered, replayed or not the owner's); each refusal is in {node}'s audit log ('nremnet audit list').");
        }

        return ExitCodes.Ok;
    }
}
