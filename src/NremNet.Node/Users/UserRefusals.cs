using Grpc.Core;
using NremNet.Node.Hosting;

namespace NremNet.Node.Users;

/// <summary>
/// Where the refusals of the account rules (<see cref="UserRefusedException"/>) meet gRPC: the status code of each kind,
/// field problems as <c>google.rpc.BadRequest</c>. As an interceptor it answers every call of <see cref="SessionService"/>,
/// <see cref="UserService"/> and <see cref="TokenService"/>. (Calls refused before they reach a service — no token, no
/// role — are answered by <see cref="UserApiRefusals"/>.)
/// </summary>
internal sealed class UserRefusals : RefusalInterceptor<UserRefusedException>
{
    /// <summary>The status a refusal is answered with.</summary>
    public static RpcException ToRpcException(UserRefusedException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var code = refusal.Kind switch
        {
            UserRefusalKind.Invalid => StatusCode.InvalidArgument,
            UserRefusalKind.AlreadyExists => StatusCode.AlreadyExists,
            UserRefusalKind.NotFound => StatusCode.NotFound,
            UserRefusalKind.LoginRefused => StatusCode.Unauthenticated,
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Every kind of refusal has a status code."),
        };
        return Refused(code, refusal.Message, refusal.Problems);
    }

    /// <inheritdoc />
    protected override RpcException Answer(UserRefusedException refusal) => ToRpcException(refusal);
}
