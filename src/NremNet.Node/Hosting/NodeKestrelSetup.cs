using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Node.Peers;

namespace NremNet.Node.Hosting;

/// <summary>
/// The node's two Kestrel listeners, peer API first (<see cref="Membership.NodeEndpoints"/> relies on the order): the
/// peer API is gRPC over HTTP/2 with mutual TLS, client certificates chained to the network CA in the handshake and every
/// refusal reported to <see cref="PeerRefusals"/>; the user API and console is HTTP/1.1 and HTTP/2 over TLS. Each marks
/// its connections with its <see cref="NodeListener"/>.
/// </summary>
internal sealed class NodeKestrelSetup(IOptions<NodeOptions> options, NetworkCredentials credentials, PeerRefusals refusals) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Listen(Endpoint(nameof(NodeOptions.PeerListen), options.Value.PeerListen), listen => listen
            .UseGrpcTls(credentials.ServerTls(accept: null, onRejected: refusals.Report))
            .Mark(NodeListener.Peer));
        kestrel.Listen(Endpoint(nameof(NodeOptions.ConsoleListen), options.Value.ConsoleListen), listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = credentials.Certificate;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            });
            listen.Mark(NodeListener.Console);
        });
    }

    private static System.Net.IPEndPoint Endpoint(string key, string value) =>
        Listening.TryParse(value, out var endpoint)
            ? endpoint
            // The options validator names this first; this guards against a skipped validation.
            : throw new InvalidOperationException($"{NodeOptions.SectionName}:{key} is '{value}'; it must be host:port, e.g. 127.0.0.1:7443.");
}
