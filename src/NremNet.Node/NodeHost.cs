using System.Reflection;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Domain.Pki;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Health;
using NremNet.Hosting.Startup;
using NremNet.Node.Audit;
using NremNet.Node.Federation;
using NremNet.Node.Health;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Referrals;
using NremNet.Node.Statistics;
using NremNet.Node.Storage;
using NremNet.Node.UserApi;
using NremNet.Node.Users;
using NremNet.Rpc;
using NremNet.Solvers;

namespace NremNet.Node;

/// <summary>
/// Runs a country node: the peer API (gRPC over mutual TLS, for active members only) and the user API and console
/// (gRPC and HTTP over TLS, for the node's own people, by token), each on its own port.
/// </summary>
public static class NodeHost
{
    private const string ListenerKey = "nremnet.listener";

    /// <summary>The node software's version.</summary>
    public static string SoftwareVersion { get; } =
        typeof(NodeHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Builds the node from configuration (section <c>Node</c>; relative paths against the current folder). Every
    /// configuration problem is named before anything starts, and the node's credentials are checked.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration or the credentials are not usable; the message says why.</exception>
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new NodeOptions();
        try
        {
            // A misspelt key would otherwise be ignored and its default used without a word.
            configuration.GetSection(NodeOptions.SectionName).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"The node's configuration has problems:{Environment.NewLine}  - {ex.Message}", ex);
        }

        var verdict = new NodeOptionsValidator().Validate(null, options);
        if (verdict.Failed)
        {
            throw new InvalidOperationException("The node's configuration has problems:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", verdict.Failures));
        }

        var credentials = NetworkCredentials.Load(options.CertificateFile, options.KeyFile, options.NetworkCaFile, NetworkRole.Node, options.Country, DateTimeOffset.UtcNow);
        Listening.TryParse(options.PeerListen, out var peerEndpoint);
        Listening.TryParse(options.ConsoleListen, out var consoleEndpoint);
        Directory.CreateDirectory(options.DataDirectory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Environment.CurrentDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        NremNetHost.ConfigureLogging(builder.Logging, builder.Configuration);

        var refusals = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(peerEndpoint, listen =>
            {
                listen.UseRpc(credentials.ServerTls(null, (certificate, reason) => refusals.Writer.TryWrite(certificate is null ? reason : $"{reason} (certificate '{certificate.Subject}')")));
                listen.Use(Tag("peer"));
            });
            kestrel.Listen(consoleEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = credentials.Certificate;
                    https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                });
                listen.Use(Tag("console"));
            });
        });

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(credentials);
        services.AddSingleton(new NodeDatabase(options.DataDirectory));
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<NodeDatabase>(), credentials.Certificate, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UserStore>();
        services.AddSingleton(sp => new SnapshotState(credentials, Path.Combine(options.DataDirectory, "snapshot.bin"), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SnapshotState>>()));
        services.AddHostedService(sp => new NodeStartup(sp.GetRequiredService<NodeDatabase>(), sp.GetRequiredService<SnapshotState>(), sp.GetRequiredService<StatisticsStore>()));
        services.AddHostedService(sp => new RefusalRecorder(refusals.Reader, sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<ILogger<RefusalRecorder>>()));
        services.AddSingleton<NodeEndpoints>();
        services.AddSingleton<DirectoryLink>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectoryLink>());
        services.AddSingleton<PeerGate>();
        services.AddSingleton<PeerChannels>();
        services.AddSingleton<PeerPresence>();
        services.AddSingleton<PeerMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<PeerMonitor>());
        services.AddSingleton<PeerCallInterceptor>();
        services.AddSingleton<UserAuthInterceptor>();
        services.AddSingleton<FederationService>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<NodeService>();
        services.AddSingleton<IIntegerSolver, OrToolsSolver>(_ => new OrToolsSolver());
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<StatisticsEngine>();
        services.AddSingleton<Agreements>();
        services.AddSingleton<DataImporter>();
        services.AddSingleton<FederatedQueries>();
        services.AddSingleton<AggregateService>();
        services.AddSingleton<StatisticsService>();
        services.AddSingleton<AgreementService>();
        services.AddSingleton<PeerCertificates>();
        services.AddSingleton<ReferralSignal>();
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<ReferralPeerService>();
        services.AddSingleton<ReferralDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralDelivery>());
        services.AddSingleton<ReferralRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralRetention>());
        services.AddSingleton<ReferralUserService>();
        services.AddSingleton<NodeHealth>();
        services.AddSingleton<IHealthReporter>(sp => sp.GetRequiredService<NodeHealth>());
        services.AddSingleton(sp => new HealthMonitor(sp.GetRequiredService<IHealthReporter>(), sp.GetRequiredService<HealthStatusRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HealthMonitor>>()));
        services.AddHostedService(sp => sp.GetRequiredService<HealthMonitor>());
        services.AddNremNetRpc();
        NremNetHost.AddTelemetry(services, builder.Configuration, "NremNet.Node", options.Country);
        configureServices?.Invoke(services);

        var app = builder.Build();
        var provider = app.Services;
        IRpcService[] userServices =
        [
            provider.GetRequiredService<SessionService>(),
            provider.GetRequiredService<UserService>(),
            provider.GetRequiredService<TokenService>(),
            provider.GetRequiredService<AuditService>(),
            provider.GetRequiredService<NodeService>(),
            provider.GetRequiredService<StatisticsService>(),
            provider.GetRequiredService<AgreementService>(),
            provider.GetRequiredService<ReferralUserService>(),
        ];
        UserApiAccess.EnsureCovered(userServices);

        app.MapWhen(http => Listener(http) == "peer", peer => peer.UseNremNetRpc(group =>
        {
            group.Name = "Peer";
            group.Options.Interceptors.Add(provider.GetRequiredService<PeerCallInterceptor>());
            group.Add(provider.GetRequiredService<FederationService>()).Add(provider.GetRequiredService<AggregateService>())
                .Add(provider.GetRequiredService<ReferralPeerService>()).AddHealth().AddReflection();
        }));
        app.MapWhen(http => Listener(http) == "console", console =>
        {
            console.UseHealthz(provider.GetRequiredService<IHealthReporter>());
            console.UseNremNetRpc(group =>
            {
                group.Name = "User";
                group.Options.Interceptors.Add(provider.GetRequiredService<UserAuthInterceptor>());
                foreach (var service in userServices)
                {
                    group.Add(service);
                }

                group.AddHealth().AddReflection();
            });
        });
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
            await Console.Error.WriteLineAsync($"The node cannot start: {ex.Message}").ConfigureAwait(false);
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
                await Console.Error.WriteLineAsync($"The node cannot listen: {ex.Message}. Is another process using the port?").ConfigureAwait(false);
                return 1;
            }

            var (peer, console) = Addresses(app);
            var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
            NodeLog.Serving(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NremNet.Node"), options.Country, peer.ToString(), console.ToString());
            Console.WriteLine($"NremNet node {options.Country} listening on peer {peer.Host}:{peer.Port} console {console.Host}:{console.Port}");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static Func<ConnectionDelegate, ConnectionDelegate> Tag(string listener) => next => connection =>
    {
        connection.Items[ListenerKey] = listener;
        return next(connection);
    };

    private static string? Listener(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerKey, out var value) == true ? value as string : null;

    /// <summary>Brings the database up to date and loads the cached snapshot before the listeners open.</summary>
    private sealed class NodeStartup(NodeDatabase database, SnapshotState snapshots, StatisticsStore statistics) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            snapshots.LoadCache();
            await statistics.EnsureThresholdAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Writes TLS-level refusals of the peer API to the audit log, outside the handshake.</summary>
    private sealed class RefusalRecorder(ChannelReader<string> refusals, AuditLog audit, ILogger<RefusalRecorder> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var reason in refusals.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    NodeLog.PeerCertificateRefused(logger, reason);
                    await audit.AppendAsync("anonymous", "peer.refused", "tls", "denied", new { reason }, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
