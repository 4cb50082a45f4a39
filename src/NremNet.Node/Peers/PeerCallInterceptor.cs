using Microsoft.Extensions.Logging;
using NremNet.Node.Audit;
using NremNet.Rpc;

namespace NremNet.Node.Peers;

/// <summary>
/// Guards the peer API: every call passes the <see cref="PeerGate"/> and is audited, admitted or refused. Health checks
/// are exempt, so monitoring needs only a network certificate.
/// </summary>
internal sealed class PeerCallInterceptor(PeerGate gate, AuditLog audit, ILogger<PeerCallInterceptor> logger) : AdmissionInterceptor
{
    /// <summary>The key under which the admitted caller's country is kept in the call's user state.</summary>
    public const string CountryKey = "nremnet.peer.country";

    /// <summary>
    /// Methods whose service writes one audit record for every call it is given, whatever the outcome (answered,
    /// denied, refused, invalid, duplicate), in the transaction of the change where there is one. Admitting them here
    /// would record each call twice, and on the busiest paths (statistics queries, referral delivery) the audit write
    /// is most of the cost of a call. Refusals at the door are still recorded here.
    /// </summary>
    private static bool SelfAudited(string method) =>
        method == "/nremnet.aggregates.v1.AggregateService/Query" || method.StartsWith("/nremnet.referrals.v1.ReferralService/", StringComparison.Ordinal);

    protected override async Task AdmitAsync(ServerCallContext context)
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
        if (!SelfAudited(context.Method))
        {
            await audit.AppendAsync(actor, "peer.call", context.Method, "ok", new { peer = context.Peer }, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
