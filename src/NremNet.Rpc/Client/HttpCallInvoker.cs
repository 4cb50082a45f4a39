namespace NremNet.Rpc.Client;

/// <summary>Starts calls over a channel's HTTP/2 connection.</summary>
internal sealed class HttpCallInvoker(RpcChannel channel) : CallInvoker
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new ClientCall<TRequest, TResponse>(channel, method, options);
        return new AsyncUnaryCall<TResponse>(call.UnaryAsync(request), call.ResponseHeadersAsync, ClientCallState.GetStatus, ClientCallState.GetTrailers, ClientCallState.Dispose, call);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new ClientCall<TRequest, TResponse>(channel, method, options);
        call.StartServerStreaming(request);
        return new AsyncServerStreamingCall<TResponse>(call.ResponseStream, call.ResponseHeadersAsync, ClientCallState.GetStatus, ClientCallState.GetTrailers, ClientCallState.Dispose, call);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(channel, method, options);
        var requests = call.StartRequestStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(requests, call.ReadSingleResponseAsync(), call.ResponseHeadersAsync, ClientCallState.GetStatus, ClientCallState.GetTrailers, ClientCallState.Dispose, call);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new ClientCall<TRequest, TResponse>(channel, method, options);
        var requests = call.StartRequestStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(requests, call.ResponseStream, call.ResponseHeadersAsync, ClientCallState.GetStatus, ClientCallState.GetTrailers, ClientCallState.Dispose, call);
    }
}

/// <summary>Static accessors so call objects need no closures.</summary>
internal static class ClientCallState
{
    public static readonly Func<object, Status> GetStatus = static state => ((IClientCall)state).GetStatus();
    public static readonly Func<object, Metadata> GetTrailers = static state => ((IClientCall)state).GetTrailers();
    public static readonly Action<object> Dispose = static state => ((IClientCall)state).Dispose();
}

internal interface IClientCall : IDisposable
{
    Status GetStatus();

    Metadata GetTrailers();
}
