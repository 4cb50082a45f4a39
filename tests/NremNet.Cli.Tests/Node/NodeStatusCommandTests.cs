using System.Text.Json;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Node;

public sealed class NodeStatusCommandTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private TestNode _node = null!;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync(_folder, log);

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Status_NoSnapshotAndDirectoryUnreachable_ReportsEveryCheckAndExitsCheckFailed()
    {
        var run = await _node.Cli.RunAsync("node", "status");

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        var health = run.Table("Health");
        Assert.Equal(["check", "ok", "reason"], health.Headers);
        Assert.Equal("yes", health.Cell("keys", "ok"));
        Assert.Equal("yes", health.Cell("database", "ok"));
        Assert.Equal("no", health.Cell("snapshot", "ok"));
        Assert.Contains("no directory snapshot yet", health.Cell("snapshot", "reason"), StringComparison.Ordinal);
        // Unreachable is forgiven only while a trusted snapshot is held; there is none.
        Assert.Equal("no", health.Cell("directory", "ok"));
        Assert.Contains("is not reachable", health.Cell("directory", "reason"), StringComparison.Ordinal);
        Assert.Contains(run.Output.Lines, l => l.Contains("directory   not reachable", StringComparison.Ordinal));
        Assert.Contains(run.Output.Lines, l => l.Contains("snapshot    none", StringComparison.Ordinal));
        Assert.Contains("not healthy: snapshot, directory failed", run.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Status_Json_CarriesChecksMembershipAndPeers_ForAnyRole()
    {
        var run = await _node.Cli.RunAsync("--json", "node", "status", "--profile", "NL-rita");

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        var status = run.Json;
        Assert.Equal("NL", status.GetProperty("country").GetString());
        Assert.False(status.GetProperty("healthy").GetBoolean());
        Assert.False(status.GetProperty("directoryReachable").GetBoolean());
        Assert.Equal(0, status.GetProperty("snapshotVersion").GetInt32());
        Assert.Equal("unknown", status.GetProperty("membershipStatus").GetString());
        Assert.Equal(JsonValueKind.Array, status.GetProperty("peers").ValueKind);
        Assert.Equal(0, status.GetProperty("peers").GetArrayLength());
        var checks = status.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("healthy").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["keys"] = true, ["database"] = true, ["snapshot"] = false, ["directory"] = false }, checks);
        _node.AssertNoUnexpectedErrors();
    }
}
