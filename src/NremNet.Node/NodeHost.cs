using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Startup;
using NremNet.Node.Audit;
using NremNet.Node.Console;
using NremNet.Node.Health;
using NremNet.Node.Hosting;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Practices;
using NremNet.Node.Referrals;
using NremNet.Node.Statistics;
using NremNet.Node.Storage;
using NremNet.Node.Users;

namespace NremNet.Node;

/// <summary>
/// Runs a country node: the peer API (gRPC over mutual TLS, for active members only) and the user API and web console
/// (gRPC and HTTPS, for the node's own people: by token for the API, by console session for the pages), each on its own port.
/// </summary>
public static class NodeHost
{
    /// <summary>The service name in telemetry, and the source and meter of the node's own traces and metrics.</summary>
    private const string ServiceName = "NremNet.Node";

    /// <summary>The node software's version.</summary>
    public static string SoftwareVersion { get; } =
        typeof(NodeHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Builds the node from configuration (section <c>Node</c>; relative paths against the current folder). Every
    /// configuration problem is named before anything starts, the node's credentials are checked, and so is every method
    /// of the peer and user API (implemented, served on its own listener, and for the user API, with an access rule).
    /// </summary>
    /// <param name="configuration">The whole configuration: <c>Node</c>, and optionally <c>Logging</c> and <c>Telemetry</c>.</param>
    /// <param name="configureServices">Last changes to the services, e.g. a fake <see cref="TimeProvider"/>, a log provider or a trace exporter in tests.</param>
    /// <exception cref="InvalidOperationException">The configuration or the credentials are not usable; the message says why.</exception>
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Environment.CurrentDirectory });
        // Only what the caller passes: no appsettings.json picked up from wherever the process happens to run.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        NremNetHost.ConfigureLogging(builder.Logging, builder.Configuration);

        var services = builder.Services;
        services.AddNodeHosting(builder.Configuration);
        services.AddNremNetGrpc();
        services.AddNodeStorage()
            .AddAudit()
            .AddMembership()
            .AddPeers()
            .AddUsers()
            .AddStatistics()
            .AddReferrals()
            .AddPractices()
            .AddNodeHealth()
            .AddNodeReflection()
            .AddNodeConsole();
        NremNetHost.AddTelemetry(services, builder.Configuration, ServiceName, builder.Configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.Country)}"]);
        configureServices?.Invoke(services);

        // Fail here, with every problem named, rather than halfway through starting.
        var app = builder.Build();
        try
        {
            NamingConfigurationProblems(() => app.Services.GetRequiredService<IOptions<NodeOptions>>().Value);
            app.Services.GetRequiredService<NetworkCredentials>();

            // Routing before authentication, so each scheme sees which door a request came to (Users/UserDoors.cs).
            app.UseNodeConsole();
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseAntiforgery();
            app.MapPeerApi();
            app.MapUserApi();
            app.MapNodeConsole();
            NodeApis.EnsureComplete(app);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        return app;
    }

    /// <summary>The addresses a started node listens on: (peer API, user API and console).</summary>
    public static (Uri Peer, Uri Console) Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoints = app.Services.GetRequiredService<NodeEndpoints>();
        return (endpoints.Peer, endpoints.Console);
    }

    /// <summary>
    /// Runs a node until Ctrl+C, SIGTERM or the end of <paramref name="parentProcessId"/>. Configuration comes from the JSON
    /// file, then <c>NREMNET_</c> environment variables, then <c>--Node:Key=value</c> arguments. Prints one line naming the
    /// node's addresses once it serves; startup problems are printed as clear messages and give exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(string? configFile, string[] args, int? parentProcessId, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            var configuration = new ConfigurationManager();
            NremNetHost.AddConfiguration(configuration, configFile, args);
            app = Build(configuration, services => NremNetHost.StopWithParent(services, parentProcessId));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or IOException or FormatException)
        {
            await System.Console.Error.WriteLineAsync($"The node cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await System.Console.Error.WriteLineAsync($"The node cannot listen: {ex.Message}. Is another process using the port?").ConfigureAwait(false);
                return 1;
            }

            var (peer, console) = Addresses(app);
            var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
            NodeLog.Serving(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NremNet.Node"), options.Country, peer.ToString(), console.ToString());
            System.Console.WriteLine($"NremNet node {options.Country} listening on peer {peer.Host}:{peer.Port} console {console.Host}:{console.Port}");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Reads the options, turning their problems into one message that names each with its key.</summary>
    private static void NamingConfigurationProblems(Func<NodeOptions> read)
    {
        try
        {
            read();
        }
        catch (OptionsValidationException ex)
        {
            throw ConfigurationProblems(ex.Failures, ex);
        }
        catch (InvalidOperationException ex)
        {
            // The binder refuses a key NodeOptions does not have, or a value it cannot convert.
            throw ConfigurationProblems([ex.Message], ex);
        }
    }

    private static InvalidOperationException ConfigurationProblems(IEnumerable<string> problems, Exception cause) =>
        new("The node's configuration has problems:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", problems), cause);
}
