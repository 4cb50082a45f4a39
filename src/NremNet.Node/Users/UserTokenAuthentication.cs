using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Domain.Users;
using NremNet.Node.Hosting;

namespace NremNet.Node.Users;

/// <summary>
/// The authentication scheme of the user API: a personal API token in the <c>authorization: Bearer nrn_...</c> header,
/// checked against the node's tokens (not expired or revoked, its account enabled). The caller becomes a
/// <see cref="ClaimsPrincipal"/> with its user id, name, token id and one role claim per role. Tokens are for the user
/// API's gRPC methods only (<see cref="UserDoors"/>): on the peer listener, and for the web console's pages, the header is
/// not even looked at.
/// </summary>
internal sealed class UserTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, UserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "NremNetToken";

    /// <summary>The claim naming the token the caller presented.</summary>
    public const string TokenIdClaim = "nremnet:token";

    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (NodeListeners.ListenerOf(Context) != NodeListener.Console || !UserDoors.IsUserApiCall(Context) || header is null || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var (principal, problem) = await users.AuthenticateAsync(header[Bearer.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            NodeLog.TokenRefused(Logger, Request.Path.Value ?? string.Empty, problem);
            return AuthenticateResult.Fail(problem);
        }

        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, principal.UserId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, principal.Username),
            new(TokenIdClaim, principal.TokenId),
            .. principal.Roles.Select(role => new Claim(ClaimTypes.Role, UserRules.Name(role))),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
