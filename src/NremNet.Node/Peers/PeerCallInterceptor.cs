using Microsoft.Extensions.Logging;
using NremNet.Node.Audit;
using NremNet.Rpc;

namespace NremNet.Node.Peers;

/// <summary>
/// Guards the peer API: every call passes the <see cref="PeerGate"/> and is audited, admitted or refused. Health checks
/// are exempt, so monitoring needs only a network certificate.
/// </summary>
internal sealed class PeerCallInterceptor(PeerGate gate, AuditLog audit, ILogger<PeerCallInterceptor> logger) : Interceptor
{
    /// <summary>The key under which the admitted caller's country is kept in the call's user state.</summary>
    public const string CountryKey = "nremnet.peer.country";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private async Task AdmitAsync(ServerCallContext context)
    {
        if (context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal))
        {
            return;
        }

        var decision = gate.Decide(context.ClientCertificate);
        var actor = decision.Country is null ? "anonymous" : "peer:" + decision.Country;
        if (!decision.Allowed)
        {
            NodeLog.PeerRefused(logger, actor, context.Method, decision.Reason);
            await audit.AppendAsync(actor, "peer.refused", context.Method, "denied", new { reason = decision.Reason, peer = context.Peer, certificate = context.ClientCertificate?.Subject }, CancellationToken.None).ConfigureAwait(false);
            throw new RpcException(decision.Code, $"This node refuses the call: {decision.Reason}.");
        }

        context.UserState[CountryKey] = decision.Country;
        await audit.AppendAsync(actor, "peer.call", context.Method, "ok", new { peer = context.Peer }, CancellationToken.None).ConfigureAwait(false);
    }
}
