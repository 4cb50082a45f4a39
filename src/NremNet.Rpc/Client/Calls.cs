using System.Runtime.CompilerServices;

namespace NremNet.Rpc;

/// <summary>A unary call in progress: await it for the response.</summary>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly CallCallbacks _callbacks;

    /// <summary>Creates a call object (used by call invokers and interceptors).</summary>
    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<object, Status> getStatus, Func<object, Metadata> getTrailers, Action<object> dispose, object state)
    {
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        _callbacks = new CallCallbacks(getStatus, getTrailers, dispose, state);
    }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>Awaits the response.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Awaits the response, choosing whether to continue on the captured context.</summary>
    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);

    /// <summary>The final status; only once the call has completed.</summary>
    public Status GetStatus() => _callbacks.GetStatus();

    /// <summary>The trailers; only once the call has completed.</summary>
    public Metadata GetTrailers() => _callbacks.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _callbacks.Dispose();
}

/// <summary>A server-streaming call in progress.</summary>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly CallCallbacks _callbacks;

    /// <summary>Creates a call object (used by call invokers and interceptors).</summary>
    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<object, Status> getStatus, Func<object, Metadata> getTrailers, Action<object> dispose, object state)
    {
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        _callbacks = new CallCallbacks(getStatus, getTrailers, dispose, state);
    }

    /// <summary>The responses.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The final status; only once the call has completed.</summary>
    public Status GetStatus() => _callbacks.GetStatus();

    /// <summary>The trailers; only once the call has completed.</summary>
    public Metadata GetTrailers() => _callbacks.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _callbacks.Dispose();
}

/// <summary>A client-streaming call in progress.</summary>
/// <typeparam name="TRequest">The request type.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly CallCallbacks _callbacks;

    /// <summary>Creates a call object (used by call invokers and interceptors).</summary>
    public AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<object, Status> getStatus, Func<object, Metadata> getTrailers, Action<object> dispose, object state)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        _callbacks = new CallCallbacks(getStatus, getTrailers, dispose, state);
    }

    /// <summary>Where requests are written; complete it to half-close.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>Awaits the response.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Awaits the response, choosing whether to continue on the captured context.</summary>
    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);

    /// <summary>The final status; only once the call has completed.</summary>
    public Status GetStatus() => _callbacks.GetStatus();

    /// <summary>The trailers; only once the call has completed.</summary>
    public Metadata GetTrailers() => _callbacks.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _callbacks.Dispose();
}

/// <summary>A bidirectional-streaming call in progress.</summary>
/// <typeparam name="TRequest">The request type.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly CallCallbacks _callbacks;

    /// <summary>Creates a call object (used by call invokers and interceptors).</summary>
    public AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<object, Status> getStatus, Func<object, Metadata> getTrailers, Action<object> dispose, object state)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        _callbacks = new CallCallbacks(getStatus, getTrailers, dispose, state);
    }

    /// <summary>Where requests are written; complete it to half-close.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers, once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The final status; only once the call has completed.</summary>
    public Status GetStatus() => _callbacks.GetStatus();

    /// <summary>The trailers; only once the call has completed.</summary>
    public Metadata GetTrailers() => _callbacks.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _callbacks.Dispose();
}

/// <summary>How a call object reaches the call behind it, without a closure per call.</summary>
internal readonly struct CallCallbacks(Func<object, Status> getStatus, Func<object, Metadata> getTrailers, Action<object> dispose, object state)
{
    public Status GetStatus() => getStatus(state);

    public Metadata GetTrailers() => getTrailers(state);

    public void Dispose() => dispose(state);
}
