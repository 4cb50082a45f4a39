using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Audit;

namespace NremNet.Console.Tests.Console;

/// <summary>The console session lives on the node: its cookie is only a key to it, and ending it there ends it at once.</summary>
public sealed class SessionTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    private const string SessionCookie = "__Host-nremnet-nl-session";

    [Fact]
    public async Task SessionCookie_IsHostOnly_Secure_HttpOnly_SameSiteStrict_AndNotPersistent()
    {
        var (context, _) = await SignedInAsync("nl-rapporteur");
        await using (context)
        {
            var cookie = (await context.CookiesAsync()).Single(c => c.Name == SessionCookie);
            Assert.True(cookie.Secure);
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
            Assert.Equal("/", cookie.Path);
            Assert.Equal(-1, cookie.Expires);
            Assert.StartsWith("ncs_", cookie.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TwoNodesOnOneHost_KeepTheirOwnSessionsAndForms_InOneBrowser()
    {
        var (context, page) = await SignedInAsync("nl-rapporteur");
        await using (context)
        {
            // A local federation serves every console on 127.0.0.1, and browsers share cookies between ports.
            await ConsolePages.LoginAsync(page, Network.ConsoleUrl("SE"), "se-officer");
            Assert.Equal("SE officer (synthetic)", await page.Locator(".account-name").InnerTextAsync());
            await page.GotoAsync(Nl + "/");
            Assert.Equal("NL rapporteur (synthetic)", await page.Locator(".account-name").InnerTextAsync());
            await page.Locator("#language-select").SelectOptionAsync("fr");
            await page.Locator(".language-form button").ClickAsync();
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            Assert.Equal("/", ConsolePages.PathOf(page));
        }
    }

    [Fact]
    public async Task Logout_EndsTheSessionOnTheNode_SoTheOldCookieOpensNothing()
    {
        var (context, page) = await SignedInAsync("nl-officer");
        await using (context)
        {
            var cookies = await context.CookiesAsync();
            await page.Locator(".logout-form button").ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/login?signedOut=1", StringComparison.Ordinal));
            Assert.Equal("You have signed out.", await page.Locator("p.notice").InnerTextAsync());

            // The cookie as it was before the logout, in a browser that never logged out.
            await using var replay = await Browser.NewContextAsync();
            await replay.AddCookiesAsync(cookies.Where(c => c.Name == SessionCookie).Select(c => new Cookie
            {
                Name = c.Name,
                Value = c.Value,
                Url = Nl + "/",
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteAttribute.Strict,
            }));
            var stolen = await replay.NewPageAsync();
            await stolen.GotoAsync(Nl + "/referrals");
            Assert.Equal("/login", ConsolePages.PathOf(stolen));

            var logouts = await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.logout", TestContext.Current.CancellationToken);
            Assert.Contains(logouts, e => e.Record.Actor == "user:nl-officer");
        }
    }

    [Fact]
    public async Task DisablingTheAccount_EndsItsSession_AtTheNextRequest()
    {
        var (context, page) = await SignedInAsync("nl-disabled");
        await using (context)
        {
            using var channel = Network.UserApiChannel("NL");
            await new UserService.UserServiceClient(channel).DisableUserAsync(
                new DisableUserRequest { Username = "nl-disabled", Reason = "console test" },
                new Metadata { { "authorization", "Bearer " + Network.AdminToken("NL") } },
                cancellationToken: TestContext.Current.CancellationToken);

            await page.ReloadAsync();
            Assert.Equal("/login", ConsolePages.PathOf(page));
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == SessionCookie);
        }
    }

    [Fact]
    public async Task SessionCookie_CallsNoGrpcMethod_AndATokenOpensNoPage()
    {
        var (context, _) = await SignedInAsync("nl-admin");
        await using (context)
        {
            var session = (await context.CookiesAsync()).Single(c => c.Name == SessionCookie).Value;
            using var channel = Network.UserApiChannel("NL");
            var call = await Assert.ThrowsAsync<RpcException>(async () =>
                await new SessionService.SessionServiceClient(channel).WhoAmIAsync(new WhoAmIRequest(), new Metadata { { "cookie", $"{SessionCookie}={session}" } }, cancellationToken: TestContext.Current.CancellationToken));
            Assert.Equal(StatusCode.Unauthenticated, call.StatusCode);

            // The same admin's API token, as a bearer header, is not a login for the pages.
            await using var api = await Browser.NewContextAsync();
            var response = await api.APIRequest.GetAsync(Nl + "/network", new APIRequestContextOptions
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Network.AdminToken("NL") },
                MaxRedirects = 0,
            });
            Assert.Equal(302, response.Status);
            Assert.StartsWith("/login?returnUrl=%2Fnetwork", response.Headers["location"], StringComparison.Ordinal);

            // And the token still works where it belongs.
            var me = await new SessionService.SessionServiceClient(channel).WhoAmIAsync(new WhoAmIRequest(), new Metadata { { "authorization", "Bearer " + Network.AdminToken("NL") } }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("nl-admin", me.User.Username);
        }
    }
}
