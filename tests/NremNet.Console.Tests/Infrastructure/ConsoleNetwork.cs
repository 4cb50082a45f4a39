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
using NremNet.Domain.Statistics.Data;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Node;
using NremNet.Node.Peers;
using NremNet.Testing;

namespace NremNet.Console.Tests.Infrastructure;

/// <summary>
/// A small real federation for the console's browser tests, started once for the test assembly: a network CA, a real
/// directory and the nodes NL and SE on 127.0.0.1 (ports picked by the system), real TLS and SQLite in a temporary
/// folder, both active members that see each other, and FI, which applied but was never approved. Each node's accounts are made on its own host before it starts, as
/// <c>federation up</c> does (<see cref="NodeSetup"/>), with known passwords (<see cref="Accounts"/>); NL holds
/// synthetic published statistics, so it carries the synthetic-data label. Disposing it fails when a process logged
/// an error nobody expected.
/// </summary>
public sealed class ConsoleNetwork : IAsyncLifetime
{
    /// <summary>A node that applied to the directory but was never approved: no member answers it, so its console shows an alert.</summary>
    public const string Unapproved = "FI";

    /// <summary>Every node's password for its test accounts.</summary>
    public const string Password = "console-test-password-1";

    /// <summary>The test accounts of each node (username suffix → role): e.g. <c>nl-admin</c>, <c>se-officer</c>.</summary>
    public static readonly IReadOnlyList<(string Suffix, string Role)> Accounts =
    [
        ("admin", "admin"),
        ("rapporteur", "rapporteur"),
        ("officer", "referral_officer"),
        ("lockout", "rapporteur"),
        ("disabled", "rapporteur"),
        ("keyboard", "admin"),
    ];

    private readonly CapturingLoggerProvider _logs = new();
    private readonly Dictionary<string, WebApplication> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _adminTokens = new(StringComparer.Ordinal);
    private string _folder = string.Empty;
    private X509Certificate2 _authority = null!;
    private X509Certificate2 _secretariat = null!;
    private WebApplication? _directory;

    /// <summary>The network CA certificate file.</summary>
    public string AuthorityFile => Path.Combine(_folder, "pki", "ca.crt");

    /// <summary>The network CA.</summary>
    public X509Certificate2 Authority => _authority;

    /// <summary>A node's console address, e.g. <c>https://127.0.0.1:40123</c>.</summary>
    public string ConsoleUrl(string country) => $"https://127.0.0.1:{NodeHost.Addresses(_nodes[country]).Console.Port}";

    /// <summary>A node's services, to look at what it did (its audit log) or holds.</summary>
    public IServiceProvider Services(string country) => _nodes[country].Services;

    /// <summary>A personal API token of the node's admin.</summary>
    public string AdminToken(string country) => _adminTokens[country];

    /// <summary>A channel to a node's user API (gRPC on its console listener), trusting the network CA.</summary>
    public GrpcChannel UserApiChannel(string country) =>
        NetworkChannel.Create(new Uri(ConsoleUrl(country)), new NetworkChannelOptions { TrustedServerRoots = [_authority], Retry = null });

    /// <summary>Errors a test expects the processes to log.</summary>
    public List<string> ExpectedErrors { get; } = [];

    public async ValueTask InitializeAsync()
    {
        _folder = System.IO.Directory.CreateTempSubdirectory("nremnet-console-test-").FullName;
        var pki = Path.Combine(_folder, "pki");
        var now = DateTimeOffset.UtcNow;
        _authority = NetworkCertificates.CreateAuthority("NremNet console test CA (synthetic)", now, TimeSpan.FromDays(30));
        PemFiles.Write(_authority, pki, "ca", overwrite: false);
        PemFiles.Write(NetworkCertificates.IssueDirectory(_authority, ["localhost", "127.0.0.1"], now, TimeSpan.FromDays(20)), pki, "directory", overwrite: false);
        _secretariat = NetworkCertificates.IssueSecretariat(_authority, "console test secretariat (synthetic)", now, TimeSpan.FromDays(20));

        _directory = DirectoryHost.Build(
            Settings(new()
            {
                ["Directory:Listen"] = "127.0.0.1:0",
                ["Directory:DataDirectory"] = Path.Combine(_folder, "directory"),
                ["Directory:CertificateFile"] = Path.Combine(pki, "directory.crt"),
                ["Directory:KeyFile"] = Path.Combine(pki, "directory.key"),
                ["Directory:NetworkCaFile"] = AuthorityFile,
            }),
            services => services.AddSingleton<ILoggerProvider>(_logs));
        await _directory.StartAsync(CancellationToken.None);
        var directoryPort = new Uri(_directory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

        foreach (var country in new[] { "NL", "SE", Unapproved })
        {
            await StartNodeAsync(country, $"https://127.0.0.1:{directoryPort}");
        }

        using var channel = NetworkChannel.Create(new Uri($"https://127.0.0.1:{directoryPort}"), new NetworkChannelOptions { ClientCertificates = [_secretariat], TrustedServerRoots = [_authority] });
        var directory = new DirectoryService.DirectoryServiceClient(channel);
        await Eventually.HoldsAsync(async () => (await directory.ListMembersAsync(new ListMembersRequest())).Members.Count == _nodes.Count, "the nodes to apply to the directory");
        string[] members = ["NL", "SE"];
        foreach (var country in members)
        {
            await directory.ApproveMemberAsync(new ApproveMemberRequest { Country = country });
        }

        foreach (var country in members)
        {
            var monitor = _nodes[country].Services.GetRequiredService<PeerMonitor>();
            await Eventually.HoldsAsync(() => Task.FromResult(monitor.Peers.Count == members.Length - 1 && monitor.Peers.All(p => p.Reachable)), $"{country} to reach every other member");
        }

        // The pending member has checked the members and been refused by each: its console has something to show.
        var pending = _nodes[Unapproved].Services.GetRequiredService<PeerMonitor>();
        await Eventually.HoldsAsync(() => Task.FromResult(pending.Peers.Count == members.Length && pending.Peers.All(p => !p.Reachable && p.LastError != PeerMonitor.NotContactedYet)), $"{Unapproved} to be refused by every member");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.StopAsync(CancellationToken.None);
            await node.DisposeAsync();
        }

        if (_directory is not null)
        {
            await _directory.StopAsync(CancellationToken.None);
            await _directory.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing process; the temporary folder is cleaned up later.
        }

        var unexpected = _logs.UnexpectedErrors([.. ExpectedErrors]);
        Assert.True(unexpected.Count == 0, "Processes logged errors the tests did not expect:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    private static IConfiguration Settings(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Warning";
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private async Task StartNodeAsync(string country, string directoryUrl)
    {
        var now = DateTimeOffset.UtcNow;
        var (certificate, key) = PemFiles.Write(NetworkCertificates.IssueNode(_authority, country, ["localhost", "127.0.0.1"], now, TimeSpan.FromDays(20)), Path.Combine(_folder, "pki"), country, overwrite: false);
        var data = Path.Combine(_folder, country, "data");

        var setup = await NodeSetup.OpenAsync(data, certificate, key!, CancellationToken.None);
        foreach (var (suffix, role) in Accounts)
        {
            await setup.AddUserAsync($"{country.ToLowerInvariant()}-{suffix}", $"{country} {suffix} (synthetic)", [role], Password, CancellationToken.None);
        }

        _adminTokens[country] = await setup.CreateTokenAsync($"{country.ToLowerInvariant()}-admin", "console tests", TimeSpan.FromHours(2), CancellationToken.None);
        if (country == "NL")
        {
            var statistics = Path.Combine(_folder, country, "statistics.synthetic.csv");
            await using (var file = File.Create(statistics))
            {
                await SyntheticData.WriteStatisticsAsync(file, country, 2024, 2024, CancellationToken.None);
            }

            await setup.ImportDataAsync(statistics, caseRecords: false, CancellationToken.None);
        }

        var app = NodeHost.Build(
            Settings(new()
            {
                ["Node:Country"] = country,
                ["Node:MechanismName"] = $"Test rapporteur {country} (synthetic)",
                ["Node:MechanismType"] = "NationalRapporteur",
                ["Node:DataDirectory"] = data,
                ["Node:PeerListen"] = "127.0.0.1:0",
                ["Node:ConsoleListen"] = "127.0.0.1:0",
                ["Node:CertificateFile"] = certificate,
                ["Node:KeyFile"] = key,
                ["Node:NetworkCaFile"] = AuthorityFile,
                ["Node:DirectoryUrl"] = directoryUrl,
                ["Node:SnapshotRefreshInterval"] = "00:00:02",
                ["Node:PeerCheckInterval"] = "00:00:02",
                ["Node:Referrals:Partners:0"] = "*",
            }),
            services => services.AddSingleton<ILoggerProvider>(_logs));
        await app.StartAsync(CancellationToken.None);
        _nodes[country] = app;
    }
}

/// <summary>Waits for a condition another process brings about, for a bounded time.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
