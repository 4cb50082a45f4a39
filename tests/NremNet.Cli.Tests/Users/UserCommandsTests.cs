using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Tests.Users;

public sealed class UserCommandsTests(ITestOutputHelper log) : IAsyncLifetime
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
    public async Task Add_GeneratesAPasswordShownOnce_ThatLogsIn()
    {
        var run = await Cli.SucceedAsync("--json", "user", "add", "olga.officer", "--role", "referral_officer", "--role", "rapporteur", "--display-name", "Olga Officer");

        var user = run.Json.GetProperty("user");
        Assert.Equal("olga.officer", user.GetProperty("username").GetString());
        Assert.Equal("Olga Officer", user.GetProperty("displayName").GetString());
        Assert.Equal(["referral_officer", "rapporteur"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var password = run.Json.GetProperty("generatedPassword").GetString()!;
        Assert.Equal(20, password.Length);

        // The password shown is the account's password.
        using var connection = NodeConnection.Open(Cli.Profiles.Resolve("NL-admin", null, null));
        var login = await new SessionService.SessionServiceClient(connection.Channel).LoginAsync(
            new LoginRequest { Username = "olga.officer", Password = password, TokenName = "test" },
            NodeConnection.Deadline(TestContext.Current.CancellationToken));
        Assert.Equal([Role.ReferralOfficer, Role.Rapporteur], login.User.Roles);

        var people = await Cli.SucceedAsync("user", "add", "paul.person", "--role", "rapporteur");
        Assert.Contains(people.Output.Lines, l => l.StartsWith("  password  ", StringComparison.Ordinal) && l.Trim().Length > "password".Length + 12);
        Assert.Contains(people.Output.Warnings, w => w.Contains("shown only this once", StringComparison.Ordinal));
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ListDisableEnable_ShowTheAccountsState_AndDisablingRevokesItsTokens()
    {
        var listed = await Cli.SucceedAsync("user", "list");
        var users = listed.Table("Users on NL");
        Assert.Equal("admin", users.Cell("admin", "roles"));
        Assert.Equal("rapporteur", users.Cell("rita", "roles"));
        Assert.Equal("active", users.Cell("rita", "status"));

        var disabled = await Cli.SucceedAsync("--json", "user", "disable", "rita", "--reason", "left the office");
        Assert.True(disabled.Json.GetProperty("user").GetProperty("disabled").GetBoolean());
        Assert.Equal(1, disabled.Json.GetProperty("revokedTokens").GetInt32());
        Assert.Equal("disabled", (await Cli.SucceedAsync("user", "list")).Table("Users on NL").Cell("rita", "status"));
        Assert.Equal(ExitCodes.Unauthenticated, (await Cli.RunAsync("--profile", "NL-rita", "token", "list")).ExitCode);

        var enabled = await Cli.SucceedAsync("user", "enable", "rita");
        Assert.Contains(enabled.Output.Successes, s => s.Contains("Enabled rita", StringComparison.Ordinal));
        Assert.Equal("active", (await Cli.SucceedAsync("user", "list")).Table("Users on NL").Cell("rita", "status"));
        // Her old token stays revoked: she logs in anew.
        Assert.Equal(ExitCodes.Unauthenticated, (await Cli.RunAsync("--profile", "NL-rita", "token", "list")).ExitCode);

        var json = await Cli.SucceedAsync("--json", "user", "list");
        Assert.Equal(["admin", "rita"], json.Json.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()).Order(StringComparer.Ordinal));
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Add_ExistingUserOrUnknownRole_FailsWithTheReason()
    {
        var duplicate = await Cli.RunAsync("user", "add", "rita", "--role", "rapporteur");
        Assert.Equal(ExitCodes.Conflict, duplicate.ExitCode);
        Assert.Contains("rita", duplicate.ErrorText, StringComparison.Ordinal);

        var role = await Cli.RunAsync("user", "add", "bob.builder", "--role", "boss");
        Assert.Equal(ExitCodes.Usage, role.ExitCode);
        Assert.Contains("'boss' is not a role", role.ErrorText, StringComparison.Ordinal);

        var missing = await Cli.RunAsync("user", "disable", "nobody");
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Add_AsRapporteur_PermissionDenied()
    {
        var run = await Cli.RunAsync("--profile", "NL-rita", "user", "add", "mallory", "--role", "admin");

        Assert.Equal(ExitCodes.PermissionDenied, run.ExitCode);
        Assert.Contains("needs the admin role", run.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", (await Cli.SucceedAsync("--json", "user", "list")).Json.GetRawText(), StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }
}
