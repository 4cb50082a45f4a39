using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Profiles;

/// <summary>A channel to a node's user API as a profile's user: its network CA trusted, its token sent with every call.</summary>
internal sealed class NodeConnection : IDisposable
{
    private NodeConnection(Profile profile, GrpcChannel channel)
    {
        Profile = profile;
        Channel = channel;
        Invoker = channel.CreateCallInvoker().Intercept(new BearerToken(profile.Token));
    }

    public Profile Profile { get; }

    /// <summary>The channel, without the token (to log in).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Calls over <see cref="Channel"/> that carry the profile's token.</summary>
    public CallInvoker Invoker { get; }

    public static NodeConnection Open(Profile profile) => Open(profile.Url, profile.CaFile, profile);

    public static NodeConnection Open(string url, string caFile, Profile profile)
    {
        var options = new NetworkChannelOptions { TrustedServerRoots = [PemFiles.Load(caFile)] };
        return new NodeConnection(profile, NetworkChannel.Create(url, options));
    }

    /// <summary>Call options with a deadline.</summary>
    public static CallOptions Deadline(CancellationToken cancellationToken, int seconds = 30) =>
        new(deadline: DateTime.UtcNow.AddSeconds(seconds), cancellationToken: cancellationToken);

    public void Dispose() => Channel.Dispose();

    /// <summary>Adds <c>authorization: Bearer TOKEN</c> to every call, leaving the caller's headers as they are.</summary>
    private sealed class BearerToken(string token) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(WithToken(context));

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(WithToken(context));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class
            where TResponse : class
        {
            var headers = new Metadata();
            foreach (var entry in context.Options.Headers ?? [])
            {
                headers.Add(entry);
            }

            headers.Add("authorization", "Bearer " + token);
            return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
        }
    }
}
