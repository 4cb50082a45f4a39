using NremNet.Rpc.Health.V1;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Rpc.Health;

/// <summary><c>grpc.health.v1.Health</c> over the server's <see cref="HealthStatusRegistry"/>.</summary>
internal sealed class HealthService(HealthStatusRegistry registry) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(HealthReflection.Descriptor.Services[0])
        .Unary<HealthCheckRequest, HealthCheckResponse>("Check", Check)
        .Unary<HealthListRequest, HealthListResponse>("List", List)
        .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", Watch)
        .Build();

    private Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = registry.GetStatus(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"No health status is known for service '{request.Service}'.");
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    private Task<HealthListResponse> List(HealthListRequest request, ServerCallContext context)
    {
        var response = new HealthListResponse();
        foreach (var (service, status) in registry.GetAll())
        {
            response.Statuses.Add(service, new HealthCheckResponse { Status = status });
        }

        return Task.FromResult(response);
    }

    private async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        var updates = registry.Watch(request.Service, out var subscription);
        using (subscription)
        {
            ServingStatus? last = null;
            while (await updates.WaitToReadAsync(context.CancellationToken).ConfigureAwait(false))
            {
                while (updates.TryRead(out var status))
                {
                    if (status != last)
                    {
                        last = status;
                        await responses.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
                    }
                }
            }
        }
    }
}

/// <summary>A typed client for <c>grpc.health.v1.Health</c>.</summary>
public sealed class HealthClient : ClientBase
{
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> CheckMethod =
        Method.FromDescriptor<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0], "Check");

    private static readonly Method<HealthListRequest, HealthListResponse> ListMethod =
        Method.FromDescriptor<HealthListRequest, HealthListResponse>(HealthReflection.Descriptor.Services[0], "List");

    private static readonly Method<HealthCheckRequest, HealthCheckResponse> WatchMethod =
        Method.FromDescriptor<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0], "Watch");

    /// <summary>Creates a client over an invoker.</summary>
    public HealthClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public HealthClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>The status of a service ("" for the server).</summary>
    public AsyncUnaryCall<HealthCheckResponse> CheckAsync(HealthCheckRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(CheckMethod, null, options, request);

    /// <summary>The status of every service.</summary>
    public AsyncUnaryCall<HealthListResponse> ListAsync(HealthListRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListMethod, null, options, request);

    /// <summary>The status of a service and every change to it.</summary>
    public AsyncServerStreamingCall<HealthCheckResponse> Watch(HealthCheckRequest request, CallOptions options = default) =>
        CallInvoker.AsyncServerStreamingCall(WatchMethod, null, options, request);
}
