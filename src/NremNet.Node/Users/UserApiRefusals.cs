using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using NremNet.Node.Audit;

namespace NremNet.Node.Users;

/// <summary>
/// How a refused user-API call is answered. A gRPC call gets a gRPC status a person can act on — UNAUTHENTICATED without
/// a token or with one refused (saying why), PERMISSION_DENIED without the role (saying which role the method needs and
/// which the caller has, and audited) — instead of the bare HTTP 401 or 403 of an ASP.NET Core challenge. Anything
/// else (the web console) is challenged or forbidden by the console session scheme alone: a redirect to the login page,
/// or the 403 page.
/// </summary>
internal sealed class UserApiRefusals(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        if (!IsGrpc(context.Request))
        {
            // A page is refused by its own door's scheme only: to the login page, or a 403 page (ConsoleSessionAuthentication).
            await _default.HandleAsync(next, context, new AuthorizationPolicy(policy.Requirements, [ConsoleSessionAuthentication.SchemeName]), authorizeResult).ConfigureAwait(false);
            return;
        }

        var method = context.Request.Path.Value ?? string.Empty;
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var principal = UserContext.PrincipalOf(context.User);
            var needed = string.Join(" or ", policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
            var has = principal.Roles.Count == 0 ? "no role" : string.Join(", ", principal.Roles.Select(Domain.Users.UserRules.Name));
            await audit.AppendAsync(principal.Actor, "access.denied", method, "denied", new { needed, has }, CancellationToken.None).ConfigureAwait(false);
            await RefuseAsync(context, StatusCode.PermissionDenied, $"{method} needs the {needed} role; {principal.Username} has {has}. Ask the node's admin.").ConfigureAwait(false);
            return;
        }

        // The scheme keeps its result for the request: this does not check the token again.
        var failure = (await context.AuthenticateAsync(UserTokenAuthentication.SchemeName).ConfigureAwait(false)).Failure;
        await RefuseAsync(context, StatusCode.Unauthenticated, failure is null
            ? "Log in first: this call needs a token ('nremnet login --node-url https://...')."
            : $"The token was refused: {failure.Message}. Log in again ('nremnet login').").ConfigureAwait(false);
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Answers with the status alone, as a trailers-only response: HTTP 200, <c>content-type: application/grpc</c>,
    /// <c>grpc-status</c> and the percent-encoded <c>grpc-message</c> in the headers, no body (gRPC over HTTP/2).
    /// </summary>
    private static Task RefuseAsync(HttpContext context, StatusCode code, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        response.Headers[HeaderNames.CacheControl] = "no-store";
        return response.CompleteAsync();
    }

    /// <summary>The gRPC spec's encoding of <c>grpc-message</c>: UTF-8, with every byte outside printable ASCII and '%' as %XX.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
