using System.Globalization;
using System.Security.Claims;
using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Node.Users;

/// <summary>The authenticated caller of a user API call.</summary>
internal static class UserContext
{
    /// <summary>Who the call acts for, as authentication found it.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED: the call has no authenticated user (a method that allows anonymous callers asked).</exception>
    public static UserPrincipal Principal(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PrincipalOf(context.GetHttpContext().User);
    }

    /// <summary>Who <paramref name="user"/> is, from the claims <see cref="UserTokenAuthentication"/> gives.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED: <paramref name="user"/> is not authenticated.</exception>
    public static UserPrincipal PrincipalOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } id || user.Identity.Name is not { } name)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "This call has no authenticated user."));
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => UserRules.ParseRole(c.Value)).OfType<Role>().ToList();
        return new UserPrincipal(long.Parse(id, CultureInfo.InvariantCulture), name, roles, user.FindFirst(UserTokenAuthentication.TokenIdClaim)?.Value ?? string.Empty);
    }
}
