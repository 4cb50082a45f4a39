using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using NremNet.Node.Hosting;

namespace NremNet.Node.Membership;

/// <summary>
/// Where the node's listeners actually are once bound: the configured ports, or the ones the system picked for port 0.
/// Kestrel reports bound addresses in the order the listeners were configured (peer API first).
/// </summary>
internal sealed class NodeEndpoints(IOptions<NodeOptions> options, IServer server)
{
    public Uri Peer => Bound(options.Value.PeerListen, 0);

    public Uri Console => Bound(options.Value.ConsoleListen, 1);

    /// <summary>The peer API address to give the directory: as configured, else the bound one.</summary>
    public string AdvertisedPeerEndpoint => !string.IsNullOrWhiteSpace(options.Value.PeerEndpoint)
        ? options.Value.PeerEndpoint
        : $"https://{Peer.Host}:{Peer.Port}";

    private Uri Bound(string listen, int index)
    {
        Listening.TryParse(listen, out var wanted);
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];
        if (wanted.Port != 0)
        {
            return addresses.FirstOrDefault(a => a.Port == wanted.Port) ?? new Uri($"https://{listen}");
        }

        return addresses.Count > index ? addresses[index] : throw new InvalidOperationException("The node's listeners are not bound yet.");
    }
}
