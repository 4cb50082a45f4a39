using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Federation.V1;
using NremNet.Directory;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Node;
using NremNet.Testing;

namespace NremNet.Rpc.Interop.Tests;

/// <summary>
/// A real network for the peer-API interop tests, started once for the class, as the node tests start theirs: a network
/// CA, a real directory, and two real nodes (NL and SE, both active members) on 127.0.0.1 with real TLS and SQLite files
/// in a temporary folder. Other stacks call NL's peer API presenting SE's network certificate, from its PEM files.
/// Disposing it fails the run when a host logged an error no test expected.
/// </summary>
public sealed class PeerNetwork : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<WebApplication> _hosts = [];
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("nremnet-peer-interop-").FullName;
    private X509Certificate2 _authority = null!;
    private Uri _directory = null!;

    /// <summary>The network CA, in PEM.</summary>
    public string CaFile => Path.Combine(_folder, "pki", "ca.crt");

    /// <summary>The port of NL's peer API.</summary>
    public int NlPeerPort { get; private set; }

    /// <summary>SE's node certificate and key, in PEM: what a member calling NL presents.</summary>
    public (string Certificate, string Key) Se { get; private set; }

    /// <summary>A certificate naming SE from a CA that is not the network's, and its key, in PEM.</summary>
    public (string Certificate, string Key) Impostor { get; private set; }

    /// <summary>Errors the tests expect the hosts to log (refused handshakes are logged by the node, not as errors).</summary>
    public List<string> ExpectedErrors { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        _authority = NetworkCertificates.CreateAuthority("NremNet peer interop CA", now, TimeSpan.FromDays(30));
        var pki = Path.Combine(_folder, "pki");
        PemFiles.Write(_authority, pki, "ca", overwrite: false);
        PemFiles.Write(NetworkCertificates.IssueDirectory(_authority, ["localhost", "127.0.0.1"], now, TimeSpan.FromDays(20)), pki, "directory", overwrite: false);
        var impostorCa = NetworkCertificates.CreateAuthority("NremNet peer interop CA", now, TimeSpan.FromDays(30));
        var impostor = PemFiles.Write(NetworkCertificates.IssueNode(impostorCa, "SE", ["localhost", "127.0.0.1"], now, TimeSpan.FromDays(20)), Path.Combine(_folder, "pki-impostor"), "SE", overwrite: false);
        Impostor = (impostor.Certificate, impostor.Key!);

        var directory = DirectoryHost.Build(Configuration(new()
        {
            ["Directory:Listen"] = "127.0.0.1:0",
            ["Directory:DataDirectory"] = Path.Combine(_folder, "directory"),
            ["Directory:CertificateFile"] = Path.Combine(pki, "directory.crt"),
            ["Directory:KeyFile"] = Path.Combine(pki, "directory.key"),
            ["Directory:NetworkCaFile"] = CaFile,
        }), Logs);
        await StartAsync(directory);
        _directory = new Uri($"https://127.0.0.1:{new Uri(directory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port}");

        var nl = await StartNodeAsync("NL");
        var se = await StartNodeAsync("SE");
        NlPeerPort = nl.PeerPort;
        Se = (se.Certificate, se.Key);
        await ApproveAsync("NL");
        await ApproveAsync("SE");

        // NL takes SE's calls once its directory snapshot lists SE as active: wait for that, calling as SE from .NET.
        using var asSe = NetworkChannel.Create($"https://127.0.0.1:{NlPeerPort}", new NetworkChannelOptions
        {
            ClientCertificates = [PemFiles.LoadWithKey(Se.Certificate, Se.Key)],
            TrustedServerRoots = [_authority],
            Retry = null,
        });
        var federation = new FederationService.FederationServiceClient(asSe);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await federation.HelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                break;
            }
            catch (RpcException ex) when ((ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unavailable) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync(CancellationToken.None);
            await host.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing host; the temporary folder is cleaned up later.
        }

        var unexpected = _logs.UnexpectedErrors([.. ExpectedErrors]);
        Assert.True(unexpected.Count == 0, "The network's hosts logged errors no test expected:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private void Logs(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    private async Task StartAsync(WebApplication host)
    {
        _hosts.Add(host);
        await host.StartAsync();
    }

    private async Task<(int PeerPort, string Certificate, string Key)> StartNodeAsync(string country)
    {
        var (certificate, key) = PemFiles.Write(NetworkCertificates.IssueNode(_authority, country, ["localhost", "127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromDays(20)), Path.Combine(_folder, "pki-" + country), country, overwrite: false);
        var node = NodeHost.Build(Configuration(new()
        {
            ["Node:Country"] = country,
            ["Node:MechanismName"] = $"Test mechanism {country} (synthetic)",
            ["Node:MechanismType"] = "NationalRapporteur",
            ["Node:DataDirectory"] = Path.Combine(_folder, "node-" + country),
            ["Node:PeerListen"] = "127.0.0.1:0",
            ["Node:ConsoleListen"] = "127.0.0.1:0",
            ["Node:CertificateFile"] = certificate,
            ["Node:KeyFile"] = key,
            ["Node:NetworkCaFile"] = CaFile,
            ["Node:DirectoryUrl"] = _directory.ToString().TrimEnd('/'),
            ["Node:SnapshotRefreshInterval"] = "00:00:02",
            ["Node:PeerCheckInterval"] = "00:00:05",
        }), Logs);
        await StartAsync(node);
        return (NodeHost.Addresses(node).Peer.Port, certificate, key!);
    }

    /// <summary>Waits until the country has applied to the directory, then approves it as the secretariat.</summary>
    private async Task ApproveAsync(string country)
    {
        var secretariat = NetworkCertificates.IssueSecretariat(_authority, "peer interop secretariat", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        using var channel = NetworkChannel.Create(_directory, new NetworkChannelOptions { ClientCertificates = [secretariat], TrustedServerRoots = [_authority] });
        var directory = new DirectoryService.DirectoryServiceClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await directory.ListMembersAsync(new ListMembersRequest())).Members.Any(m => m.Application.Country == country))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{country} did not apply to the directory within a minute.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await directory.ApproveMemberAsync(new ApproveMemberRequest { Country = country });
    }
}
