using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NremNet.Node.Console;

/// <summary>
/// The console's error pages: a request that ends in an exception, or with an error status and no body (a 400 from a
/// form without its antiforgery token, a 403 for a page the role may not use, a 404 for no such page), is rendered
/// again as <c>GET /error/{status}</c> — keeping its status and the security headers, in a fresh service scope. As a
/// GET whatever the original method: a page does not take a form posted to another page.
/// </summary>
internal sealed class ConsoleErrorPages(RequestDelegate next, ILogger<ConsoleErrorPages> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            ConsoleLog.PageFailed(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, ex);
            context.Response.Clear();
            await RenderAsync(context, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (response.StatusCode is >= 400 and < 600 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await RenderAsync(context, response.StatusCode).ConfigureAwait(false);
        }
    }

    private async Task RenderAsync(HttpContext context, int status)
    {
        var request = context.Request;
        var (method, path, query, services, endpoint) = (request.Method, request.Path, request.QueryString, context.RequestServices, context.GetEndpoint());
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        try
        {
            context.RequestServices = scope.ServiceProvider;
            context.Features.Set<IStatusCodeReExecuteFeature>(new StatusCodeReExecuteFeature
            {
                OriginalPath = path.Value ?? string.Empty,
                OriginalPathBase = request.PathBase.Value ?? string.Empty,
                OriginalQueryString = query.Value,
            });
            request.Method = HttpMethods.Get;
            request.Path = "/error/" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.QueryString = QueryString.Empty;
            request.RouteValues.Clear();
            context.SetEndpoint(null);
            context.Response.StatusCode = status;
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            (request.Method, request.Path, request.QueryString, context.RequestServices) = (method, path, query, services);
            context.SetEndpoint(endpoint);
            context.Features.Set<IStatusCodeReExecuteFeature>(null);
        }
    }
}
