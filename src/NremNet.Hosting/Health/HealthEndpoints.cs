using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace NremNet.Hosting.Health;

/// <summary>
/// A process's health, once: ASP.NET Core health checks (<see cref="IHealthCheck"/>, one per thing checked, each with
/// its reason) feed both <c>grpc.health.v1.Health</c> (Grpc.AspNetCore.HealthChecks, service "") and HTTP
/// <c>GET /healthz</c> (200 or 503 with every check as JSON); a publisher logs each check that starts or stops failing.
/// </summary>
public static partial class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>How often the checks run for the log of changes.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>Registers the health checks' plumbing; add the checks to the builder returned.</summary>
    public static IHealthChecksBuilder AddNremNetHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = Period;
        });
        services.AddSingleton<IHealthCheckPublisher, HealthChangeLog>();
        return services.AddGrpcHealthChecks(o =>
        {
            // The overall status: every check. A Check call runs the checks then, not from the last publication.
            o.Services.Map(string.Empty, _ => true);
            o.UseHealthChecksCache = false;
        });
    }

    /// <summary>Maps <c>GET /healthz</c>: 200 when every check passes, 503 otherwise, each check with its reason.</summary>
    public static IEndpointConventionBuilder MapHealthz(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcHealth(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcHealthChecksService();

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var checks = report.Entries.Select(e => new { name = e.Key, healthy = e.Value.Status == HealthStatus.Healthy, reason = e.Value.Description ?? e.Value.Exception?.Message ?? string.Empty });
        return http.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status == HealthStatus.Healthy ? "healthy" : "unhealthy", checks }, Json), http.RequestAborted);
    }

    [LoggerMessage(1, LogLevel.Warning, "Health check '{Check}' fails: {Reason}", EventName = "HealthCheckFailing")]
    private static partial void CheckFailing(ILogger logger, string check, string reason);

    [LoggerMessage(2, LogLevel.Information, "Health check '{Check}' passes again: {Reason}", EventName = "HealthCheckRecovered")]
    private static partial void CheckRecovered(ILogger logger, string check, string reason);

    /// <summary>Logs the checks that change, each time the publisher runs them.</summary>
    private sealed class HealthChangeLog(ILogger<HealthChangeLog> logger) : IHealthCheckPublisher
    {
        private readonly Dictionary<string, bool> _last = new(StringComparer.Ordinal);

        public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
        {
            lock (_last)
            {
                foreach (var (name, entry) in report.Entries)
                {
                    var healthy = entry.Status == HealthStatus.Healthy;
                    var reason = entry.Description ?? entry.Exception?.Message ?? string.Empty;
                    if (_last.TryGetValue(name, out var previous) && previous == healthy)
                    {
                        continue;
                    }

                    if (!healthy)
                    {
                        CheckFailing(logger, name, reason);
                    }
                    else if (_last.ContainsKey(name))
                    {
                        CheckRecovered(logger, name, reason);
                    }

                    _last[name] = healthy;
                }
            }

            return Task.CompletedTask;
        }
    }
}
