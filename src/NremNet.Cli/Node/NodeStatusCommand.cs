using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Node;

/// <summary><c>nremnet node status</c>: the node's health checks, membership, snapshot and view of its peers.</summary>
internal sealed class NodeStatusCommand : VerbCommand
{
    public NodeStatusCommand(CliContext context)
        : base(context, "status", "Show a node's health checks, membership, directory snapshot and peers (any role). Exit code 8 when it is not healthy.")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, role: null);
        var status = await new NodeService.NodeServiceClient(connection.Invoker).GetNodeStatusAsync(new GetNodeStatusRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var failing = status.Checks.Where(c => !c.Healthy).Select(c => c.Name).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new
            {
                status.Country,
                status.MechanismName,
                status.Healthy,
                checks = status.Checks.Select(c => new { c.Name, c.Healthy, c.Reason }),
                status.MembershipStatus,
                status.SnapshotVersion,
                snapshotExpiresAt = CliValues.At(status.SnapshotExpiresAt),
                status.DirectoryReachable,
                peers = status.Peers.Select(p => new
                {
                    p.Country,
                    p.MechanismName,
                    p.PeerEndpoint,
                    p.Reachable,
                    lastContact = CliValues.At(p.LastContact),
                    p.RoundTripMs,
                    lastError = string.IsNullOrEmpty(p.LastError) ? null : p.LastError,
                }),
                status.SoftwareVersion,
            });
            return status.Healthy ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }

        Output.Line($"Node {status.Country} — {status.MechanismName} (NremNet {status.SoftwareVersion}) at {connection.Profile.Url}");
        Output.Table("Health", ["check", "ok", "reason"], status.Checks.Select(c => (IReadOnlyList<string>)[c.Name, CliValues.YesNo(c.Healthy), c.Reason]));
        Output.Line($"  membership  {status.MembershipStatus}");
        Output.Line($"  snapshot    {(status.SnapshotVersion == 0 ? "none" : $"version {status.SnapshotVersion}, expires {CliValues.Time(status.SnapshotExpiresAt)}")}");
        Output.Line($"  directory   {(status.DirectoryReachable ? "reachable" : "not reachable")}");
        if (status.Peers.Count == 0)
        {
            Output.Line("No peers: the node's snapshot lists no other active member.");
        }
        else
        {
            Output.Table("Peers", ["country", "mechanism", "endpoint", "reachable", "last contact", "round trip", "last error"], status.Peers.Select(p => (IReadOnlyList<string>)
            [
                p.Country,
                p.MechanismName,
                p.PeerEndpoint,
                CliValues.YesNo(p.Reachable),
                CliValues.Time(p.LastContact, "never"),
                p.LastContact is null ? "—" : p.RoundTripMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
                string.IsNullOrEmpty(p.LastError) ? "—" : p.LastError,
            ]));
        }

        if (status.Healthy)
        {
            Output.Success($"Node {status.Country} is healthy.");
            return ExitCodes.Ok;
        }

        Output.Error($"Node {status.Country} is not healthy: {string.Join(", ", failing)} failed (see the reasons above).");
        return ExitCodes.CheckFailed;
    }
}
