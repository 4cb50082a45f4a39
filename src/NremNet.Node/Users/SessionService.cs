using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Hosting.Grpc;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Users;

/// <summary><c>nremnet.local.v1.SessionService</c>: login and who-am-I.</summary>
internal sealed class SessionService(UserStore users, IOptions<NodeOptions> options) : Proto.SessionService.SessionServiceBase
{
    [AllowAnonymous]
    public override async Task<LoginResponse> Login(LoginRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            throw RichErrors.InvalidArgument("The login", [("username", "and password are required")]);
        }

        var (user, token, secret) = await users.LoginAsync(request.Username.Trim(), request.Password, request.TokenName, UserApiMapping.LifetimeOr(request.Lifetime, options.Value.TokenLifetime), context.Peer, context.CancellationToken).ConfigureAwait(false);
        return new LoginResponse { Secret = secret, Token = token.ToContract(), User = user.ToContract() };
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal();
        var user = (await users.ListAsync(context.CancellationToken).ConfigureAwait(false)).Single(u => u.Id == principal.UserId);
        var token = (await users.ListTokensAsync(principal.UserId, context.CancellationToken).ConfigureAwait(false)).Single(t => t.Id == principal.TokenId);
        return new WhoAmIResponse { User = user.ToContract(), Country = options.Value.Country, Token = token.ToContract() };
    }
}
