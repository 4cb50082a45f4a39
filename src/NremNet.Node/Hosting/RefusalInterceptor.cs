using Grpc.Core;
using Grpc.Core.Interceptors;
using NremNet.Hosting.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NremNet.Node.Hosting;

/// <summary>
/// Answers the refusals of one area's rules — <typeparamref name="TRefusal"/>, thrown by its stores and rules, which know
/// nothing of gRPC — with the status the area maps them to (<see cref="Answer"/>, the one place per area where
/// they meet gRPC), for every call of the services it is registered for (<see cref="RefusalRegistration.AddRefusals{TService, TRefusals}"/>).
/// </summary>
/// <typeparam name="TRefusal">The area's refusal.</typeparam>
internal abstract class RefusalInterceptor<TRefusal> : Interceptor
    where TRefusal : Exception
{
    /// <summary>
    /// A refusal as a call's status: with field problems, INVALID_ARGUMENT listing them as <c>google.rpc.BadRequest</c>;
    /// otherwise <paramref name="code"/> with the message.
    /// </summary>
    protected static RpcException Refused(StatusCode code, string message, IEnumerable<(string Field, string Description)> problems)
    {
        var list = problems.ToList();
        return list.Count > 0 ? RichErrors.InvalidArgument(message, list) : new RpcException(new Status(code, message));
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (TRefusal refusal)
        {
            throw Answer(refusal);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (TRefusal refusal)
        {
            throw Answer(refusal);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (TRefusal refusal)
        {
            throw Answer(refusal);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (TRefusal refusal)
        {
            throw Answer(refusal);
        }
    }

    /// <summary>The status a refusal is answered with.</summary>
    protected abstract RpcException Answer(TRefusal refusal);
}

/// <summary>Registers an area's refusal mapping for its services.</summary>
internal static class RefusalRegistration
{
    /// <summary>Every call of <typeparamref name="TService"/> goes through <typeparamref name="TRefusals"/> (one instance for the node).</summary>
    public static IServiceCollection AddRefusals<TService, TRefusals>(this IServiceCollection services)
        where TService : class
        where TRefusals : Interceptor
    {
        services.TryAddSingleton<TRefusals>();
        services.AddGrpc().AddServiceOptions<TService>(static o => o.Interceptors.Add<TRefusals>());
        return services;
    }
}
