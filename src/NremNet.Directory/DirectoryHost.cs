using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NremNet.Directory.Api;
using NremNet.Directory.Health;
using NremNet.Directory.Hosting;
using NremNet.Directory.Members;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Storage;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Health;
using NremNet.Hosting.Startup;

namespace NremNet.Directory;

/// <summary>Builds and runs the directory process.</summary>
public static class DirectoryHost
{
    /// <summary>The service name in telemetry, and the directory's log category prefix.</summary>
    private const string ServiceName = "NremNet.Directory";

    /// <summary>
    /// Builds the directory from <paramref name="configuration"/> (section <c>Directory</c>; relative paths are resolved
    /// against the current directory). The options are validated and the credentials loaded before this returns.
    /// </summary>
    /// <param name="configuration">The whole configuration: <c>Directory</c>, and optionally <c>Logging</c> and <c>Telemetry</c>.</param>
    /// <param name="configureServices">Last changes to the services, e.g. a fake <see cref="TimeProvider"/> or a log provider in tests.</param>
    /// <returns>
    /// The application, not yet started, serving <c>nremnet.directory.v1.DirectoryService</c>, server reflection,
    /// <c>grpc.health.v1.Health</c> and <c>GET /healthz</c>; the database is brought up to date and the snapshot published
    /// when it starts.
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// The configuration is invalid (the message names every bad key), the certificate, key or CA cannot be used (the
    /// message says which file and why), or a method of the directory's proto service has no implementation (named).
    /// </exception>
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = WebApplication.CreateSlimBuilder();
        // Only what the caller passes: no appsettings.json picked up from wherever the process happens to run.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);

        NremNetHost.ConfigureLogging(builder.Logging, builder.Configuration);
        // Standard output carries only the "listening on" line, for whoever started the process; logs go to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        NremNetHost.AddTelemetry(builder.Services, builder.Configuration, ServiceName, instance: null);

        var services = builder.Services;
        services.AddOptions<DirectoryOptions>()
            .Bind(builder.Configuration.GetSection(DirectoryOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .PostConfigure(DirectoryOptionsValidator.ResolvePaths)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static sp => LoadCredentials(sp.GetRequiredService<IOptions<DirectoryOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, DirectoryEndpoint>();

        services.AddSingleton<DirectoryDatabase>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<SnapshotFeed>();
        services.AddSingleton<SnapshotRenewal>();
        services.AddSingleton<MemberRegistry>();
        services.AddSingleton<DirectoryStartup>();
        // Startup works in StartingAsync, before any service starts (Kestrel included): the schema is current and a valid
        // snapshot published before the first call is served.
        services.AddHostedService(static sp => sp.GetRequiredService<DirectoryStartup>());
        services.AddHostedService(static sp => sp.GetRequiredService<SnapshotRenewal>());

        services.AddNremNetHealth()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name)
            .AddCheck<CertificateHealthCheck>(CertificateHealthCheck.Name)
            .AddCheck<SnapshotHealthCheck>(SnapshotHealthCheck.Name);

        // A proto method left to the generated base would answer UNIMPLEMENTED unnoticed: refuse to start, naming it.
        ServiceCoverage.EnsureImplemented([typeof(DirectoryService)]);
        services.AddNremNetGrpc();

        configureServices?.Invoke(services);

        // Fail here, with every problem named, rather than halfway through starting. Building creates Kestrel, whose
        // endpoint needs the credentials, so a bad configuration may already surface while building.
        var app = NamingConfigurationProblems(builder.Build);
        try
        {
            NamingConfigurationProblems(() => app.Services.GetRequiredService<IOptions<DirectoryOptions>>().Value);
            app.Services.GetRequiredService<NetworkCredentials>();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapGrpcService<DirectoryService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealth();
        app.MapHealthz();
        return app;
    }

    /// <summary>
    /// Runs the directory until Ctrl+C, SIGTERM, <paramref name="cancellationToken"/> or the exit of
    /// <paramref name="parentProcessId"/>. Configuration comes from <paramref name="configFile"/> (when given), then
    /// <c>NREMNET_</c> environment variables, then <paramref name="args"/> (<c>--Directory:Listen=127.0.0.1:7400</c>).
    /// Once serving it prints one line to standard output, <c>NremNet directory listening on HOST:PORT</c>; logs go to
    /// standard error.
    /// </summary>
    /// <returns>0 after an orderly stop; 1 when it could not start (the reason is printed to standard error).</returns>
    public static Task<int> RunAsync(string? configFile, string[] args, int? parentProcessId, CancellationToken cancellationToken) =>
        RunAsync(configFile, args, parentProcessId, Console.Out, Console.Error, null, cancellationToken);

    /// <summary><see cref="RunAsync(string?, string[], int?, CancellationToken)"/> with its output and services given, for tests.</summary>
    internal static async Task<int> RunAsync(string? configFile, string[] args, int? parentProcessId, TextWriter output, TextWriter errors, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        WebApplication app;
        try
        {
            var configuration = new ConfigurationBuilder();
            NremNetHost.AddConfiguration(configuration, configFile, args);
            app = Build(configuration.Build(), services =>
            {
                NremNetHost.StopWithParent(services, parentProcessId);
                configureServices?.Invoke(services);
            });
        }
        catch (Exception ex) when (IsStartupProblem(ex))
        {
            await ReportAsync(errors, ex, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (IsStartupProblem(ex))
            {
                await ReportAsync(errors, ex, cancellationToken).ConfigureAwait(false);
                return 1;
            }

            var listening = app.Services.GetRequiredService<DirectoryStartup>().ListeningOn;
            await output.WriteLineAsync($"NremNet directory listening on {listening}".AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static NetworkCredentials LoadCredentials(DirectoryOptions options, TimeProvider time) =>
        NetworkCredentials.Load(options.CertificateFile, options.KeyFile, options.NetworkCaFile, NetworkRole.Directory, expectedCountry: null, time.GetUtcNow());

    private static T NamingConfigurationProblems<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (OptionsValidationException ex)
        {
            var failures = ex.Failures.ToList();
            throw new InvalidOperationException(
                $"The directory's configuration has {(failures.Count == 1 ? "a problem" : $"{failures.Count} problems")}:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", failures)}",
                ex);
        }
    }

    // What a person can fix from the message alone; anything else is a defect and keeps its stack trace.
    private static bool IsStartupProblem(Exception exception) =>
        exception is InvalidOperationException or OptionsValidationException or IOException or UnauthorizedAccessException or SqliteException or CryptographicException;

    private static async Task ReportAsync(TextWriter errors, Exception exception, CancellationToken cancellationToken)
    {
        await errors.WriteLineAsync($"NremNet directory cannot start. {exception.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
        await errors.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
