using Grpc.Testing;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Server;

public sealed class InterceptorTests
{
    [Fact]
    public async Task ServerInterceptors_RunOutermostFirst_AndCanRefuseACall()
    {
        var trace = new List<string>();
        await using var server = await TestServer.StartAsync(
            rpc => rpc.AddService<TestServiceImpl>(),
            options: o =>
            {
                o.Interceptors.Add(new RecordingInterceptor("outer", trace));
                o.Interceptors.Add(new RecordingInterceptor("inner", trace));
                o.Interceptors.Add(new TokenCheck());
            });
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        await client.UnaryCallAsync(new SimpleRequest(), new CallOptions(new Metadata { { "authorization", "Bearer good" } }));
        Assert.Equal(["outer:/grpc.testing.TestService/UnaryCall", "inner:/grpc.testing.TestService/UnaryCall"], trace);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);

        trace.Clear();
        using var duplex = client.FullDuplexCall(new CallOptions(new Metadata { { "authorization", "Bearer good" } }));
        await duplex.RequestStream.CompleteAsync();
        Assert.False(await duplex.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Equal(["outer:/grpc.testing.TestService/FullDuplexCall", "inner:/grpc.testing.TestService/FullDuplexCall"], trace);
    }

    [Fact]
    public async Task ClientInterceptors_AddMetadataAndSeeEveryCall()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>(), options: o => o.Interceptors.Add(new TokenCheck()));
        var seen = new List<string>();
        var options = new RpcChannelOptions();
        options.Interceptors.Add(new AddToken(seen));
        using var channel = server.CreateChannel(options);
        var client = new TestServiceClient(channel.CreateCallInvoker());

        await client.UnaryCallAsync(new SimpleRequest());
        using var call = client.StreamingOutputCall(new StreamingOutputCallRequest());
        Assert.False(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Equal(["UnaryCall", "StreamingOutputCall"], seen);
    }

    private sealed class RecordingInterceptor(string name, List<string> trace) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            trace.Add($"{name}:{context.Method}");
            return continuation(request, context);
        }

        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            trace.Add($"{name}:{context.Method}");
            return continuation(requestStream, responseStream, context);
        }
    }

    private sealed class TokenCheck : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, responseStream, context);
        }

        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(requestStream, responseStream, context);
        }

        private static void Check(ServerCallContext context)
        {
            if (context.RequestHeaders.GetValue("authorization") != "Bearer good")
            {
                throw new RpcException(StatusCode.Unauthenticated, "A valid token is required: log in first.");
            }
        }
    }

    private sealed class AddToken(List<string> seen) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            seen.Add(context.Method.Name);
            return continuation(request, context with { Options = context.Options.WithHeaders(new Metadata { { "authorization", "Bearer good" } }) });
        }

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            seen.Add(context.Method.Name);
            return continuation(request, context with { Options = context.Options.WithHeaders(new Metadata { { "authorization", "Bearer good" } }) });
        }
    }
}
