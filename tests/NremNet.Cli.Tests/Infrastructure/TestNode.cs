using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Cli.Profiles;
using NremNet.Node;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>
/// A real country node NL for CLI tests: PKI and node folder made with the CLI itself (<c>pki init-ca</c>, <c>pki issue</c>,
/// <c>node init</c>), started in this process on 127.0.0.1:0 from the node.json that <c>node init</c> wrote, with saved
/// profiles for its admin (<c>NL-admin</c>, the default) and a rapporteur (<c>NL-rita</c>).
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const string RapporteurPassword = "rapporteur-password-1";

    private readonly WebApplication _app;

    private TestNode(TempFolder folder, CliRunner cli, WebApplication app, CapturingLoggerProvider logs, string nodeDirectory)
    {
        Folder = folder;
        Cli = cli;
        _app = app;
        Logs = logs;
        NodeDirectory = nodeDirectory;
        ConsoleUrl = NodeHost.Addresses(app).Console.ToString().TrimEnd('/');
    }

    public TempFolder Folder { get; }

    public CliRunner Cli { get; }

    public CapturingLoggerProvider Logs { get; }

    public string NodeDirectory { get; }

    public string ConsoleUrl { get; }

    public string AuthorityFile => Folder.Combine("pki", "ca.crt");

    public string DatabaseFile => Path.Combine(NodeDirectory, "data", "node", "node.db");

    /// <summary>
    /// Sets up and starts node NL; the network CA is made in <c>pki/</c> of the folder unless it is there already.
    /// <paramref name="settings"/> override node.json (e.g. <c>Node:SnapshotRefreshInterval</c>).
    /// </summary>
    public static async Task<TestNode> StartAsync(TempFolder folder, ITestOutputHelper output, string? directoryUrl = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cli = new CliRunner(folder.Combine("profiles.json"), output);
        var pki = folder.Combine("pki");
        if (!File.Exists(Path.Combine(pki, "ca.crt")))
        {
            await cli.SucceedAsync("pki", "init-ca", "--dir", pki);
        }

        await cli.SucceedAsync("pki", "issue", "--country", "NL", "--ca-dir", pki);
        var nodeDirectory = folder.Combine("nl");
        await cli.SucceedAsync(
            "node", "init", "--dir", nodeDirectory, "--country", "NL", "--mechanism-name", "Test rapporteur NL (synthetic)",
            "--directory-url", directoryUrl ?? $"https://127.0.0.1:{Eventually.FreePort()}",
            "--peer-listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
            "--certificate", Path.Combine(pki, "NL.crt"), "--key", Path.Combine(pki, "NL.key"), "--ca", Path.Combine(pki, "ca.crt"));

        // Tokens are made on the node's own host before it starts, as an operator would for scripts.
        var setup = await NodeSetup.OpenAsync(Path.Combine(nodeDirectory, "data", "node"), Path.Combine(nodeDirectory, "pki", "node.crt"), Path.Combine(nodeDirectory, "pki", "node.key"), cancellationToken);
        var adminToken = await setup.CreateTokenAsync("admin", "test admin", TimeSpan.FromHours(1), cancellationToken);
        await setup.AddUserAsync("rita", "Rita Rapporteur", ["rapporteur"], RapporteurPassword, cancellationToken);
        var ritaToken = await setup.CreateTokenAsync("rita", "test rapporteur", TimeSpan.FromHours(1), cancellationToken);

        // The node.json that 'node init' wrote, its relative paths taken from the node's folder (as 'node run' does).
        var written = new ConfigurationBuilder().AddJsonFile(Path.Combine(nodeDirectory, "node.json")).Build();
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var key in new[] { "DataDirectory", "CertificateFile", "KeyFile", "NetworkCaFile" })
        {
            overrides[$"Node:{key}"] = Path.GetFullPath(written[$"Node:{key}"]!, nodeDirectory);
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(nodeDirectory, "node.json")).AddInMemoryCollection(overrides).Build();
        var logs = new CapturingLoggerProvider(output.WriteLine);
        var app = NodeHost.Build(configuration, services => services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync(cancellationToken);
        var node = new TestNode(folder, cli, app, logs, nodeDirectory);
        cli.Profiles.Upsert(node.Profile("NL-admin", "admin", adminToken, "admin"), makeCurrent: true);
        cli.Profiles.Upsert(node.Profile("NL-rita", "rita", ritaToken, "rapporteur"), makeCurrent: false);
        return node;
    }

    /// <summary>A profile for a user of this node.</summary>
    public Profile Profile(string name, string username, string token, params string[] roles) => new()
    {
        Name = name,
        Node = "NL",
        Url = ConsoleUrl,
        Roles = roles,
        Username = username,
        Token = token,
        CaFile = AuthorityFile,
    };

    /// <summary>Fails when the node logged an error the test did not expect.</summary>
    public void AssertNoUnexpectedErrors(params string[] expected)
    {
        var errors = Logs.UnexpectedErrors(expected);
        Assert.True(errors.Count == 0, "The node logged errors: " + string.Join(Environment.NewLine, errors.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
