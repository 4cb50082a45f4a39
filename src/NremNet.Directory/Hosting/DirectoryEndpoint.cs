using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Directory.Hosting;

/// <summary>
/// The directory's one Kestrel endpoint: HTTP/2 only (gRPC, and <c>/healthz</c>) with TLS, client certificates required
/// and chained to the network CA. Every refused certificate is logged with the reason.
/// </summary>
internal sealed class DirectoryEndpoint(IOptions<DirectoryOptions> options, NetworkCredentials credentials, ILogger<DirectoryEndpoint> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        if (!ListenAddress.TryParse(options.Value.Listen, out var address, out var problem))
        {
            // The options validator reports this first; this guards against a skipped validation.
            throw new InvalidOperationException($"{DirectoryOptions.SectionName}:{nameof(DirectoryOptions.Listen)} {problem}.");
        }

        address!.Listen(kestrel, listen => listen.UseGrpcTls(credentials.ServerTls(
            accept: null,
            onRejected: (_, reason) => DirectoryLog.ClientCertificateRefused(logger, reason))));
    }
}
