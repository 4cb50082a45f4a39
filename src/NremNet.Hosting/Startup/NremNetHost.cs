using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NremNet.Hosting.Startup;

/// <summary>How every NremNet process reads its configuration, logs, reports telemetry and stops.</summary>
public static partial class NremNetHost
{
    /// <summary>The prefix of environment variables read as configuration (<c>NREMNET_Node__Country=NL</c>).</summary>
    public const string EnvironmentPrefix = "NREMNET_";

    /// <summary>
    /// Configuration from, in rising precedence: <c>appsettings.json</c> in the working folder (when there is one), the
    /// JSON file (when given), <c>NREMNET_</c> environment variables and <c>--Section:Key=value</c> arguments.
    /// </summary>
    public static void AddConfiguration(IConfigurationBuilder configuration, string? jsonFile, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (jsonFile is not null)
        {
            if (!File.Exists(jsonFile))
            {
                throw new FileNotFoundException($"The configuration file {jsonFile} does not exist.", jsonFile);
            }

            configuration.AddJsonFile(Path.GetFullPath(jsonFile), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(arguments);
    }

    /// <summary>
    /// One line per entry on the console, from the <c>Logging</c> section. ASP.NET Core's and gRPC's per-request
    /// diagnostics are off: the services log and audit what happened to each call.
    /// </summary>
    public static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // Logs go to standard error; standard output carries only what a caller reads (the line saying the host serves).
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        // A failing check is logged once per change (HealthEndpoints); not again on every run and probe.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None);
    }

    /// <summary>
    /// Traces and metrics (OpenTelemetry), when asked for: <c>Telemetry:OtlpEndpoint</c> (exported there over OTLP) or
    /// <c>Telemetry:Enabled</c> = true (a host adds its own exporter to the builder returned; the tests add an in-memory
    /// one). Incoming calls (ASP.NET Core), outgoing gRPC and HTTP calls (W3C <c>traceparent</c> carried to the callee,
    /// so a call across two countries is one trace) and the process's own source and meter named
    /// <paramref name="serviceName"/>. Off otherwise: an idle node then keeps no telemetry pipeline in memory and a call
    /// records nothing.
    /// </summary>
    /// <returns>The OpenTelemetry builder, or null when telemetry is off.</returns>
    public static IOpenTelemetryBuilder? AddTelemetry(IServiceCollection services, IConfiguration configuration, string serviceName, string? instance)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = configuration["Telemetry:OtlpEndpoint"];
        Uri? target = string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint, UriKind.Absolute);
        if (target is null && !configuration.GetValue<bool>("Telemetry:Enabled"))
        {
            return null;
        }

        return services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: instance))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.RecordException = true)
                    .AddGrpcClientInstrumentation(o => o.SuppressDownstreamInstrumentation = true)
                    .AddHttpClientInstrumentation()
                    .AddSource(serviceName);
                if (target is not null)
                {
                    tracing.AddOtlpExporter(o => { o.Endpoint = target; o.Protocol = OtlpExportProtocol.Grpc; });
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter(serviceName);
                if (target is not null)
                {
                    metrics.AddOtlpExporter(o => { o.Endpoint = target; o.Protocol = OtlpExportProtocol.Grpc; });
                }
            });
    }

    /// <summary>Stops the application when the process that started it exits (so a crashed parent leaves no orphans).</summary>
    public static void StopWithParent(IServiceCollection services, int? parentProcessId)
    {
        if (parentProcessId is { } pid)
        {
            services.AddHostedService(sp => new ParentWatchdog(pid, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<ParentWatchdog>>()));
        }
    }

    private sealed partial class ParentWatchdog(int parentProcessId, IHostApplicationLifetime lifetime, ILogger<ParentWatchdog> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Process parent;
            try
            {
                parent = Process.GetProcessById(parentProcessId);
            }
            catch (ArgumentException)
            {
                ParentGone(logger, parentProcessId);
                lifetime.StopApplication();
                return;
            }

            using (parent)
            {
                try
                {
                    await parent.WaitForExitAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            ParentGone(logger, parentProcessId);
            lifetime.StopApplication();
        }

        [LoggerMessage(1, LogLevel.Warning, "The parent process {ParentProcessId} is gone; stopping.", EventName = "ParentGone")]
        private static partial void ParentGone(ILogger logger, int parentProcessId);
    }
}
