using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;
using NremNet.Node.Health;
using NremNet.Node.Membership;
using NremNet.Node.Peers;

namespace NremNet.Node.Console;

/// <summary>What needs attention, for the alert banner on every page.</summary>
internal enum ConsoleAlertKind
{
    /// <summary>The node holds no directory snapshot: it has never reached the directory.</summary>
    SnapshotMissing,

    /// <summary>The snapshot expired: no peer is trusted.</summary>
    SnapshotExpired,

    /// <summary>The snapshot is in the last quarter of its life without a newer one.</summary>
    SnapshotExpiring,

    /// <summary>The directory has not answered lately (the snapshot still holds).</summary>
    DirectoryUnreachable,

    /// <summary>Peers did not answer the last check.</summary>
    PeersUnreachable,

    /// <summary>The node certificate or the network CA expires soon.</summary>
    CertificateExpiring,
}

/// <summary>One alert: its kind, whether it stops exchanges (<see cref="Serious"/>), the countries or times it is about.</summary>
/// <param name="Kind">What it is about.</param>
/// <param name="Serious">Whether exchanges with other countries stop because of it.</param>
/// <param name="Countries">The peers concerned, if any.</param>
/// <param name="At">The time that matters (an expiry, or the last contact).</param>
/// <param name="Until">A second time (when the cached snapshot expires), if any.</param>
internal sealed record ConsoleAlert(ConsoleAlertKind Kind, bool Serious, IReadOnlyList<string> Countries, DateTimeOffset? At, DateTimeOffset? Until);

/// <summary>
/// What needs the attention of the node's people now, read from the node's own state (the peer checks, the directory
/// snapshot and link, the credentials): the alert banner shows it on every page, worded for the reader's role.
/// </summary>
internal sealed class ConsoleAlerts(PeerMonitor peers, SnapshotState snapshots, DirectoryLink directory, NetworkCredentials credentials, IOptions<NodeOptions> options, TimeProvider time)
{
    /// <summary>The alerts now, most serious first.</summary>
    public IReadOnlyList<ConsoleAlert> Current()
    {
        var now = time.GetUtcNow();
        var alerts = new List<ConsoleAlert>();
        var snapshot = snapshots.Current;
        if (snapshot is null)
        {
            alerts.Add(new ConsoleAlert(ConsoleAlertKind.SnapshotMissing, true, [], null, null));
        }
        else
        {
            var issued = snapshot.IssuedAt.ToDateTimeOffset();
            var expires = snapshot.ExpiresAt.ToDateTimeOffset();
            if (expires <= now)
            {
                alerts.Add(new ConsoleAlert(ConsoleAlertKind.SnapshotExpired, true, [], expires, null));
            }
            else if (expires - now < (expires - issued) / 4)
            {
                alerts.Add(new ConsoleAlert(ConsoleAlertKind.SnapshotExpiring, false, [], expires, directory.LastContact));
            }
            else if (!directory.Reachable && directory.LastContact is { } contact && now - contact > options.Value.SnapshotRefreshInterval * 3)
            {
                alerts.Add(new ConsoleAlert(ConsoleAlertKind.DirectoryUnreachable, false, [], contact, expires));
            }
        }

        // A peer not checked yet since the node started is no alert; one that failed its last check is.
        var down = peers.Peers.Where(p => !p.Reachable && p.LastError != PeerMonitor.NotContactedYet).Select(p => p.Member.Country).ToList();
        if (down.Count > 0)
        {
            alerts.Add(new ConsoleAlert(ConsoleAlertKind.PeersUnreachable, false, down, null, null));
        }

        var certificate = credentials.Certificate.NotAfter.ToUniversalTime();
        var authority = credentials.Authority.NotAfter.ToUniversalTime();
        var first = certificate < authority ? certificate : authority;
        if (first - now.UtcDateTime < KeysHealthCheck.Warning)
        {
            alerts.Add(new ConsoleAlert(ConsoleAlertKind.CertificateExpiring, false, [], new DateTimeOffset(first, TimeSpan.Zero), null));
        }

        return alerts;
    }
}
