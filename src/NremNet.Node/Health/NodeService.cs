using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Health;

/// <summary><c>nremnet.local.v1.NodeService</c>: the node's status, health and view of its peers.</summary>
internal sealed class NodeService(IOptions<NodeOptions> options, HealthCheckService health, SnapshotState snapshots, DirectoryLink directory, PeerMonitor peers) : Proto.NodeService.NodeServiceBase
{
    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<GetNodeStatusResponse> GetNodeStatus(GetNodeStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await health.CheckHealthAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new GetNodeStatusResponse
        {
            Country = options.Value.Country,
            MechanismName = options.Value.MechanismName,
            Healthy = report.Status == HealthStatus.Healthy,
            SnapshotVersion = snapshots.Version,
            SnapshotExpiresAt = snapshots.Current?.ExpiresAt,
            DirectoryReachable = directory.Reachable,
            SoftwareVersion = NodeHost.SoftwareVersion,
            MembershipStatus = directory.MembershipStatus switch
            {
                Contracts.Directory.V1.MemberStatus.Active => "active",
                Contracts.Directory.V1.MemberStatus.Pending => "pending",
                Contracts.Directory.V1.MemberStatus.Suspended => "suspended",
                Contracts.Directory.V1.MemberStatus.Removed => "removed",
                _ => "unknown",
            },
        };
        response.Checks.AddRange(report.Entries.Select(e => new HealthCheck { Name = e.Key, Healthy = e.Value.Status == HealthStatus.Healthy, Reason = e.Value.Description ?? e.Value.Exception?.Message ?? string.Empty }));
        response.Peers.AddRange(peers.Peers.Select(p => new PeerView
        {
            Country = p.Member.Country,
            MechanismName = p.Member.MechanismName,
            PeerEndpoint = p.Member.PeerEndpoint,
            Reachable = p.Reachable,
            LastContact = p.LastContact is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            RoundTripMs = p.RoundTripMilliseconds,
            LastError = p.LastError,
        }));
        return response;
    }
}
