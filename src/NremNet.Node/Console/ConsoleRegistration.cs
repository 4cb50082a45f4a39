using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Node.Console.Components;
using NremNet.Node.Console.Home;
using NremNet.Node.Hosting;
using NremNet.Node.Users;

namespace NremNet.Node.Console;

/// <summary>
/// The web console: Razor Components rendered on the server (static rendering, enhanced navigation and forms), served
/// on the console listener only, in English, French, Spanish and Arabic, behind the console session cookie and the
/// user API's role policies, with strict security headers on every response. See the "Web console" section of the
/// node's README for adding a page.
/// </summary>
internal static class ConsoleRegistration
{
    /// <summary>
    /// The antiforgery cookie of the node of <paramref name="country"/> (<c>__Host-</c>, HttpOnly, SameSite=Strict): the
    /// console's forms carry its token. Per country, as the session cookie, since the nodes of a local federation share a host.
    /// </summary>
    public static string AntiforgeryCookieName(string country) => $"__Host-nremnet-{country.ToLowerInvariant()}-antiforgery";

    /// <summary>
    /// The console's services: Razor Components, localization from <c>Console/Resources</c>, antiforgery with its
    /// data-protection keys in the node's data folder (<c>console-keys/</c>), the assets, the alerts and the home page's
    /// figures.
    /// </summary>
    public static IServiceCollection AddNodeConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddLocalization();
        services.AddCascadingAuthenticationState();
        services.Configure<RequestLocalizationOptions>(ConsoleLanguages.Configure);

        // Antiforgery tokens are protected with keys kept beside the node's database, so a restart does not void the
        // forms open in browsers, and nothing is written to the account's home folder.
        services.AddDataProtection().SetApplicationName("NremNet.Node");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<NodeOptions>, ILoggerFactory>((keys, node, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(Path.GetFullPath(node.Value.DataDirectory), "console-keys")), logs));
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<NodeOptions>>((options, node) =>
        {
            options.Cookie.Name = AntiforgeryCookieName(node.Value.Country);
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.Path = "/";
            options.SuppressXFrameOptionsHeader = true;
        });

        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<ConsoleAlerts>();
        services.AddSingleton<HomeOverview>();
        return services;
    }

    /// <summary>
    /// The console's middleware, for its requests only (console listener, not gRPC), ahead of routing: the security
    /// headers, the request's language, and the error pages (<see cref="ConsoleErrorPages"/>).
    /// </summary>
    public static IApplicationBuilder UseNodeConsole(this IApplicationBuilder app) =>
        app.UseWhen(ConsoleSecurityHeaders.IsConsoleRequest, console =>
        {
            console.UseMiddleware<ConsoleSecurityHeaders>();
            console.UseRequestLocalization();
            console.UseMiddleware<ConsoleErrorPages>();
        });

    /// <summary>
    /// Maps the console on the console listener: its pages (<see cref="App"/>'s assembly), the logout and language forms —
    /// all marked as the console session cookie's door (<see cref="UserDoors"/>) — and the assets.
    /// </summary>
    public static void MapNodeConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>().On(NodeListener.Console).WithMetadata(ConsolePageMetadata.Instance);
        foreach (var form in ConsoleAccountEndpoints.Map(endpoints))
        {
            form.On(NodeListener.Console).WithMetadata(ConsolePageMetadata.Instance);
        }

        ConsoleAssets.Map(endpoints).On(NodeListener.Console).AllowAnonymous();
    }
}
