using Microsoft.Data.Sqlite;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Audit;

public sealed class AuditCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private TestNode _node = null!;

    private CliRunner Cli => _node.Cli;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync(_folder, log);

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task List_ShowsEntriesNewestFirst_FilteredAndPaged()
    {
        await Cli.SucceedAsync("user", "add", "olga.officer", "--role", "referral_officer");

        var all = await Cli.SucceedAsync("--json", "audit", "list");
        var entries = all.Json.GetProperty("entries").EnumerateArray().ToList();
        var sequences = entries.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(1, sequences[^1]);
        var added = entries.First(e => e.GetProperty("target").GetString() == "olga.officer");
        Assert.Equal("user.add", added.GetProperty("action").GetString());
        Assert.Equal("user:admin", added.GetProperty("actor").GetString());
        Assert.Equal(64, added.GetProperty("hash").GetString()!.Length);

        var filtered = await Cli.SucceedAsync("--json", "audit", "list", "--action", "user.add");
        Assert.All(filtered.Json.GetProperty("entries").EnumerateArray(), e => Assert.Equal("user.add", e.GetProperty("action").GetString()));
        Assert.Equal(["olga.officer", "rita", "admin"], filtered.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()));

        var page = await Cli.SucceedAsync("audit", "list", "--limit", "1", "--before", sequences[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var row = Assert.Single(page.Table("Audit log of NL").Rows);
        Assert.Equal(sequences[1].ToString(System.Globalization.CultureInfo.InvariantCulture), row[0]);
        Assert.Contains(page.Output.Lines, l => l.Contains($"--before {sequences[1]}", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync("audit", "list", "--limit", "0")).ExitCode);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Verify_IntactLog_Succeeds()
    {
        var run = await Cli.SucceedAsync("--json", "audit", "verify");

        Assert.True(run.Json.GetProperty("intact").GetBoolean());
        Assert.True(run.Json.GetProperty("entriesChecked").GetInt64() >= 3);
        var people = await Cli.SucceedAsync("audit", "verify");
        Assert.Contains(people.Output.Successes, s => s.Contains("is intact", StringComparison.Ordinal));
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Verify_AfterSomeoneWithFileAccessAlteredAnEntry_ExitsCheckFailedNamingIt()
    {
        await Cli.SucceedAsync("audit", "verify");
        var entries = (await Cli.SucceedAsync("--json", "audit", "list", "--action", "user.add")).Json.GetProperty("entries").EnumerateArray();
        var target = entries.Single(e => e.GetProperty("target").GetString() == "rita").GetProperty("sequence").GetInt64();

        // An attacker with the database file: drop the append-only triggers and make rita look like an admin from the start.
        await using (var connection = new SqliteConnection($"Data Source={_node.DatabaseFile};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; UPDATE audit_log SET details = '{\"roles\":\"admin\"}' WHERE sequence = $sequence;";
            command.Parameters.AddWithValue("$sequence", target);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var run = await Cli.RunAsync("audit", "verify");

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        Assert.Contains($"entry #{target} does not fit", run.ErrorText, StringComparison.Ordinal);
        var json = await Cli.RunAsync("--json", "audit", "verify");
        Assert.Equal(ExitCodes.CheckFailed, json.ExitCode);
        Assert.False(json.Json.GetProperty("intact").GetBoolean());
        Assert.Equal(target, json.Json.GetProperty("firstBadSequence").GetInt64());
        Assert.False(string.IsNullOrEmpty(json.Json.GetProperty("problem").GetString()));
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Verify_AsRapporteur_PermissionDenied()
    {
        var run = await Cli.RunAsync("--profile", "NL-rita", "audit", "verify");

        Assert.Equal(ExitCodes.PermissionDenied, run.ExitCode);
        Assert.Contains("needs the admin role", run.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }
}
