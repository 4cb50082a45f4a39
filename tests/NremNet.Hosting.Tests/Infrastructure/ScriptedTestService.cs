using Grpc.Core;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace NremNet.Hosting.Tests.Infrastructure;

/// <summary>
/// <c>grpc.testing.TestService</c> with handlers a test writes: each call shape runs the delegate given for it; the
/// methods left without one answer UNIMPLEMENTED (the generated base's answer).
/// </summary>
internal sealed class ScriptedTestService : TestService.TestServiceBase
{
    public Func<SimpleRequest, ServerCallContext, Task<SimpleResponse>>? Unary { get; init; }

    public Func<StreamingOutputCallRequest, IServerStreamWriter<StreamingOutputCallResponse>, ServerCallContext, Task>? ServerStreaming { get; init; }

    public Func<IAsyncStreamReader<StreamingInputCallRequest>, ServerCallContext, Task<StreamingInputCallResponse>>? ClientStreaming { get; init; }

    public Func<IAsyncStreamReader<StreamingOutputCallRequest>, IServerStreamWriter<StreamingOutputCallResponse>, ServerCallContext, Task>? Duplex { get; init; }

    /// <summary>Starts a <see cref="TestServer"/> serving this service.</summary>
    public Task<TestServer> StartAsync(params string[] expectedErrors) =>
        TestServer.StartAsync(map: app => app.MapGrpcService<ScriptedTestService>(), services: s => s.AddSingleton(this), expectedErrors: expectedErrors);

    public override Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context) =>
        Unary is { } handler ? handler(request, context) : base.UnaryCall(request, context);

    public override Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context) =>
        ServerStreaming is { } handler ? handler(request, responseStream, context) : base.StreamingOutputCall(request, responseStream, context);

    public override Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context) =>
        ClientStreaming is { } handler ? handler(requestStream, context) : base.StreamingInputCall(requestStream, context);

    public override Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context) =>
        Duplex is { } handler ? handler(requestStream, responseStream, context) : base.FullDuplexCall(requestStream, responseStream, context);
}
