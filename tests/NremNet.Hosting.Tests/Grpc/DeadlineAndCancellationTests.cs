using Grpc.Core;
using Grpc.Testing;
using NremNet.Hosting.Tests.Infrastructure;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// Deadlines and cancellation between NremNet's channel and NremNet's server configuration. Grpc.AspNetCore and
/// Grpc.Net.Client keep their own clocks (neither takes a TimeProvider), so these tests use short real deadlines and
/// assert what happened, never how long it took.
/// </summary>
public sealed class DeadlineAndCancellationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerDeadline_CancelsTheHandler_AndEndsTheCall()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedTestService
        {
            Unary = async (_, context) =>
            {
                context.CancellationToken.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new SimpleResponse();
            },
        };
        await using var server = await service.StartAsync();
        using var raw = server.CreateRawClient();

        var outcome = await Record.ExceptionAsync(async () =>
        {
            var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("grpc-timeout", "200m")]));
            Assert.True(response.GrpcStatus == StatusCode.DeadlineExceeded, response.ToString());
        });

        // The server enforces the deadline it was sent: the handler's token fires, and the call ends DEADLINE_EXCEEDED
        // or, as the protocol lets a server do, with RST_STREAM CANCEL.
        await cancelled.Task.WaitAsync(Ct);
        Assert.True(outcome is null || outcome.GetBaseException() is HttpProtocolException { ErrorCode: 0x8 }, outcome?.ToString());
    }

    [Fact]
    public async Task HandlerIgnoringItsDeadline_DoesNotHoldTheCallerPastIt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedTestService
        {
            Unary = async (_, _) =>
            {
                started.TrySetResult();
                await release.Task;
                return new SimpleResponse();
            },
        };
        await using var server = await service.StartAsync();
        using var raw = server.CreateRawClient();

        var outcome = await Record.ExceptionAsync(async () =>
        {
            var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("grpc-timeout", "200m")]));
            Assert.True(response.GrpcStatus == StatusCode.DeadlineExceeded, response.ToString());
        });

        Assert.True(started.Task.IsCompleted);
        Assert.False(release.Task.IsCompleted);
        Assert.True(outcome is null || outcome.GetBaseException() is HttpProtocolException { ErrorCode: 0x8 }, outcome?.ToString());
        release.SetResult();
    }

    [Fact]
    public async Task ClientDeadline_IsSentAsGrpcTimeout_AndEnforcedOnBothSides()
    {
        var serverSaw = new TaskCompletionSource<(DateTime Deadline, DateTime HandlerStarted)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedTestService
        {
            Unary = async (_, context) =>
            {
                serverSaw.TrySetResult((context.Deadline, DateTime.UtcNow));
                context.CancellationToken.Register(() => serverCancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new SimpleResponse();
            },
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        var callStarted = DateTime.UtcNow;
        var deadline = callStarted.AddMilliseconds(300);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), deadline: deadline, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        // grpc-timeout is relative: the server's deadline is its own receipt time plus at most what was left when the
        // call started, so it can lie after the client's by the time on the way, never long before it.
        var (seen, handlerStarted) = await serverSaw.Task;
        Assert.InRange(seen, deadline.AddSeconds(-5), handlerStarted + (deadline - callStarted) + TimeSpan.FromMilliseconds(1));
        await serverCancelled.Task.WaitAsync(Ct);
    }

    [Fact]
    public async Task DeadlineAlreadyPast_FailsWithoutSending()
    {
        var calls = 0;
        var service = new ScriptedTestService { Unary = (_, _) => { Interlocked.Increment(ref calls); return Task.FromResult(new SimpleResponse()); } };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddSeconds(-1), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ClientCancellation_ResetsTheStream_AndTheHandlerSeesIt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedTestService
        {
            Duplex = async (requests, responses, context) =>
            {
                context.CancellationToken.Register(() => serverCancelled.TrySetResult());
                started.TrySetResult();
                while (await requests.MoveNext(context.CancellationToken))
                {
                    await responses.WriteAsync(new StreamingOutputCallResponse());
                }
            },
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();
        using var cancellation = new CancellationTokenSource();

        using var call = new TestService.TestServiceClient(channel).FullDuplexCall(cancellationToken: cancellation.Token);
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest(), Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        await started.Task;
        await cancellation.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await serverCancelled.Task.WaitAsync(Ct);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DisposingARunningCall_CancelsIt()
    {
        var serverCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedTestService
        {
            ServerStreaming = async (_, responses, context) =>
            {
                context.CancellationToken.Register(() => serverCancelled.TrySetResult());
                await responses.WriteAsync(new StreamingOutputCallResponse());
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            },
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        var call = new TestService.TestServiceClient(channel).StreamingOutputCall(new StreamingOutputCallRequest(), cancellationToken: Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        await started.Task;
        call.Dispose();

        await serverCancelled.Task.WaitAsync(Ct);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerEndingEarly_GivesTheCallerTheServersStatus()
    {
        var service = new ScriptedTestService
        {
            ClientStreaming = async (requests, context) =>
            {
                await requests.MoveNext(context.CancellationToken);
                throw new RpcException(new Status(StatusCode.PermissionDenied, "no agreement for this indicator"));
            },
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        using var call = new TestService.TestServiceClient(channel).StreamingInputCall(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest(), Ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);

        // A write after the end fails, and the call's status stays the server's.
        await Assert.ThrowsAnyAsync<Exception>(() => call.RequestStream.WriteAsync(new StreamingInputCallRequest(), Ct));
        Assert.Equal(StatusCode.PermissionDenied, call.GetStatus().StatusCode);
    }
}
