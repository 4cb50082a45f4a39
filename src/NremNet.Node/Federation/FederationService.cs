using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Federation.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using Proto = NremNet.Contracts.Federation.V1;

namespace NremNet.Node.Federation;

/// <summary><c>nremnet.federation.v1.FederationService</c>: what a member says about itself to another.</summary>
internal sealed class FederationService(IOptions<NodeOptions> options, SnapshotState snapshots, PeerPresence presence, TimeProvider time) : Proto.FederationService.FederationServiceBase
{
    public override Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var country) ? country as string ?? string.Empty : string.Empty;
        presence.Report(caller);
        return Task.FromResult(new HelloResponse
        {
            Country = options.Value.Country,
            MechanismName = options.Value.MechanismName,
            SnapshotVersion = snapshots.Version,
            Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            SoftwareVersion = NodeHost.SoftwareVersion,
            CallerCountry = caller,
        });
    }
}
