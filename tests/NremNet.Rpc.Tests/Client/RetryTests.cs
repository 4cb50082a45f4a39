using System.Net;
using System.Net.Sockets;
using Grpc.Testing;
using NremNet.Rpc.Health;
using NremNet.Rpc.Health.V1;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Client;

public sealed class RetryTests
{
    private static readonly RpcRetryOptions Quick = new() { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task IdempotentCall_UnavailableTwice_SucceedsOnTheThirdAttempt()
    {
        var attempts = 0;
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(FlakyUnary(() => Interlocked.Increment(ref attempts) <= 2)));
        using var channel = server.CreateChannel(new RpcChannelOptions { Retry = Quick });
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var response = await client.UnaryCallAsync(new SimpleRequest { ResponseSize = 3 }, new CallOptions(idempotent: true));

        Assert.Equal(3, response.Payload.Body.Length);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task CallNotMarkedIdempotent_IsNeverRetried()
    {
        var attempts = 0;
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(FlakyUnary(() => Interlocked.Increment(ref attempts) <= 2)));
        using var channel = server.CreateChannel(new RpcChannelOptions { Retry = Quick });
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task MethodMarkedIdempotentInItsProto_IsRetriedWhenTheServerCannotBeReached()
    {
        var port = FreePort();
        var sends = 0;
        var options = new RpcChannelOptions { Retry = Quick, WrapHttpHandler = inner => new CountingHandler(inner, () => Interlocked.Increment(ref sends)) };
        using var channel = RpcChannel.ForAddress($"http://127.0.0.1:{port}", options);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(Quick.MaxAttempts, sends);
    }

    [Fact]
    public async Task Retries_StopAtTheDeadline()
    {
        var sends = 0;
        var options = new RpcChannelOptions
        {
            Retry = new RpcRetryOptions { MaxAttempts = 50, InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(30) },
            WrapHttpHandler = inner => new CountingHandler(inner, () => Interlocked.Increment(ref sends)),
        };
        using var channel = RpcChannel.ForAddress($"http://127.0.0.1:{FreePort()}", options);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HealthClient(channel).CheckAsync(new HealthCheckRequest(), new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(400))).ResponseAsync);

        Assert.Contains(ex.StatusCode, new[] { StatusCode.DeadlineExceeded, StatusCode.Unavailable });
        Assert.InRange(sends, 1, 10);
    }

    [Fact]
    public async Task CallThatReceivedHeaders_IsNotRetried()
    {
        var attempts = 0;
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", async (_, context) =>
        {
            Interlocked.Increment(ref attempts);
            await context.WriteResponseHeadersAsync(new Metadata { { "x-started", "yes" } });
            throw new RpcException(StatusCode.Unavailable, "went away after starting");
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel(new RpcChannelOptions { Retry = Quick });
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest(), new CallOptions(idempotent: true)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, attempts);
    }

    private static ServiceDefinition FlakyUnary(Func<bool> failNow) =>
        TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (request, _) => failNow()
            ? throw new RpcException(StatusCode.Unavailable, "starting up")
            : Task.FromResult(new SimpleResponse { Payload = new Payload { Body = Google.Protobuf.ByteString.CopyFrom(new byte[request.ResponseSize]) } })), "UnaryCall");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CountingHandler(HttpMessageHandler inner, Action onSend) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
