using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using NremNet.Rpc.Compression;

namespace NremNet.Rpc;

/// <summary>Options of a client channel.</summary>
public sealed class RpcChannelOptions
{
    /// <summary>
    /// The HTTP handler to send with. When null the channel creates a <see cref="SocketsHttpHandler"/> from the TLS
    /// settings below.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// Wraps the handler the channel sends with (e.g. in a <see cref="DelegatingHandler"/>), keeping the TLS settings
    /// below; applies to <see cref="HttpHandler"/> too when that is set.
    /// </summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>.</summary>
    public bool DisposeHttpHandler { get; set; } = true;

    /// <summary>Certificates to present to the server (mutual TLS).</summary>
    public X509Certificate2Collection? ClientCertificates { get; set; }

    /// <summary>Roots the server's certificate must chain to (a private CA); null trusts the system store.</summary>
    public X509Certificate2Collection? TrustedServerRoots { get; set; }

    /// <summary>A further check of the server certificate after the chain check, e.g. pinning; false refuses the connection.</summary>
    public Func<X509Certificate2, bool>? ValidateServerCertificate { get; set; }

    /// <summary>The server name to expect in its certificate and to send as authority; null uses the address's host.</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>Largest response message accepted, in bytes (default 4 MiB).</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compression algorithms the client accepts and may send with.</summary>
    public IList<ICompressionProvider> CompressionProviders { get; } = [GzipCompressionProvider.Instance];

    /// <summary>Encoding to compress requests with by default; null sends them uncompressed.</summary>
    public string? RequestCompression { get; set; }

    /// <summary>Compression level for requests.</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>How idempotent calls are retried when the server is unavailable.</summary>
    public RpcRetryOptions Retry { get; set; } = new();

    /// <summary>Client interceptors, outermost first.</summary>
    public IList<Interceptor> Interceptors { get; } = [];

    /// <summary>Where the channel logs; null for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for deadlines and back-off.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Retries of idempotent calls that failed with UNAVAILABLE before the server answered, within the call's deadline.</summary>
public sealed record RpcRetryOptions
{
    /// <summary>Attempts in all, the first included (1 turns retries off).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry; later ones grow exponentially, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);
}
