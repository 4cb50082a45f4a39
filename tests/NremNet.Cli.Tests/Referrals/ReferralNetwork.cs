using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Cli.Profiles;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Directory;
using NremNet.Node;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Referrals;

/// <summary>
/// Two referral partners for CLI tests, as <c>federation up</c> makes them but in this process: the PKI made with the
/// CLI, a real directory, nodes NL and SE on 127.0.0.1:0 that are active members and exchange referrals with every
/// member, each with an admin and a referral officer, saved as profiles named as <c>federation up</c> names them
/// (<c>NL-admin</c>, the default; <c>NL-referral_officer</c>, <c>SE-admin</c>, <c>SE-referral_officer</c>).
/// </summary>
internal sealed class ReferralNetwork : IAsyncDisposable
{
    private static readonly string[] Countries = ["NL", "SE"];

    private readonly TempFolder _folder;
    private readonly CapturingLoggerProvider _logs;
    private readonly WebApplication _directory;
    private readonly Dictionary<string, WebApplication> _nodes = new(StringComparer.Ordinal);

    private ReferralNetwork(TempFolder folder, CliRunner cli, CapturingLoggerProvider logs, WebApplication directory)
    {
        _folder = folder;
        Cli = cli;
        _logs = logs;
        _directory = directory;
    }

    public CliRunner Cli { get; }

    private string Pki => _folder.Combine("pki");

    public static async Task<ReferralNetwork> StartAsync(TempFolder folder, ITestOutputHelper log)
    {
        var cli = new CliRunner(folder.Combine("profiles.json"), log);
        var pki = folder.Combine("pki");
        await cli.SucceedAsync("pki", "init-ca", "--dir", pki);
        await cli.SucceedAsync("pki", "issue-directory", "--ca-dir", pki);
        await cli.SucceedAsync("pki", "issue-secretariat", "--ca-dir", pki, "--holder", "Test secretariat");

        var logs = new CapturingLoggerProvider(log.WriteLine);
        var directory = DirectoryHost.Build(
            Settings(new()
            {
                ["Directory:Listen"] = "127.0.0.1:0",
                ["Directory:DataDirectory"] = folder.Combine("directory"),
                ["Directory:CertificateFile"] = Path.Combine(pki, "directory.crt"),
                ["Directory:KeyFile"] = Path.Combine(pki, "directory.key"),
                ["Directory:NetworkCaFile"] = Path.Combine(pki, "ca.crt"),
            }),
            services => services.AddSingleton<ILoggerProvider>(logs));
        await directory.StartAsync(TestContext.Current.CancellationToken);
        var network = new ReferralNetwork(folder, cli, logs, directory);
        foreach (var country in Countries)
        {
            await network.StartNodeAsync(country);
        }

        await network.ApproveAsync();
        return network;
    }

    /// <summary>Stops a node (its data stays), e.g. to see messages to it wait in the outbox.</summary>
    public async Task StopNodeAsync(string country)
    {
        var app = _nodes[country];
        _nodes.Remove(country);
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var country in _nodes.Keys.ToList())
        {
            await StopNodeAsync(country);
        }

        await _directory.StopAsync(CancellationToken.None);
        await _directory.DisposeAsync();
        var errors = _logs.UnexpectedErrors();
        Assert.True(errors.Count == 0, "The directory or a node logged errors: " + string.Join(Environment.NewLine, errors.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    private static IConfiguration Settings(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Warning";
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private async Task StartNodeAsync(string country)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await Cli.SucceedAsync("pki", "issue", "--country", country, "--ca-dir", Pki);
        var certificate = Path.Combine(Pki, country + ".crt");
        var key = Path.Combine(Pki, country + ".key");
        var data = _folder.Combine(country, "data");

        // Accounts and tokens are made on the node's own host before it starts, as 'federation up' does.
        var setup = await NodeSetup.OpenAsync(data, certificate, key, cancellationToken);
        var tokens = new Dictionary<string, string>();
        foreach (var role in new[] { "admin", "referral_officer" })
        {
            var username = $"{country.ToLowerInvariant()}-{role.Replace('_', '-')}";
            await setup.AddUserAsync(username, $"{country} {role} (synthetic)", [role], null, cancellationToken);
            tokens[role] = await setup.CreateTokenAsync(username, "test", TimeSpan.FromHours(1), cancellationToken);
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
                ["Node:NetworkCaFile"] = Path.Combine(Pki, "ca.crt"),
                ["Node:DirectoryUrl"] = DirectoryUrl(),
                ["Node:SnapshotRefreshInterval"] = "00:00:01",
                ["Node:PeerCheckInterval"] = "00:00:01",
                ["Node:Referrals:Partners:0"] = "*",
                ["Node:Referrals:MaxBackoff"] = "00:00:01",
                ["Node:Referrals:CircuitBreakDuration"] = "00:00:01",
            }),
            services => services.AddSingleton<ILoggerProvider>(_logs));
        await app.StartAsync(cancellationToken);
        _nodes[country] = app;
        var url = NodeHost.Addresses(app).Console.ToString().TrimEnd('/');
        foreach (var (role, token) in tokens)
        {
            Cli.Profiles.Upsert(
                new Profile
                {
                    Name = $"{country}-{role}",
                    Node = country,
                    Url = url,
                    Roles = [role],
                    Username = $"{country.ToLowerInvariant()}-{role.Replace('_', '-')}",
                    Token = token,
                    CaFile = Path.Combine(Pki, "ca.crt"),
                },
                makeCurrent: country == Countries[0] && role == "admin");
        }
    }

    /// <summary>Approves both nodes once they have applied, and waits until each sees the other as an active member.</summary>
    private async Task ApproveAsync()
    {
        string[] secretariat = ["--directory-url", DirectoryUrl(), "--cert", Path.Combine(Pki, "secretariat.crt"), "--key", Path.Combine(Pki, "secretariat.key"), "--ca", Path.Combine(Pki, "ca.crt")];
        await Eventually.UntilAsync(
            async () => (await Cli.SucceedAsync(["--json", "directory", "members", .. secretariat])).Json.GetProperty("members").GetArrayLength() == Countries.Length,
            "NL and SE to apply to the directory");
        foreach (var country in Countries)
        {
            await Cli.SucceedAsync(["directory", "approve", country, .. secretariat]);
        }

        foreach (var country in Countries)
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var status = await Cli.RunAsync("--json", "node", "status", "--profile", $"{country}-admin");
                    return status.Output.JsonValues.Count == 1
                        && status.Json.GetProperty("peers").EnumerateArray().Any(p => Countries.Contains(p.GetProperty("country").GetString()) && p.GetProperty("country").GetString() != country);
                },
                $"{country} to see its referral partner as an active member");
        }
    }

    private string DirectoryUrl()
    {
        var address = new Uri(_directory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return $"https://127.0.0.1:{address.Port}";
    }
}
