using NremNet.Hosting.Certificates;
using NremNet.Rpc;

namespace NremNet.Cli.Profiles;

/// <summary>A channel to a node's user API as a profile's user: its network CA trusted, its token sent with every call.</summary>
internal sealed class NodeConnection : IDisposable
{
    private NodeConnection(Profile profile, RpcChannel channel)
    {
        Profile = profile;
        Channel = channel;
        Invoker = channel.CreateCallInvoker().Intercept(new BearerToken(profile.Token));
    }

    public Profile Profile { get; }

    public RpcChannel Channel { get; }

    public CallInvoker Invoker { get; }

    public static NodeConnection Open(Profile profile) => Open(profile.Url, profile.CaFile, profile) ;

    public static NodeConnection Open(string url, string caFile, Profile profile)
    {
        var options = new RpcChannelOptions { TrustedServerRoots = [PemFiles.Load(caFile)] };
        return new NodeConnection(profile, RpcChannel.ForAddress(url, options));
    }

    /// <summary>Call options with a deadline.</summary>
    public static CallOptions Deadline(CancellationToken cancellationToken, int seconds = 30) =>
        new(deadline: DateTime.UtcNow.AddSeconds(seconds), cancellationToken: cancellationToken);

    public void Dispose() => Channel.Dispose();

    private sealed class BearerToken(string token) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, context with { Options = WithToken(context.Options) });

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, context with { Options = WithToken(context.Options) });

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(context with { Options = WithToken(context.Options) });

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(context with { Options = WithToken(context.Options) });

        private CallOptions WithToken(CallOptions options)
        {
            var headers = new Metadata();
            foreach (var entry in options.Headers ?? [])
            {
                headers.Add(entry);
            }

            headers.Add("authorization", "Bearer " + token);
            return options.WithHeaders(headers);
        }
    }
}
