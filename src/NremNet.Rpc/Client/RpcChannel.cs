using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NremNet.Rpc.Client;
using NremNet.Rpc.Compression;
using Polly;
using Polly.Retry;

namespace NremNet.Rpc;

/// <summary>
/// A client's connection to one gRPC server address: HTTP/2 over SocketsHttpHandler (h2c for <c>http://</c>,
/// TLS with ALPN for <c>https://</c>). Thread-safe; create one per server and share it.
/// </summary>
public sealed class RpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _http;
    private readonly bool _disposeHttp;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private RpcChannel(Uri address, RpcChannelOptions options)
    {
        Address = address;
        Options = options;
        Compression = new CompressionProviders(options.CompressionProviders);
        Logger = options.LoggerFactory?.CreateLogger("NremNet.Rpc.Client") ?? NullLogger.Instance;
        Target = $"{address.Host}:{address.Port}";
        if (options.RequestCompression is { } compression && compression != Framing.GrpcProtocol.IdentityEncoding && Compression.Find(compression) is null)
        {
            throw new ArgumentException($"Request compression '{compression}' has no compression provider; add one to CompressionProviders.", nameof(options));
        }

        if (options.Retry.MaxAttempts < 1)
        {
            throw new ArgumentException($"Retry.MaxAttempts must be at least 1 (got {options.Retry.MaxAttempts}).", nameof(options));
        }

        var handler = options.HttpHandler ?? CreateHandler(address, options);
        if (options.WrapHttpHandler is { } wrap)
        {
            handler = wrap(handler);
        }

        _disposeHttp = options.HttpHandler is null || options.DisposeHttpHandler;
        _http = new HttpMessageInvoker(handler, disposeHandler: _disposeHttp);
        RetryPipeline = CreateRetryPipeline(options);
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    internal RpcChannelOptions Options { get; }

    internal CompressionProviders Compression { get; }

    internal ILogger Logger { get; }

    internal string Target { get; }

    internal ResiliencePipeline RetryPipeline { get; }

    internal HttpMessageInvoker Http => _http;

    /// <summary>A channel to <paramref name="address"/> (<c>http://host:port</c> for h2c, <c>https://host:port</c> for TLS).</summary>
    public static RpcChannel ForAddress(string address, RpcChannelOptions? options = null) =>
        ForAddress(new Uri(address ?? throw new ArgumentNullException(nameof(address)), UriKind.Absolute), options);

    /// <summary>A channel to <paramref name="address"/>.</summary>
    public static RpcChannel ForAddress(Uri address, RpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Address '{address}' must start with http:// (plain HTTP/2) or https:// (TLS).", nameof(address));
        }

        return new RpcChannel(address, options ?? new RpcChannelOptions());
    }

    /// <summary>An invoker for typed clients; calls pass through the channel's interceptors.</summary>
    public CallInvoker CreateCallInvoker() => new HttpCallInvoker(this).Intercept([.. Options.Interceptors]);

    internal Uri UriFor(Method method) => _methodUris.GetOrAdd(method.FullName, static (path, address) => new Uri(address, path), Address);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreateHandler(Uri address, RpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(10),
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

    private static bool ValidateServer(RpcChannelOptions options, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        if (options.TrustedServerRoots is { Count: > 0 } roots)
        {
            var intermediates = new X509Certificate2Collection();
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    intermediates.Add(element.Certificate);
                }
            }

            if (!CertificateTrust.Validate(certificate, roots, CertificateTrust.ServerAuthenticationOid, intermediates, out _))
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

    private static ResiliencePipeline CreateRetryPipeline(RpcChannelOptions options)
    {
        if (options.Retry.MaxAttempts <= 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Retry.InitialBackoff,
                MaxDelay = options.Retry.MaxBackoff,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is RpcException { StatusCode: StatusCode.Unavailable }
                    && args.Context.Properties.TryGetValue(RetryableCall.Key, out var call)
                    && call.CanRetry()),
                OnRetry = static args =>
                {
                    if (args.Context.Properties.TryGetValue(RetryableCall.Key, out var call))
                    {
                        call.OnRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}

/// <summary>What the retry strategy asks of the call it retries.</summary>
internal interface IRetryableCall
{
    /// <summary>Whether another attempt is allowed: nothing was committed and time remains.</summary>
    bool CanRetry();

    void OnRetry(int attempt, TimeSpan delay, Exception? cause);
}

internal static class RetryableCall
{
    public static readonly ResiliencePropertyKey<IRetryableCall> Key = new("NremNet.Rpc.Call");
}
