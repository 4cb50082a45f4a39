using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Cli.Federation;
using NremNet.Cli.Profiles;
using NremNet.Directory;
using NremNet.Node;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>
/// A network of real nodes for CLI tests, as <c>federation up</c> makes it but in this process: the PKI made with the
/// CLI, a real directory, and a node per country on 127.0.0.1:0 that is an active member, exchanges referrals with
/// every member and pulls every peer's practices, questions and answers every two seconds (in its sample language).
/// Each node has an admin, a rapporteur and a referral officer, saved as profiles named as <c>federation up</c> names
/// them: <c>NL-admin</c> (the current one for the first country), <c>NL-rapporteur</c>, <c>NL-referral_officer</c>;
/// their usernames are <c>nl-admin</c>, <c>nl-rapporteur</c>, <c>nl-referral-officer</c>.
/// </summary>
internal sealed class TestNetwork : IAsyncDisposable
{
    /// <summary>The roles each node has an account and a profile for.</summary>
    private static readonly IReadOnlyList<string> Roles = ["admin", "rapporteur", "referral_officer"];

    private readonly TempFolder _folder;
    private readonly CapturingLoggerProvider _logs;
    private readonly WebApplication _directory;
    private readonly Dictionary<string, WebApplication> _nodes = new(StringComparer.Ordinal);

    private TestNetwork(TempFolder folder, CliRunner cli, CapturingLoggerProvider logs, WebApplication directory, IReadOnlyList<string> countries)
    {
        _folder = folder;
        Cli = cli;
        _logs = logs;
        _directory = directory;
        Countries = countries;
    }

    public CliRunner Cli { get; }

    /// <summary>The member countries, the first one's admin the current profile.</summary>
    public IReadOnlyList<string> Countries { get; }

    private string Pki => _folder.Combine("pki");

    /// <summary>Starts the directory and a node for each of <paramref name="countries"/> (NL and SE when none), and waits until each sees every other as an active member.</summary>
    public static async Task<TestNetwork> StartAsync(TempFolder folder, ITestOutputHelper log, params string[] countries)
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
        var network = new TestNetwork(folder, cli, logs, directory, countries.Length == 0 ? ["NL", "SE"] : countries);
        foreach (var country in network.Countries)
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

    /// <summary>What a node's sync status says (<c>practice sync --json</c> as its admin): its counts of practices, questions and answers, and its peers.</summary>
    public async Task<JsonElement> SyncStatusAsync(string country) =>
        (await Cli.SucceedAsync("--json", "practice", "sync", "--profile", $"{country}-admin")).Json;

    /// <summary>How many practices, questions and answers a node holds (erased ones included).</summary>
    public async Task<(long Practices, long Questions, long Answers)> HeldAsync(string country)
    {
        var status = await SyncStatusAsync(country);
        return (Count(status, "practices"), Count(status, "questions"), Count(status, "answers"));

        // The proto3 JSON mapping writes 64-bit counts as strings.
        static long Count(JsonElement status, string name) => long.Parse(status.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
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

    private static string Username(string country, string role) => $"{country.ToLowerInvariant()}-{role.Replace('_', '-')}";

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
        foreach (var role in Roles)
        {
            await setup.AddUserAsync(Username(country, role), $"{country} {role} (synthetic)", [role], null, cancellationToken);
            tokens[role] = await setup.CreateTokenAsync(Username(country, role), "test", TimeSpan.FromHours(1), cancellationToken);
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
                ["Node:Practices:Language"] = SampleDocuments.LanguageOf(country),
                ["Node:Practices:PullInterval"] = "00:00:02",
                ["Node:Practices:PullTimeout"] = "00:00:05",
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
                    Username = Username(country, role),
                    Token = token,
                    CaFile = Path.Combine(Pki, "ca.crt"),
                },
                makeCurrent: country == Countries[0] && role == "admin");
        }
    }

    /// <summary>Approves every node once all have applied, and waits until each sees every other as an active member.</summary>
    private async Task ApproveAsync()
    {
        string[] secretariat = ["--directory-url", DirectoryUrl(), "--cert", Path.Combine(Pki, "secretariat.crt"), "--key", Path.Combine(Pki, "secretariat.key"), "--ca", Path.Combine(Pki, "ca.crt")];
        await Eventually.UntilAsync(
            async () => (await Cli.SucceedAsync(["--json", "directory", "members", .. secretariat])).Json.GetProperty("members").GetArrayLength() == Countries.Count,
            $"{string.Join(", ", Countries)} to apply to the directory");
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
                    if (status.Output.JsonValues.Count != 1)
                    {
                        return false;
                    }

                    var peers = status.Json.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("country").GetString()).ToHashSet(StringComparer.Ordinal);
                    return Countries.Where(c => c != country).All(peers.Contains);
                },
                $"{country} to see every other node as an active member");
        }
    }

    private string DirectoryUrl()
    {
        var address = new Uri(_directory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return $"https://127.0.0.1:{address.Port}";
    }
}
