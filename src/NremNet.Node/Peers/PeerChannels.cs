using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Node.Peers;

/// <summary>
/// One channel per peer (Grpc.Net.Client over the network TLS: this node's certificate, only the network CA trusted), the
/// peer's certificate pinned to the one its directory entry names; replaced when the entry's endpoint or certificate
/// changes. Idempotent calls that meet UNAVAILABLE are retried by the channel (its retry policy from the protos), each
/// attempt counted for whoever asks (<see cref="CallAttempts"/>).
/// </summary>
internal sealed class PeerChannels(NetworkCredentials credentials, ILoggerFactory loggerFactory, IOptions<NodeOptions> nodeOptions) : IDisposable
{
    private readonly ConcurrentDictionary<string, (MemberApplication Member, GrpcChannel Channel)> _channels = new(StringComparer.Ordinal);

    public GrpcChannel For(MemberApplication member)
    {
        ArgumentNullException.ThrowIfNull(member);
        while (true)
        {
            if (_channels.TryGetValue(member.Country, out var existing))
            {
                if (existing.Member.PeerEndpoint == member.PeerEndpoint && existing.Member.CertificateThumbprint == member.CertificateThumbprint)
                {
                    return existing.Channel;
                }

                if (_channels.TryRemove(new KeyValuePair<string, (MemberApplication, GrpcChannel)>(member.Country, existing)))
                {
                    existing.Channel.Dispose();
                }

                continue;
            }

            var options = credentials.ClientOptions(
                certificate => string.Equals(NetworkIdentity.Thumbprint(certificate), member.CertificateThumbprint, StringComparison.OrdinalIgnoreCase)
                    && NetworkIdentity.Read(certificate).Country == member.Country,
                loggerFactory,
                static handler => new CallAttempts(handler),
                nodeOptions.Value.PeerConnectTimeout);
            var created = (member, NetworkChannel.Create(member.PeerEndpoint, options));
            if (_channels.TryAdd(member.Country, created))
            {
                return created.Item2;
            }

            created.Item2.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var (_, channel) in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
    }
}
