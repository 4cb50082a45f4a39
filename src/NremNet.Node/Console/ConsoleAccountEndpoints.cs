using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Node.Users;

namespace NremNet.Node.Console;

/// <summary>
/// The console's two forms that are not pages: logging out (<c>POST /logout</c>: ends the session on the node, removes
/// the cookie) and choosing a language (<c>POST /language</c>: sets the language cookie, back to the page). Both refuse a
/// post without the console's antiforgery token with a 400 and change nothing.
/// </summary>
internal static class ConsoleAccountEndpoints
{
    /// <summary>The logout form's address.</summary>
    public const string LogoutPath = "/logout";

    /// <summary>The language picker's address.</summary>
    public const string LanguagePath = "/language";

    /// <summary>Maps both.</summary>
    public static IEnumerable<IEndpointConventionBuilder> Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        yield return endpoints.MapPost(LogoutPath, LogoutAsync).AllowAnonymous().DisableAntiforgery();
        yield return endpoints.MapPost(LanguagePath, ChooseLanguageAsync).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task LogoutAsync(HttpContext context)
    {
        // Without a live session there is nothing to end, and the form's token (made for the signed-in user) no longer
        // matches: the browser just goes to the login page.
        if (context.User.Identity?.IsAuthenticated == true && !await AntiforgeryHoldsAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (context.User.FindFirst(ConsoleSessionAuthentication.SessionIdClaim)?.Value is { } session && context.User.Identity?.Name is { } username)
        {
            var users = context.RequestServices.GetRequiredService<UserStore>();
            await users.EndConsoleSessionAsync(session, username, context.Connection.RemoteIpAddress?.ToString() ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        }

        ConsoleSessionAuthentication.SignOut(context);
        context.Response.Redirect(ConsoleReturnUrl.LoginPath + "?signedOut=1");
    }

    private static async Task ChooseLanguageAsync(HttpContext context)
    {
        if (!await AntiforgeryHoldsAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var language = form["language"].ToString();
        if (ConsoleLanguages.IsAvailable(language))
        {
            context.Response.Cookies.Append(ConsoleLanguages.CookieName, ConsoleLanguages.CookieValue(language), new CookieOptions
            {
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
            });
        }

        context.Response.Redirect(ConsoleReturnUrl.Safe(form["returnUrl"].ToString()));
    }

    /// <summary>Validates the form's antiforgery token; without a valid one answers 400 (the console's error page) and says no.</summary>
    private static async Task<bool> AntiforgeryHoldsAsync(HttpContext context)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            ConsoleLog.AntiforgeryRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAccountEndpoints)), context.Request.Path.Value ?? string.Empty);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
    }
}
