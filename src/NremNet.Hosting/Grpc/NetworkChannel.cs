using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace NremNet.Hosting.Grpc;

/// <summary>How a channel reaches a server of the network: TLS trust and pinning, message limits, retries.</summary>
public sealed class NetworkChannelOptions
{
    /// <summary>Certificates to present to the server (mutual TLS).</summary>
    public X509Certificate2Collection? ClientCertificates { get; init; }

    /// <summary>Roots the server's certificate must chain to (the network CA); null trusts the system store.</summary>
    public X509Certificate2Collection? TrustedServerRoots { get; init; }

    /// <summary>A further check of the server's certificate after the chain check, e.g. pinning; false refuses the connection.</summary>
    public Func<X509Certificate2, bool>? ValidateServerCertificate { get; init; }

    /// <summary>The name to expect in the server's certificate; null uses the address's host.</summary>
    public string? ServerNameOverride { get; init; }

    /// <summary>Largest response message accepted, in bytes.</summary>
    public int? MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; init; }

    /// <summary>How idempotent methods are retried on UNAVAILABLE (<see cref="RetryPolicies"/>); null turns retries off.</summary>
    public RetryOptions? Retry { get; init; } = new();

    /// <summary>
    /// The longest wait before the channel tries to connect again to a server it could not reach (grpc's default is
    /// 120 s). Kept short: a peer or the directory that comes back is used again within this much, and the callers'
    /// own back-off (the referral outbox, the peer monitor) decides how often a down server is tried.
    /// </summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The connect timeout used unless one is given: 10 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long opening a connection (TCP and the TLS handshake) may take before the call fails with UNAVAILABLE; a
    /// server that takes the connection and never answers is given up on after this much even if the call allows longer.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Where the channel logs; null for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Wraps the handler the channel sends with (tests count or break connections with it), keeping the TLS settings.</summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHttpHandler { get; init; }
}

/// <summary>Channels (Grpc.Net.Client over <see cref="SocketsHttpHandler"/>) to servers of the network.</summary>
public static class NetworkChannel
{
    /// <summary>
    /// A channel to <paramref name="address"/>: <c>https://</c> with the TLS of <paramref name="options"/>, or
    /// <c>http://</c> for plain HTTP/2 (tests and interop only). Create one per server and share it.
    /// </summary>
    /// <exception cref="ArgumentException">The address is neither http:// nor https://.</exception>
    public static GrpcChannel Create(Uri address, NetworkChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must start with https:// (TLS) or http:// (plain HTTP/2).", nameof(address));
        }

        options ??= new NetworkChannelOptions();
        HttpMessageHandler handler = Handler(address, options);
        if (options.WrapHttpHandler is { } wrap)
        {
            handler = wrap(handler);
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            LoggerFactory = options.LoggerFactory,
            ServiceConfig = options.Retry is { } retry ? RetryPolicies.ServiceConfig(retry) : null,
            MaxRetryAttempts = options.Retry?.MaxAttempts,
            InitialReconnectBackoff = options.MaxReconnectBackoff < TimeSpan.FromSeconds(1) ? options.MaxReconnectBackoff : TimeSpan.FromSeconds(1),
            MaxReconnectBackoff = options.MaxReconnectBackoff,
        });
    }

    /// <summary>A channel to <paramref name="address"/>.</summary>
    public static GrpcChannel Create(string address, NetworkChannelOptions? options = null) =>
        Create(new Uri(address ?? throw new ArgumentNullException(nameof(address)), UriKind.Absolute), options);

    private static SocketsHttpHandler Handler(Uri address, NetworkChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = options.ConnectTimeout,
        };

        if (address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = options.ServerNameOverride ?? address.Host,
                ClientCertificates = options.ClientCertificates,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    ValidateServer(options, certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())), chain, errors),
            };
        }

        return handler;
    }

    private static bool ValidateServer(NetworkChannelOptions options, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        // SocketsHttpHandler names the address's host to TLS whatever SslOptions.TargetHost says, so the name to expect
        // under ServerNameOverride is checked here.
        if (options.ServerNameOverride is { } name)
        {
            if (!certificate.MatchesHostname(name))
            {
                return false;
            }

            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        if (options.TrustedServerRoots is { Count: > 0 } roots)
        {
            if (!CertificateTrust.Validate(certificate, roots, CertificateTrust.ServerAuthenticationOid, CertificateTrust.Intermediates(chain), out _))
            {
                return false;
            }
        }
        else if (errors != SslPolicyErrors.None)
        {
            return false;
        }

        return options.ValidateServerCertificate?.Invoke(certificate) ?? true;
    }
}
