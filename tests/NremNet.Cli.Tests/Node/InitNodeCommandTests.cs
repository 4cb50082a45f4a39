using System.Text.Json;
using Microsoft.Data.Sqlite;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Node;

namespace NremNet.Cli.Tests.Node;

public sealed class InitNodeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public InitNodeCommandTests(ITestOutputHelper log)
    {
        Cli = new CliRunner(_folder.Combine("profiles.json"), log);
    }

    private CliRunner Cli { get; }

    private string Pki => _folder.Combine("pki");

    private string NodeDirectory => _folder.Combine("nodes", "nl");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Init_WritesConfigurationCredentialsDatabaseAndFirstAdmin()
    {
        await IssueAsync("NL");

        var run = await InitAsync("--json", "--mechanism-type", "Coordinator", "--admin", "root.admin");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(NodeDirectory, "node.json"), TestContext.Current.CancellationToken));
        var node = config.RootElement.GetProperty("Node");
        Assert.Equal("NL", node.GetProperty("Country").GetString());
        Assert.Equal("Test rapporteur NL (synthetic)", node.GetProperty("MechanismName").GetString());
        Assert.Equal("Coordinator", node.GetProperty("MechanismType").GetString());
        Assert.Equal("https://127.0.0.1:7400", node.GetProperty("DirectoryUrl").GetString());
        Assert.Equal("127.0.0.1:17443", node.GetProperty("PeerListen").GetString());
        Assert.Equal("127.0.0.1:18443", node.GetProperty("ConsoleListen").GetString());
        Assert.Equal("pki/node.crt", node.GetProperty("CertificateFile").GetString());
        Assert.Equal("pki/node.key", node.GetProperty("KeyFile").GetString());
        Assert.Equal("pki/ca.crt", node.GetProperty("NetworkCaFile").GetString());
        Assert.Equal("data/node", node.GetProperty("DataDirectory").GetString());

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Pki, "NL.crt"), TestContext.Current.CancellationToken), await File.ReadAllTextAsync(Path.Combine(NodeDirectory, "pki", "node.crt"), TestContext.Current.CancellationToken));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Pki, "ca.crt"), TestContext.Current.CancellationToken), await File.ReadAllTextAsync(Path.Combine(NodeDirectory, "pki", "ca.crt"), TestContext.Current.CancellationToken));
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(NodeDirectory, "pki", "node.key")));

        var password = run.Json.GetProperty("adminPassword").GetString();
        Assert.Equal(20, password?.Length);
        Assert.Equal("root.admin", run.Json.GetProperty("admin").GetString());
        var setup = await NodeSetup.OpenAsync(Path.Combine(NodeDirectory, "data", "node"), Path.Combine(NodeDirectory, "pki", "node.crt"), Path.Combine(NodeDirectory, "pki", "node.key"), TestContext.Current.CancellationToken);
        Assert.True(await setup.UserExistsAsync("root.admin", TestContext.Current.CancellationToken));
        Assert.Equal(["admin"], await ScalarsAsync("SELECT roles FROM users WHERE username = 'root.admin'"));
        Assert.Equal(["user.add"], await ScalarsAsync("SELECT action FROM audit_log"));
    }

    [Fact]
    public async Task Init_ShowsThePasswordOnceForPeople()
    {
        await IssueAsync("NL");

        var run = await InitAsync();

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(run.Output.Lines, l => l.Contains("admin password", StringComparison.Ordinal));
        Assert.Contains(run.Output.Warnings, w => w.Contains("shown only this once", StringComparison.Ordinal));
        Assert.Contains(run.Output.Lines, l => l.Contains("nremnet node run --config " + Path.Combine(NodeDirectory, "node.json"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_Twice_RefusedWithoutForce_RewrittenWithForceKeepingTheAdmin()
    {
        await IssueAsync("NL");
        var first = await InitAsync("--json");
        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        var hash = await ScalarsAsync("SELECT password_hash FROM users WHERE username = 'admin'");

        var second = await InitAsync("--json");
        Assert.Equal(ExitCodes.Conflict, second.ExitCode);
        Assert.Contains(Path.Combine(NodeDirectory, "node.json"), second.ErrorText, StringComparison.Ordinal);
        Assert.Contains("--force", second.ErrorText, StringComparison.Ordinal);

        var forced = await InitNamedAsync("Renamed mechanism (synthetic)", "--json", "--force");
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);
        Assert.False(forced.Json.TryGetProperty("adminPassword", out _), "A password was shown for an account that already existed.");
        Assert.Contains(forced.Output.Warnings, w => w.Contains("exists already", StringComparison.Ordinal));
        Assert.Equal(hash, await ScalarsAsync("SELECT password_hash FROM users WHERE username = 'admin'"));
        Assert.Contains("Renamed mechanism", await File.ReadAllTextAsync(Path.Combine(NodeDirectory, "node.json"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_CertificateOfAnotherCountry_Refused()
    {
        await IssueAsync("SE");

        var run = await Cli.RunAsync(
            "node", "init", "--dir", NodeDirectory, "--country", "NL", "--mechanism-name", "Test rapporteur NL (synthetic)", "--directory-url", "https://127.0.0.1:7400",
            "--certificate", Path.Combine(Pki, "SE.crt"), "--key", Path.Combine(Pki, "SE.key"), "--ca", Path.Combine(Pki, "ca.crt"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("names node SE, not node NL", run.ErrorText, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(NodeDirectory, "node.json")));
    }

    [Fact]
    public async Task Init_BadSettings_EveryProblemNamedAndNothingWritten()
    {
        var run = await Cli.RunAsync(
            "node", "init", "--dir", NodeDirectory, "--country", "ZZ", "--mechanism-name", " ", "--directory-url", "http://directory.example",
            "--peer-listen", "somewhere", "--admin", "x");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        foreach (var expected in new[] { "--country 'ZZ'", "--mechanism-name is empty", "--directory-url 'http://directory.example'", "--peer-listen 'somewhere'", "--admin" })
        {
            Assert.Contains(expected, run.ErrorText, StringComparison.Ordinal);
        }

        Assert.False(System.IO.Directory.Exists(NodeDirectory));
    }

    [Fact]
    public async Task Init_WithoutCredentials_SaysHowToGiveThem()
    {
        var run = await Cli.RunAsync("node", "init", "--dir", NodeDirectory, "--country", "NL", "--mechanism-name", "Test rapporteur NL (synthetic)", "--directory-url", "https://127.0.0.1:7400");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("nremnet pki issue --country NL", run.ErrorText, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(NodeDirectory, "node.json")));
    }

    private async Task IssueAsync(string country)
    {
        if (!File.Exists(Path.Combine(Pki, "ca.crt")))
        {
            await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        }

        await Cli.SucceedAsync("pki", "issue", "--country", country, "--ca-dir", Pki);
    }

    private Task<CliRun> InitAsync(params string[] extra) => InitNamedAsync("Test rapporteur NL (synthetic)", extra);

    private Task<CliRun> InitNamedAsync(string mechanismName, params string[] extra)
    {
        string[] args =
        [
            "node", "init", "--dir", NodeDirectory, "--country", "NL", "--mechanism-name", mechanismName, "--directory-url", "https://127.0.0.1:7400",
            "--peer-listen", "127.0.0.1:17443", "--console-listen", "127.0.0.1:18443",
            "--certificate", Path.Combine(Pki, "NL.crt"), "--key", Path.Combine(Pki, "NL.key"), "--ca", Path.Combine(Pki, "ca.crt"),
        ];
        return Cli.RunAsync([.. args, .. extra]);
    }

    private async Task<List<string>> ScalarsAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(NodeDirectory, "data", "node", "node.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
