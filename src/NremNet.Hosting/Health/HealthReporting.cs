using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Rpc;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Hosting.Health;

/// <summary>One health check and why it passed or failed.</summary>
/// <param name="Name">What is checked, e.g. <c>snapshot</c>.</param>
/// <param name="Healthy">Whether it is fine.</param>
/// <param name="Reason">Why, for a person.</param>
public sealed record HealthCheckResult(string Name, bool Healthy, string Reason);

/// <summary>Runs a process's health checks.</summary>
public interface IHealthReporter
{
    /// <summary>Every check, now.</summary>
    Task<IReadOnlyList<HealthCheckResult>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Serves health as HTTP <c>/healthz</c> and keeps <c>grpc.health.v1</c>'s overall status in step.</summary>
public static partial class HealthReporting
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Answers <c>GET /healthz</c> with 200 or 503 and every check with its reason as JSON. Other requests go on down
    /// the pipeline.
    /// </summary>
    public static IApplicationBuilder UseHealthz(this IApplicationBuilder app, IHealthReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return app.Use(next => async http =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) || http.Request.Path != "/healthz")
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            var checks = await reporter.CheckAsync(http.RequestAborted).ConfigureAwait(false);
            var healthy = checks.All(c => c.Healthy);
            http.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonSerializer.Serialize(new { status = healthy ? "healthy" : "unhealthy", checks }, Json), http.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>Logs a failing check once per change.</summary>
    [LoggerMessage(1, LogLevel.Warning, "Health check '{Check}' fails: {Reason}", EventName = "HealthCheckFailing")]
    internal static partial void CheckFailing(ILogger logger, string check, string reason);

    /// <summary>Logs a check that recovered.</summary>
    [LoggerMessage(2, LogLevel.Information, "Health check '{Check}' passes again: {Reason}", EventName = "HealthCheckRecovered")]
    internal static partial void CheckRecovered(ILogger logger, string check, string reason);
}

/// <summary>Re-runs the health checks on an interval: logs changes and sets the overall <c>grpc.health.v1</c> status.</summary>
public sealed class HealthMonitor(IHealthReporter reporter, HealthStatusRegistry registry, TimeProvider time, ILogger<HealthMonitor> logger, TimeSpan? interval = null) : BackgroundService
{
    private readonly Dictionary<string, bool> _last = new(StringComparer.Ordinal);

    /// <summary>The latest results.</summary>
    public IReadOnlyList<HealthCheckResult> Latest { get; private set; } = [];

    /// <summary>Runs the checks once and applies the result.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var results = await reporter.CheckAsync(cancellationToken).ConfigureAwait(false);
        Latest = results;
        foreach (var result in results)
        {
            if (!_last.TryGetValue(result.Name, out var previous) || previous != result.Healthy)
            {
                if (result.Healthy)
                {
                    if (_last.ContainsKey(result.Name))
                    {
                        HealthReporting.CheckRecovered(logger, result.Name, result.Reason);
                    }
                }
                else
                {
                    HealthReporting.CheckFailing(logger, result.Name, result.Reason);
                }

                _last[result.Name] = result.Healthy;
            }
        }

        registry.SetStatus(string.Empty, results.All(r => r.Healthy) ? ServingStatus.Serving : ServingStatus.NotServing);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval ?? TimeSpan.FromSeconds(10), time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
