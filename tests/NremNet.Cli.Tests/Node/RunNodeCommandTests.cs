using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Node;

namespace NremNet.Cli.Tests.Node;

public sealed class RunNodeCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_FromAnotherFolder_ServesTheNodeThatInitWrote_WithExtraSettings_AndStopsOnSigterm()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);
        var pki = _folder.Combine("pki");
        var nodeDirectory = _folder.Combine("nodes", "se");
        await cli.SucceedAsync("pki", "init-ca", "--dir", pki);
        await cli.SucceedAsync("pki", "issue", "--country", "SE", "--ca-dir", pki);
        var console = Eventually.FreePort();
        await cli.SucceedAsync(
            "node", "init", "--dir", nodeDirectory, "--country", "SE", "--mechanism-name", "Test rapporteur SE (synthetic)",
            "--directory-url", $"https://127.0.0.1:{Eventually.FreePort()}", "--peer-listen", "127.0.0.1:0", "--console-listen", $"127.0.0.1:{console}",
            "--certificate", Path.Combine(pki, "SE.crt"), "--key", Path.Combine(pki, "SE.key"), "--ca", Path.Combine(pki, "ca.crt"));
        var setup = await NodeSetup.OpenAsync(Path.Combine(nodeDirectory, "data", "node"), Path.Combine(nodeDirectory, "pki", "node.crt"), Path.Combine(nodeDirectory, "pki", "node.key"), TestContext.Current.CancellationToken);
        var token = await setup.CreateTokenAsync("admin", "test", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        // Run from the temp root: node.json's relative paths must still mean the node's folder.
        await using var node = NremnetProcess.Start(
            _folder.Path, "node", "run", "--config", Path.Combine("nodes", "se", "node.json"), "--Node:MechanismName=Overridden on the command line", "--Logging:LogLevel:Default=Warning");
        var listening = await node.WaitForLineAsync(l => l.StartsWith("NremNet node SE listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.EndsWith($"console 127.0.0.1:{console.ToString(CultureInfo.InvariantCulture)}", listening, StringComparison.Ordinal);

        cli.Profiles.Upsert(
            new() { Name = "SE-admin", Node = "SE", Url = $"https://127.0.0.1:{console}", Roles = ["admin"], Username = "admin", Token = token, CaFile = Path.Combine(pki, "ca.crt") },
            makeCurrent: true);
        var status = await cli.RunAsync("--json", "node", "status");
        Assert.Equal(ExitCodes.CheckFailed, status.ExitCode);
        Assert.Equal("Overridden on the command line", status.Json.GetProperty("mechanismName").GetString());
        Assert.Equal(Path.Combine(nodeDirectory, "data", "node", "node.db") + " is writable", status.Json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database").GetProperty("reason").GetString());

        Assert.Equal(0, await NremnetProcess.TerminateAsync(node));
        Assert.DoesNotContain(" fail: ", node.StandardOutput + node.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingConfiguration_NotFoundWithAHint()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);

        var run = await cli.RunAsync("node", "run", "--config", _folder.Combine("nowhere", "node.json"));

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("nremnet node init", run.ErrorText, StringComparison.Ordinal);
    }
}
