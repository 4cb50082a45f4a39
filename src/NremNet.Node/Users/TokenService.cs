using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Users;

/// <summary><c>nremnet.local.v1.TokenService</c>: the caller's own personal API tokens.</summary>
internal sealed class TokenService(UserStore users, IOptions<NodeOptions> options) : Proto.TokenService.TokenServiceBase
{
    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<CreateTokenResponse> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (token, secret) = await users.CreateTokenAsync(context.Principal(), request.Name, UserApiMapping.LifetimeOr(request.Lifetime, options.Value.TokenLifetime), context.CancellationToken).ConfigureAwait(false);
        return new CreateTokenResponse { Secret = secret, Token = token.ToContract() };
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<ListTokensResponse> ListTokens(ListTokensRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new ListTokensResponse();
        response.Tokens.AddRange((await users.ListTokensAsync(context.Principal().UserId, context.CancellationToken).ConfigureAwait(false)).Select(t => t.ToContract()));
        return response;
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<RevokeTokenResponse> RevokeToken(RevokeTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new() { Token = (await users.RevokeTokenAsync(context.Principal(), request.Id, context.CancellationToken).ConfigureAwait(false)).ToContract() };
    }
}
