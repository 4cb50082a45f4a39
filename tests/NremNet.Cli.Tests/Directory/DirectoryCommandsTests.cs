using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Directory;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Directory;

/// <summary>The secretariat's verbs against a real directory, with a real node NL applying to it.</summary>
public sealed class DirectoryCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly CapturingLoggerProvider _directoryLogs = new(log.WriteLine);
    private WebApplication _directory = null!;
    private CliRunner _cli = null!;
    private string _url = null!;

    private string Pki => _folder.Combine("pki");

    private string[] Secretariat => ["--directory-url", _url, "--cert", Path.Combine(Pki, "secretariat.crt"), "--key", Path.Combine(Pki, "secretariat.key"), "--ca", Path.Combine(Pki, "ca.crt")];

    public async ValueTask InitializeAsync()
    {
        _cli = new CliRunner(_folder.Combine("profiles.json"), log);
        await _cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        await _cli.SucceedAsync("pki", "issue-directory", "--ca-dir", Pki);
        await _cli.SucceedAsync("pki", "issue-secretariat", "--ca-dir", Pki, "--holder", "Test secretariat");
        var port = Eventually.FreePort();
        _url = $"https://127.0.0.1:{port}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:Listen"] = $"127.0.0.1:{port}",
            ["Directory:DataDirectory"] = _folder.Combine("directory"),
            ["Directory:CertificateFile"] = Path.Combine(Pki, "directory.crt"),
            ["Directory:KeyFile"] = Path.Combine(Pki, "directory.key"),
            ["Directory:NetworkCaFile"] = Path.Combine(Pki, "ca.crt"),
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        _directory = DirectoryHost.Build(configuration, services => services.AddSingleton<ILoggerProvider>(_directoryLogs));
        await _directory.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _directory.StopAsync(CancellationToken.None);
        await _directory.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Members_ApproveSuspendRemove_FollowTheMemberThroughItsLife()
    {
        var empty = await _cli.SucceedAsync(["directory", "members", .. Secretariat]);
        Assert.Contains(empty.Output.Lines, l => l.Contains("has no members yet", StringComparison.Ordinal));

        // Heartbeats every second, so the node hears of its approval without waiting a minute.
        await using var node = await TestNode.StartAsync(_folder, log, _url, new Dictionary<string, string?> { ["Node:SnapshotRefreshInterval"] = "00:00:01" });
        using var certificate = PemFiles.Load(Path.Combine(Pki, "NL.crt"));
        var thumbprint = NetworkIdentity.Thumbprint(certificate);
        await Eventually.UntilAsync(
            async () => (await _cli.SucceedAsync(["--json", "directory", "members", .. Secretariat])).Json.GetProperty("members").GetArrayLength() == 1,
            "node NL to register with the directory");

        var pending = await _cli.SucceedAsync(["directory", "members", .. Secretariat]);
        var table = pending.Table("Members of");
        Assert.Equal(["country", "mechanism", "type", "status", "peer endpoint", "thumbprint", "last heartbeat"], table.Headers);
        Assert.Equal("pending", table.Cell("NL", "status"));
        Assert.Equal("Test rapporteur NL (synthetic)", table.Cell("NL", "mechanism"));
        Assert.Equal("NationalRapporteur", table.Cell("NL", "type"));
        Assert.Equal(thumbprint[..16] + "…", table.Cell("NL", "thumbprint"));
        Assert.Contains(pending.Output.Lines, l => l.Contains("nremnet directory approve NL", StringComparison.Ordinal));

        var approved = await _cli.SucceedAsync(["--json", "directory", "approve", "nl", .. Secretariat]);
        Assert.Equal("active", approved.Json.GetProperty("status").GetString());
        Assert.Equal(thumbprint, approved.Json.GetProperty("certificateThumbprint").GetString());

        // The node follows: trusted snapshot, directory answering, membership active — healthy, exit code 0.
        await Eventually.UntilAsync(
            async () =>
            {
                var status = await node.Cli.RunAsync("--json", "node", "status");
                return status.ExitCode == ExitCodes.Ok && status.Json.GetProperty("membershipStatus").GetString() == "active";
            },
            "node NL to report itself healthy and active");

        var again = await _cli.RunAsync(["directory", "approve", "NL", .. Secretariat]);
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("already ACTIVE", again.ErrorText, StringComparison.Ordinal);

        var suspended = await _cli.SucceedAsync(["directory", "suspend", "NL", "--reason", "certificate under review", .. Secretariat]);
        Assert.Contains(suspended.Output.Successes, s => s.Contains("now suspended", StringComparison.Ordinal));
        var listed = await _cli.SucceedAsync(["directory", "members", .. Secretariat]);
        Assert.Equal("suspended (certificate under review)", listed.Table("Members of").Cell("NL", "status"));

        var removed = await _cli.SucceedAsync(["--json", "directory", "remove", "NL", "--reason", "left the network", .. Secretariat]);
        Assert.Equal("removed", removed.Json.GetProperty("status").GetString());
        Assert.Equal("left the network", removed.Json.GetProperty("statusReason").GetString());
        Assert.Equal(ExitCodes.Conflict, (await _cli.RunAsync(["directory", "approve", "NL", .. Secretariat])).ExitCode);
        Assert.Empty(_directoryLogs.UnexpectedErrors());
    }

    [Fact]
    public async Task Members_WithANodeCertificate_RefusedBeforeCalling()
    {
        await _cli.SucceedAsync("pki", "issue", "--country", "SE", "--ca-dir", Pki);

        var run = await _cli.RunAsync("directory", "members", "--directory-url", _url, "--cert", Path.Combine(Pki, "SE.crt"), "--key", Path.Combine(Pki, "SE.key"), "--ca", Path.Combine(Pki, "ca.crt"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("names node SE, not secretariat", run.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_UnknownOrInvalidCountry_SaysWhy()
    {
        var unknown = await _cli.RunAsync(["directory", "approve", "FI", .. Secretariat]);
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("No member FI", unknown.ErrorText, StringComparison.Ordinal);

        var invalid = await _cli.RunAsync(["directory", "approve", "Finland", .. Secretariat]);
        Assert.Equal(ExitCodes.Usage, invalid.ExitCode);
        Assert.Contains("'Finland' is not an ISO 3166-1 alpha-2 country code", invalid.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_WithoutReason_IsAUsageError()
    {
        var run = await _cli.RunAsync(["directory", "suspend", "NL", .. Secretariat]);

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("--reason", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_DirectoryDown_Unavailable()
    {
        var run = await _cli.RunAsync("directory", "members", "--directory-url", $"https://127.0.0.1:{Eventually.FreePort()}", "--cert", Path.Combine(Pki, "secretariat.crt"), "--key", Path.Combine(Pki, "secretariat.key"), "--ca", Path.Combine(Pki, "ca.crt"));

        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.Contains("Could not reach", run.ErrorText, StringComparison.Ordinal);
    }
}
