using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using NremNet.Node.Hosting;

namespace NremNet.Node.Console;

/// <summary>
/// The headers every response of the web console carries — pages, redirects, error pages and assets alike: a strict
/// Content-Security-Policy (no inline script or style, nothing from elsewhere, no framing, no base element, forms
/// only to the console itself), HSTS, nosniff, no referrer, no powerful browser features, and <c>no-store</c> unless
/// the endpoint chose its caching (the fingerprinted assets).
/// </summary>
internal sealed class ConsoleSecurityHeaders(RequestDelegate next)
{
    /// <summary>The Content-Security-Policy of every console response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>The Permissions-Policy: none of the browser features the console has no use for.</summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>Whether a request is one the console answers: on the console listener, and not a gRPC call.</summary>
    public static bool IsConsoleRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NodeListeners.ListenerOf(context) == NodeListener.Console
            && !(context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) ?? false);
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.StrictTransportSecurity = "max-age=31536000";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            if (!headers.ContainsKey(HeaderNames.CacheControl))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
