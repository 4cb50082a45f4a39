using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Domain.Users;
using NremNet.Node.Audit;
using NremNet.Node.Console;
using NremNet.Node.Hosting;

namespace NremNet.Node.Users;

/// <summary>
/// The authentication scheme of the web console: the session cookie (<see cref="CookieName"/>) carries the secret of a
/// console session that <see cref="UserStore"/> opened at login, and every request checks it against the node's
/// sessions — so logging out, disabling the account, idleness (<c>Node:Console:IdleTimeout</c>) or age
/// (<c>Node:Console:SessionLifetime</c>) ends it at once. It answers for console pages only (<see cref="UserDoors"/>):
/// a challenge redirects to the login page with the page asked for as a local return address; a refusal is a 403,
/// audited, shown as the console's 403 page.
/// </summary>
internal sealed class ConsoleSessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    UserStore users,
    AuditLog audit,
    IOptions<NodeOptions> node)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "NremNetConsole";

    /// <summary>
    /// The session cookie of the node of <paramref name="country"/>: <c>__Host-</c> (the browser keeps it to this host
    /// and path /, over HTTPS only), HttpOnly, SameSite=Strict, and without an expiry, so it ends with the browser session
    /// if not before. Named after the country because browsers share cookies between the ports of one host, and a local
    /// federation runs every node on 127.0.0.1.
    /// </summary>
    public static string CookieName(string country) => $"__Host-nremnet-{country.ToLowerInvariant()}-session";

    /// <summary>The claim naming the session.</summary>
    public const string SessionIdClaim = "nremnet:console-session";

    /// <summary>The claim with the account's display name.</summary>
    public const string DisplayNameClaim = "nremnet:display-name";

    /// <summary>The claim with the end of the account's previous visit (round-trip format), when it had one.</summary>
    public const string PreviousVisitClaim = "nremnet:previous-visit";

    /// <summary>Sets the session cookie after a login.</summary>
    public static void SignIn(HttpContext context, string secret)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieOf(context), secret, CookieOptions());
    }

    /// <summary>Removes the session cookie (the session itself is ended by <see cref="UserStore.EndConsoleSessionAsync"/>).</summary>
    public static void SignOut(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CookieOf(context), CookieOptions());
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (NodeListeners.ListenerOf(Context) != NodeListener.Console || !UserDoors.IsConsolePage(Context) || Request.Cookies[CookieName(node.Value.Country)] is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        var (session, problem) = await users.ResumeConsoleSessionAsync(secret, node.Value.Console.IdleTimeout, Context.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            ConsoleLog.SessionRefused(Logger, Request.Path.Value ?? string.Empty, problem);
            if (!Response.HasStarted)
            {
                SignOut(Context);
            }

            return AuthenticateResult.Fail(problem);
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, session.UserId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, session.Username),
            new(DisplayNameClaim, session.DisplayName),
            new(SessionIdClaim, session.Id),
            .. session.Roles.Select(role => new Claim(ClaimTypes.Role, UserRules.Name(role))),
        ];
        if (session.PreviousVisitAt is { } previous)
        {
            claims.Add(new Claim(PreviousVisitClaim, previous.ToString("O", CultureInfo.InvariantCulture)));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var asked = ConsoleReturnUrl.Safe(Request.PathBase + Request.Path + Request.QueryString);
        Response.Redirect(asked == "/" ? ConsoleReturnUrl.LoginPath : $"{ConsoleReturnUrl.LoginPath}?returnUrl={Uri.EscapeDataString(asked)}");
        return Task.CompletedTask;
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (Context.User.Identity?.IsAuthenticated == true)
        {
            var has = string.Join(", ", Context.User.FindAll(ClaimTypes.Role).Select(c => c.Value));
            await audit.AppendAsync("user:" + Context.User.Identity.Name, "access.denied", Request.Path.Value ?? string.Empty, "denied", new { door = "console", has }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string CookieOf(HttpContext context) => CookieName(context.RequestServices.GetRequiredService<IOptions<NodeOptions>>().Value.Country);

    private static CookieOptions CookieOptions() => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
