using Grpc.Core;
using NremNet.Domain.Referrals;
using NremNet.Node.Hosting;

namespace NremNet.Node.Referrals;

/// <summary>
/// Where the refusals of the referral rules (<see cref="ReferralRefusal"/>) meet gRPC: the status code of each kind, the
/// form's field problems as <c>google.rpc.BadRequest</c>. As an interceptor it answers every call of the user API's
/// <see cref="ReferralUserService"/>; the peer API's <see cref="ReferralPeerService"/> answers refusals message by message
/// with it.
/// </summary>
internal sealed class ReferralRefusals : RefusalInterceptor<ReferralRefusedException>
{
    /// <summary>The status code a kind of refusal is answered with.</summary>
    public static StatusCode StatusOf(ReferralRefusalKind kind) => kind switch
    {
        ReferralRefusalKind.Invalid => StatusCode.InvalidArgument,
        ReferralRefusalKind.NotFound => StatusCode.NotFound,
        ReferralRefusalKind.WrongState => StatusCode.FailedPrecondition,
        ReferralRefusalKind.Forbidden => StatusCode.PermissionDenied,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Every kind of refusal has a status code."),
    };

    /// <summary>The refusal as the status a call ends with.</summary>
    public static RpcException ToRpcException(ReferralRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Refused(StatusOf(refusal.Kind), refusal.Message, refusal.Problems.Select(p => (p.Field, p.Problem)));
    }

    /// <summary>How the audit log names a refusal of a peer's message or call: by the status code the peer was answered with.</summary>
    public static string AuditCode(ReferralRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return StatusOf(refusal.Kind).ToString();
    }

    /// <inheritdoc />
    protected override RpcException Answer(ReferralRefusedException refusal) => ToRpcException(refusal.Refusal);
}
