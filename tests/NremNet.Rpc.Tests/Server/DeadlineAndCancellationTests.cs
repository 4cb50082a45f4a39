using Grpc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Rpc.Tests.Server;

public sealed class DeadlineAndCancellationTests
{
    [Fact]
    public async Task ServerDeadline_CancelsTheHandler_AndEndsWithDeadlineExceeded()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", async (_, context) =>
        {
            context.CancellationToken.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SimpleResponse();
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition), moreServices: s => s.AddSingleton<TimeProvider>(clock));
        using var raw = server.CreateRawClient();

        var response = RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("grpc-timeout", "5S")]));
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.False(cancelled.Task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));

        await cancelled.Task.WaitAsync(TestContext.Current.CancellationToken);
        var result = await response;
        Assert.Equal(StatusCode.DeadlineExceeded, result.GrpcStatus);
    }

    [Fact]
    public async Task HandlerIgnoringItsDeadline_HasItsStreamResetAfterTheGracePeriod()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", async (_, _) =>
        {
            started.TrySetResult();
            await release.Task;
            return new SimpleResponse();
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(
            rpc => rpc.AddDefinition(definition),
            options: o => o.DeadlineGracePeriod = TimeSpan.FromSeconds(2),
            moreServices: s => s.AddSingleton<TimeProvider>(clock));
        using var raw = server.CreateRawClient();

        var response = RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("grpc-timeout", "1S")]));
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(response.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => response);
        Assert.Contains(ex.GetBaseException() is HttpProtocolException p ? p.ErrorCode : -1, new long[] { 0x8 });
        release.SetResult();
        Assert.Contains(server.Logs.Entries, e => e.EventName == "ResetAfterDeadline");
    }

    [Fact]
    public async Task ClientDeadline_IsSentAsGrpcTimeout_AndEnforcedOnBothSides()
    {
        var serverSawDeadline = new TaskCompletionSource<(DateTime Deadline, DateTime HandlerStarted)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", async (_, context) =>
        {
            serverSawDeadline.TrySetResult((context.Deadline, DateTime.UtcNow));
            context.CancellationToken.Register(() => serverCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SimpleResponse();
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var callStarted = DateTime.UtcNow;
        var deadline = callStarted.AddMilliseconds(300);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest(), new CallOptions(deadline: deadline)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        // grpc-timeout is relative: the server's deadline is its own receipt time plus at most what was left when the
        // call started (whole milliseconds, rounded up), so it can lie after the client's by the time on the way.
        var (seen, handlerStarted) = await serverSawDeadline.Task;
        Assert.InRange(seen, deadline.AddSeconds(-5), handlerStarted + (deadline - callStarted) + TimeSpan.FromMilliseconds(1));
        await serverCancelled.Task.WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DeadlineAlreadyPast_FailsWithoutSending()
    {
        var calls = 0;
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new SimpleResponse());
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1))).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ClientCancellation_ResetsTheStream_AndTheHandlerSeesIt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = TestServices.Create(b => b.DuplexStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall", async (requests, responses, context) =>
        {
            context.CancellationToken.Register(() => serverCancelled.TrySetResult());
            started.TrySetResult();
            while (await requests.MoveNext(context.CancellationToken))
            {
                await responses.WriteAsync(new StreamingOutputCallResponse());
            }
        }), "FullDuplexCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());
        using var cancellation = new CancellationTokenSource();

        using var call = client.FullDuplexCall(new CallOptions(cancellationToken: cancellation.Token));
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest(), TestContext.Current.CancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        await started.Task;
        await cancellation.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await serverCancelled.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DisposingARunningCall_CancelsIt()
    {
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var definition = TestServices.Create(b => b.ServerStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", async (_, responses, context) =>
        {
            context.CancellationToken.Register(() => serverCancelled.TrySetResult());
            await responses.WriteAsync(new StreamingOutputCallResponse());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }), "StreamingOutputCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var call = client.StreamingOutputCall(new StreamingOutputCallRequest());
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        await started.Task;
        call.Dispose();

        await serverCancelled.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerEndingEarly_EndsTheClientsWritesWithTheServersStatus()
    {
        var definition = TestServices.Create(b => b.ClientStreaming<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", async (requests, context) =>
        {
            await requests.MoveNext(context.CancellationToken);
            throw new RpcException(StatusCode.PermissionDenied, "no agreement for this indicator");
        }), "StreamingInputCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        using var call = client.StreamingInputCall();
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest(), TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);

        var write = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new StreamingInputCallRequest(), TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
    }
}
