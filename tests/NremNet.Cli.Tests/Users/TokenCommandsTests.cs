using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Users;

public sealed class TokenCommandsTests(ITestOutputHelper log) : IAsyncLifetime
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
    public async Task CreateListRevoke_ARevokedTokenIsRefused()
    {
        var created = await Cli.SucceedAsync("--json", "token", "create", "--name", "nightly export", "--days", "2");
        var id = created.Json.GetProperty("token").GetProperty("id").GetString()!;
        var secret = created.Json.GetProperty("secret").GetString()!;
        Assert.StartsWith($"nrn_{id}_", secret, StringComparison.Ordinal);
        Assert.InRange((created.Json.GetProperty("token").GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow).TotalHours, 47.9, 48.1);

        // The new token works on its own.
        Cli.Profiles.Upsert(_node.Profile("NL-script", "admin", secret, "admin"), makeCurrent: false);
        var listed = await Cli.SucceedAsync("--profile", "NL-script", "token", "list");
        var tokens = listed.Table("Tokens of admin on NL");
        Assert.Equal("nightly export", tokens.Cell(id + " (this profile)", "name"));
        Assert.Equal("active", tokens.Cell(id + " (this profile)", "status"));

        var revoked = await Cli.SucceedAsync("--json", "token", "revoke", id);
        Assert.Equal("revoked", revoked.Json.GetProperty("token").GetProperty("status").GetString());

        var refused = await Cli.RunAsync("--profile", "NL-script", "token", "list");
        Assert.Equal(ExitCodes.Unauthenticated, refused.ExitCode);
        Assert.Contains("token was refused", refused.ErrorText, StringComparison.Ordinal);

        var after = await Cli.SucceedAsync("--json", "token", "list");
        var entry = after.Json.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        Assert.Equal("revoked", entry.GetProperty("status").GetString());
        Assert.False(entry.GetProperty("inUse").GetBoolean());
        Assert.DoesNotContain(secret, after.Json.GetRawText(), StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Create_ForPeople_ShowsTheSecretWithAWarning()
    {
        var run = await Cli.SucceedAsync("--profile", "NL-rita", "token", "create");

        var secretLine = Assert.Single(run.Output.Lines, l => l.StartsWith("  secret  nrn_", StringComparison.Ordinal));
        Assert.Contains(run.Output.Warnings, w => w.Contains("will not be shown again", StringComparison.Ordinal));
        Assert.Contains(run.Output.Successes, s => s.Contains("for rita on NL", StringComparison.Ordinal));
        Assert.DoesNotContain(secretLine["  secret  ".Length..], (await Cli.SucceedAsync("--profile", "NL-rita", "token", "list")).Output.Text, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Revoke_UnknownId_NotFound()
    {
        var run = await Cli.RunAsync("token", "revoke", "000000000000");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("token list", run.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }
}
