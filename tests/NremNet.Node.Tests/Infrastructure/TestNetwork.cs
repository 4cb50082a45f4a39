using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Node.Membership;
using NremNet.Testing;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>
/// A small network made for one test: a network CA, a real directory and real nodes on 127.0.0.1 with ports picked by
/// the system, real TLS, real SQLite files in a temporary folder. Disposing it fails the test when a process logged an
/// error the test did not expect.
/// </summary>
internal sealed class TestNetwork : IAsyncDisposable
{
    private readonly List<TestNode> _nodes = [];
    private readonly CapturingLoggerProvider _logs = new(line => TestContext.Current.TestOutputHelper?.WriteLine(line));
    private WebApplication? _directory;

    private TestNetwork(string folder, TimeProvider time)
    {
        Folder = folder;
        Time = time;
        Authority = NetworkCertificates.CreateAuthority("NremNet test network CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        PemFiles.Write(Authority, Pki, "ca", overwrite: false);
        var directory = NetworkCertificates.IssueDirectory(Authority, ["localhost", "127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromDays(20));
        PemFiles.Write(directory, Pki, "directory", overwrite: false);
        Secretariat = NetworkCertificates.IssueSecretariat(Authority, "test secretariat", DateTimeOffset.UtcNow, TimeSpan.FromDays(20));
    }

    public string Folder { get; }

    public string Pki => Path.Combine(Folder, "pki");

    public string AuthorityFile => Path.Combine(Pki, "ca.crt");

    public TimeProvider Time { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Secretariat { get; }

    public Uri DirectoryUrl { get; private set; } = null!;

    public CapturingLoggerProvider Logs => _logs;

    /// <summary>Errors the test expects the processes to log.</summary>
    public List<string> ExpectedErrors { get; } = [];

    public static async Task<TestNetwork> StartAsync(TimeProvider? time = null)
    {
        var network = new TestNetwork(System.IO.Directory.CreateTempSubdirectory("nremnet-node-test-").FullName, time ?? TimeProvider.System);
        await network.StartDirectoryAsync();
        return network;
    }

    /// <summary>Starts (or restarts) the directory on its data folder.</summary>
    public async Task StartDirectoryAsync()
    {
        var port = DirectoryUrl?.Port ?? 0;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:Listen"] = $"127.0.0.1:{port}",
            ["Directory:DataDirectory"] = Path.Combine(Folder, "directory"),
            ["Directory:CertificateFile"] = Path.Combine(Pki, "directory.crt"),
            ["Directory:KeyFile"] = Path.Combine(Pki, "directory.key"),
            ["Directory:NetworkCaFile"] = AuthorityFile,
        }).Build();
        _directory = DirectoryHost.Build(configuration, services =>
        {
            services.AddSingleton(Time);
            services.AddSingleton<ILoggerProvider>(_logs);
        });
        await _directory.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(_directory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        DirectoryUrl = new Uri($"https://127.0.0.1:{address.Port}");
    }

    /// <summary>Stops the directory (its data stays).</summary>
    public async Task StopDirectoryAsync()
    {
        if (_directory is not null)
        {
            await _directory.StopAsync(CancellationToken.None);
            await _directory.DisposeAsync();
            _directory = null;
        }
    }

    /// <summary>Issues a node certificate (from this network's CA, or another one) and writes it under the test folder.</summary>
    public (string Certificate, string Key, X509Certificate2 Value) IssueNode(string country, string name, X509Certificate2? authority = null)
    {
        var certificate = NetworkCertificates.IssueNode(authority ?? Authority, country, ["localhost", "127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromDays(20));
        var (certificateFile, keyFile) = PemFiles.Write(certificate, Path.Combine(Folder, "pki-" + name), name, overwrite: true);
        return (certificateFile, keyFile!, certificate);
    }

    /// <summary>
    /// Starts a node; when <paramref name="approve"/>, waits until it is an active member and holds a snapshot listing it.
    /// <paramref name="configure"/> changes its settings, <paramref name="services"/> its services (after the test's clock and logs).
    /// </summary>
    public async Task<TestNode> StartNodeAsync(string country, bool approve = true, Action<IDictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var (certificate, key, _) = IssueNode(country, country);
        var settings = new Dictionary<string, string?>
        {
            ["Node:Country"] = country,
            ["Node:MechanismName"] = $"Test mechanism {country} (synthetic)",
            ["Node:MechanismType"] = "NationalRapporteur",
            ["Node:DataDirectory"] = Path.Combine(Folder, "node-" + country),
            ["Node:PeerListen"] = "127.0.0.1:0",
            ["Node:ConsoleListen"] = "127.0.0.1:0",
            ["Node:CertificateFile"] = certificate,
            ["Node:KeyFile"] = key,
            ["Node:NetworkCaFile"] = AuthorityFile,
            ["Node:DirectoryUrl"] = DirectoryUrl.ToString().TrimEnd('/'),
            ["Node:SnapshotRefreshInterval"] = "00:00:05",
            ["Node:PeerCheckInterval"] = "00:00:05",
        };
        configure?.Invoke(settings);
        var app = NodeHost.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), collection =>
        {
            collection.AddSingleton(Time);
            collection.AddSingleton<ILoggerProvider>(_logs);
            services?.Invoke(collection);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var node = new TestNode(this, country, app, certificate, key);
        _nodes.Add(node);
        if (approve)
        {
            await ApproveAsync(country);
            await node.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == country));
        }

        return node;
    }

    /// <summary>A channel to the directory as the secretariat.</summary>
    public GrpcChannel SecretariatChannel() => NetworkChannel.Create(DirectoryUrl, new NetworkChannelOptions { ClientCertificates = [Secretariat], TrustedServerRoots = [Authority] });

    /// <summary>Waits until the country has applied, then approves it.</summary>
    public async Task ApproveAsync(string country)
    {
        using var channel = SecretariatChannel();
        var directory = new DirectoryService.DirectoryServiceClient(channel);
        await Eventually.HoldsAsync(async () =>
            (await directory.ListMembersAsync(new ListMembersRequest())).Members.Any(m => m.Application.Country == country), $"{country} applying to the directory");
        await directory.ApproveMemberAsync(new ApproveMemberRequest { Country = country });
    }

    public async Task SuspendAsync(string country)
    {
        using var channel = SecretariatChannel();
        await new DirectoryService.DirectoryServiceClient(channel).SuspendMemberAsync(new SuspendMemberRequest { Country = country, Reason = "test suspension" });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await StopDirectoryAsync();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing process; the temporary folder is cleaned up later.
        }

        var unexpected = _logs.UnexpectedErrors([.. ExpectedErrors]);
        Assert.True(unexpected.Count == 0, "Processes logged errors the test did not expect:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }
}

/// <summary>A node of a <see cref="TestNetwork"/>.</summary>
internal sealed class TestNode(TestNetwork network, string country, WebApplication app, string certificateFile, string keyFile) : IAsyncDisposable
{
    private bool _stopped;

    public string Country { get; } = country;

    public WebApplication App { get; } = app;

    public string CertificateFile { get; } = certificateFile;

    public string KeyFile { get; } = keyFile;

    public X509Certificate2 Certificate { get; } = PemFiles.LoadWithKey(certificateFile, keyFile);

    public Uri Peer => NodeHost.Addresses(App).Peer;

    public Uri Console => NodeHost.Addresses(App).Console;

    public SnapshotState Snapshots => App.Services.GetRequiredService<SnapshotState>();

    /// <summary>A channel to this node's peer API presenting <paramref name="certificate"/> (default: none); no retries, so each refusal is seen as it is.</summary>
    public GrpcChannel PeerChannel(X509Certificate2? certificate) => NetworkChannel.Create(
        new Uri($"https://127.0.0.1:{Peer.Port}"),
        new NetworkChannelOptions { ClientCertificates = certificate is null ? null : [certificate], TrustedServerRoots = [network.Authority], Retry = null });

    /// <summary>A channel to this node's user API.</summary>
    public GrpcChannel ConsoleChannel() => NetworkChannel.Create(new Uri($"https://127.0.0.1:{Console.Port}"), new NetworkChannelOptions { TrustedServerRoots = [network.Authority] });

    /// <summary>Waits until the node holds a snapshot that satisfies the condition.</summary>
    public async Task WaitForSnapshotAsync(Func<NremNet.Contracts.Directory.V1.Snapshot, bool> condition)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (Snapshots.Current is { } snapshot && condition(snapshot))
            {
                reached.TrySetResult();
            }
        }

        Snapshots.Changed += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        finally
        {
            Snapshots.Changed -= Check;
        }
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Waits for a condition that another process brings about, checking again as it goes, for a bounded time.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        }
    }
}
