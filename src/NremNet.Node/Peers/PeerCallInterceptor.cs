using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using NremNet.Hosting.Certificates;
using NremNet.Node.Audit;

namespace NremNet.Node.Peers;

/// <summary>
/// Guards the peer API: every call of a peer service (<see cref="PeersRegistration.AddPeerService{TService}"/>) passes the
/// <see cref="PeerGate"/> before its handler runs, and is audited, admitted or refused. The TLS handshake has already
/// checked the chain to the network CA; this checks the country and the pinned certificate against the verified directory
/// snapshot. Health is no peer service, so monitoring needs only a network certificate.
/// </summary>
internal sealed class PeerCallInterceptor(PeerGate gate, AuditLog audit, ILogger<PeerCallInterceptor> logger) : Interceptor
{
    /// <summary>The key under which the admitted caller's country is kept in the call's user state.</summary>
    public const string CountryKey = "nremnet.peer.country";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    /// <summary>
    /// Methods whose service writes one audit record for every call it is given, whatever the outcome (answered,
    /// denied, refused, invalid, duplicate), in the transaction of the change where there is one. Admitting them here
    /// would record each call twice, and on the busiest paths (statistics queries, referral delivery) the audit write
    /// is most of the cost of a call. Refusals at the door are still recorded here.
    /// </summary>
    private static bool SelfAudited(string method) =>
        method == "/nremnet.aggregates.v1.AggregateService/Query" || method.StartsWith("/nremnet.referrals.v1.ReferralService/", StringComparison.Ordinal);

    private async Task AdmitAsync(ServerCallContext context)
    {
        var certificate = context.ClientCertificate();
        var decision = gate.Decide(certificate);
        var actor = decision.Country is null ? "anonymous" : "peer:" + decision.Country;
        if (!decision.Allowed)
        {
            NodeLog.PeerRefused(logger, actor, context.Method, decision.Reason);
            await audit.AppendAsync(actor, "peer.refused", context.Method, "denied", new { reason = decision.Reason, peer = context.Peer, certificate = certificate?.Subject }, CancellationToken.None).ConfigureAwait(false);
            throw new RpcException(new Status(decision.Country is null ? StatusCode.Unauthenticated : StatusCode.PermissionDenied, $"This node refuses the call: {decision.Reason}."));
        }

        context.UserState[CountryKey] = decision.Country!;
        if (!SelfAudited(context.Method))
        {
            await audit.AppendAsync(actor, "peer.call", context.Method, "ok", new { peer = context.Peer }, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
