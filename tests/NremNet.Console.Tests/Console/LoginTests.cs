using Microsoft.Extensions.DependencyInjection;
using NremNet.Console.Tests.Infrastructure;
using NremNet.Node.Audit;

namespace NremNet.Console.Tests.Console;

/// <summary>Login with the node's accounts: a right password opens the console, anything else says the same refusal.</summary>
public sealed class LoginTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    [Fact]
    public async Task Login_RightPassword_OpensHome_WithUserRoleAndAuditedLogin()
    {
        var (context, page) = await SignedInAsync("nl-rapporteur");
        await using (context)
        {
            Assert.Equal("/", ConsolePages.PathOf(page));
            Assert.Equal("NL rapporteur (synthetic)", await page.Locator(".account-name").InnerTextAsync());
            Assert.Equal("Rapporteur", await page.Locator(".account-roles").InnerTextAsync());
            Assert.Contains("What needs you now", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

            var logins = await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.login", TestContext.Current.CancellationToken);
            Assert.Contains(logins, e => e.Record.Actor == "user:nl-rapporteur" && e.Record.Outcome == "ok");
        }
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownUser_ShowsTheSameRefusal_AndIsAudited()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            var wrong = await RefusalAsync(page, "nl-officer", "not-the-password");
            var unknown = await RefusalAsync(page, "nobody-here", "not-the-password");
            Assert.Equal(wrong, unknown);
            Assert.Contains("Wrong user name or password", wrong, StringComparison.Ordinal);
            Assert.Equal("/login", ConsolePages.PathOf(page));
            Assert.Equal("true", await page.Locator("#login-username").GetAttributeAsync("aria-invalid"));

            var refusals = await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.login", TestContext.Current.CancellationToken);
            Assert.Contains(refusals, e => e.Record.Target == "nl-officer" && e.Record.Outcome == "denied" && e.Record.Details.Contains("wrong password", StringComparison.Ordinal));
            Assert.Contains(refusals, e => e.Record.Target == "nobody-here" && e.Record.Outcome == "denied" && e.Record.Details.Contains("no such user", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Login_TenWrongPasswords_LockTheAccount_AndTheRightOneIsThenRefusedAlike()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            string first = string.Empty;
            for (var i = 0; i < Node.Users.UserStore.LockoutThreshold; i++)
            {
                var refusal = await RefusalAsync(page, "nl-lockout", $"wrong-password-{i}");
                first = i == 0 ? refusal : first;
                Assert.Equal(first, refusal);
            }

            // Locked now: the right password gets the very same answer, which says nothing of the lock or the account.
            Assert.Equal(first, await RefusalAsync(page, "nl-lockout", ConsoleNetwork.Password));
            var refusals = await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.login", TestContext.Current.CancellationToken);
            Assert.Contains(refusals, e => e.Record.Target == "nl-lockout" && e.Record.Details.Contains("account locked until", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Login_EmptyFields_AskForBoth()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            await page.GotoAsync(Nl + "/login");
            await page.Locator("form.stacked-form button[type=submit]").ClickAsync();
            Assert.Contains("Enter your user name and your password.", await page.Locator("#login-error").InnerTextAsync(), StringComparison.Ordinal);
        }
    }

    private async Task<string> RefusalAsync(Microsoft.Playwright.IPage page, string username, string password)
    {
        await page.GotoAsync(Nl + "/login");
        await page.Locator("#login-username").FillAsync(username);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("form.stacked-form button[type=submit]").ClickAsync();
        return await page.Locator("#login-error").InnerTextAsync();
    }
}
