using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Node.Audit;

namespace NremNet.Node.Peers;

/// <summary>
/// Client certificates the peer listener refused in the TLS handshake, queued for the audit log: the handshake cannot
/// wait for a database write. When the queue is full the oldest go.
/// </summary>
internal sealed class PeerRefusals
{
    private readonly Channel<string> _refusals = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>The queued refusals.</summary>
    public ChannelReader<string> Reader => _refusals.Reader;

    /// <summary>Queues a refusal of <paramref name="certificate"/> (null: none was presented) for <paramref name="reason"/>.</summary>
    public void Report(X509Certificate2? certificate, string reason) =>
        _refusals.Writer.TryWrite(certificate is null ? reason : $"{reason} (certificate '{certificate.Subject}')");
}

/// <summary>Writes the TLS-level refusals of the peer API to the log and the audit log, outside the handshake.</summary>
internal sealed class PeerRefusalRecorder(PeerRefusals refusals, AuditLog audit, ILogger<PeerRefusalRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var reason in refusals.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                NodeLog.PeerCertificateRefused(logger, reason);
                await audit.AppendAsync("anonymous", "peer.refused", "tls", "denied", new { reason }, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
