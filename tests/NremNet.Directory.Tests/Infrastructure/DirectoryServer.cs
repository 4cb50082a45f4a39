using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Hosting.Grpc;
using NremNet.Testing;

namespace NremNet.Directory.Tests.Infrastructure;

/// <summary>
/// The directory built by <see cref="DirectoryHost.Build"/>, started on 127.0.0.1 with a free port, real TLS and a real
/// SQLite file. Disposing it stops it and fails the test when it logged an error the test did not declare as expected.
/// </summary>
internal sealed class DirectoryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestNetwork _network;
    private readonly string[] _expectedErrors;
    private readonly List<GrpcChannel> _channels = [];
    private bool _stopped;

    private DirectoryServer(WebApplication app, TestNetwork network, Uri address, CapturingLoggerProvider logs, string[] expectedErrors)
    {
        _app = app;
        _network = network;
        Address = address;
        Logs = logs;
        _expectedErrors = expectedErrors;
    }

    public Uri Address { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DirectoryServer> StartAsync(TestNetwork network, TimeProvider? time = null, IDictionary<string, string?>? settings = null, params string[] expectedErrors)
    {
        // Captured now: log calls on Kestrel's threads do not see the test's context.
        var output = TestContext.Current.TestOutputHelper;
        var logs = new CapturingLoggerProvider(line => output?.WriteLine(line));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(network.Settings(settings)).Build();
        var app = DirectoryHost.Build(configuration, services =>
        {
            services.AddLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new DirectoryServer(app, network, new Uri($"https://127.0.0.1:{bound.Port}"), logs, expectedErrors);
    }

    /// <summary>A client calling with <paramref name="certificate"/> (whatever it names), trusting the network CA for the server.</summary>
    public DirectoryClient Client(X509Certificate2 certificate) => new(Channel(certificate));

    /// <summary>A channel presenting <paramref name="certificate"/>, trusting the network CA for the server; closed with the server.</summary>
    public GrpcChannel Channel(X509Certificate2 certificate) =>
        Channel(new NetworkChannelOptions { ClientCertificates = [certificate], TrustedServerRoots = [_network.Authority] });

    /// <summary>A channel to the directory with <paramref name="options"/>; closed with the server.</summary>
    public GrpcChannel Channel(NetworkChannelOptions options)
    {
        var channel = NetworkChannel.Create(Address, options);
        lock (_channels)
        {
            _channels.Add(channel);
        }

        return channel;
    }

    /// <summary>A client calling as the secretariat, with the channel options its credentials give.</summary>
    public DirectoryClient Secretariat() => new(Channel(_network.SecretariatCredentials().ClientOptions()));

    /// <summary>A client calling as the node of <paramref name="country"/>, with the channel options its credentials give.</summary>
    public DirectoryClient Node(string country) => new(Channel(_network.NodeCredentials(country).ClientOptions()));

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Stops the directory (ending watch streams) without disposing it.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }

        await StopAsync();
        await _app.DisposeAsync();
        var unexpected = Logs.UnexpectedErrors(_expectedErrors);
        Assert.True(unexpected.Count == 0, "The directory logged errors the test did not expect:" + Environment.NewLine +
            string.Join(Environment.NewLine, unexpected.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }
}
