using System.Security.Cryptography.X509Certificates;

namespace NremNet.Rpc;

/// <summary>What a service handler knows about the call it serves, and how it shapes the response.</summary>
public abstract class ServerCallContext
{
    /// <summary>The method path, <c>/service/method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The authority the client called.</summary>
    public abstract string Host { get; }

    /// <summary>The caller's address, e.g. <c>ipv4:127.0.0.1:50512</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>The call's deadline (UTC); <see cref="DateTime.MaxValue"/> when it has none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The request's custom metadata.</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Cancelled when the client cancels, the deadline passes or the connection drops.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailing metadata to send with the status.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status to send when the handler returns normally (default OK).</summary>
    public abstract Status Status { get; set; }

    /// <summary>Default options for response writes.</summary>
    public abstract WriteOptions? WriteOptions { get; set; }

    /// <summary>
    /// The encoding to compress responses with (e.g. <c>gzip</c>), or null for the server's default. Takes effect only
    /// when the client accepts it, and only when set before the response headers are sent.
    /// </summary>
    public abstract string? ResponseCompression { get; set; }

    /// <summary>Whether the last request message arrived compressed on the wire.</summary>
    public abstract bool LastRequestMessageCompressed { get; }

    /// <summary>The certificate the client presented under mutual TLS, or null.</summary>
    public abstract X509Certificate2? ClientCertificate { get; }

    /// <summary>State that interceptors and handlers share for this call.</summary>
    public abstract IDictionary<object, object?> UserState { get; }

    /// <summary>Sends the response headers now, with this custom metadata. Allowed once, before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}

/// <summary>Handles a unary call.</summary>
public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>Handles a client-streaming call.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

/// <summary>Handles a server-streaming call.</summary>
public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Handles a bidirectional-streaming call.</summary>
public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
