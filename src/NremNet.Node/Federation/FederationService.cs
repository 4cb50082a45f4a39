using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Clients;
using NremNet.Contracts.Federation.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Rpc;

namespace NremNet.Node.Federation;

/// <summary><c>nremnet.federation.v1.FederationService</c>: what a member says about itself to another.</summary>
internal sealed class FederationService(IOptions<NodeOptions> options, SnapshotState snapshots, PeerPresence presence, TimeProvider time) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(FederationClient.Descriptor)
        .Unary(FederationClient.HelloMethod, Hello)
        .Build();

    private Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context)
    {
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
