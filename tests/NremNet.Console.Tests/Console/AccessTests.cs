using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;
using NremNet.Node.Audit;

namespace NremNet.Console.Tests.Console;

/// <summary>Who may open which page: the user API's role policies, checked on the server; refused pages are neither shown nor reachable.</summary>
public sealed class AccessTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    public static TheoryData<string, string[], string[]> Roles => new()
    {
        // account, pages it may open (and sees in the navigation), pages it is refused with the 403 page
        { "nl-rapporteur", ["/"], ["/network", "/referrals"] },
        { "nl-officer", ["/", "/referrals"], ["/network"] },
        { "nl-admin", ["/", "/network"], ["/referrals"] },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EachRole_SeesItsPagesOnly_AndIsRefusedTheOthersWithThe403Page(string username, string[] allowed, string[] refused)
    {
        var (context, page) = await SignedInAsync(username);
        await using (context)
        {
            var navigation = await page.Locator("nav.site-nav a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            Assert.Equal(allowed, navigation);

            foreach (var path in allowed)
            {
                var response = await page.GotoAsync(Nl + path);
                Assert.Equal(200, response!.Status);
            }

            foreach (var path in refused)
            {
                var response = await page.GotoAsync(Nl + path);
                Assert.Equal(403, response!.Status);
                Assert.Equal(path, ConsolePages.PathOf(page));
                Assert.Equal("Not available for your role", await page.Locator("h1").InnerTextAsync());
                Assert.Equal(0, await page.Locator($"nav.site-nav a[href='{path}']").CountAsync());
            }

            var denials = await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "access.denied", TestContext.Current.CancellationToken);
            Assert.Contains(denials, e => e.Record.Actor == "user:" + username && e.Record.Target == refused[0]);
        }
    }

    [Fact]
    public async Task Anonymous_IsSentToLogin_AndBackToThePageAskedFor()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            await page.GotoAsync(Nl + "/network?tab=peers");
            Assert.Equal("/login", ConsolePages.PathOf(page));
            Assert.Equal("?returnUrl=%2Fnetwork%3Ftab%3Dpeers", new Uri(page.Url).Query);
            await page.Locator("#login-username").FillAsync("nl-admin");
            await page.Locator("#login-password").FillAsync(ConsoleNetwork.Password);
            await page.Locator("form.stacked-form button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/network");
            Assert.Equal("?tab=peers", new Uri(page.Url).Query);
        }
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    [InlineData("https://evil.example/phish")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/login?returnUrl=%2F%2Fevil.example")]
    public async Task ReturnUrl_ElsewhereThanThisConsole_LandsOnHome(string returnUrl)
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            await ConsolePages.LoginAsync(page, Nl, "nl-rapporteur", returnUrl: returnUrl);
            Assert.StartsWith(Nl + "/", page.Url, StringComparison.Ordinal);
            Assert.Equal("/", ConsolePages.PathOf(page));
        }
    }

    [Fact]
    public async Task UnknownPage_IsThe404Page_ForAnonymousAndSignedIn()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            var anonymous = await page.GotoAsync(Nl + "/no-such-page");
            Assert.Equal(404, anonymous!.Status);
            Assert.Equal("Page not found", await page.Locator("h1").InnerTextAsync());

            await ConsolePages.LoginAsync(page, Nl, "nl-rapporteur");
            var signedIn = await page.GotoAsync(Nl + "/no/such/page");
            Assert.Equal(404, signedIn!.Status);
            Assert.Equal("Page not found", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(1, await page.Locator("nav.site-nav").CountAsync());
        }
    }

    [Fact]
    public async Task PostWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var (context, page) = await SignedInAsync("nl-officer");
        await using (context)
        {
            // The browser holds the session and the antiforgery cookie; a forged form has no token.
            var logout = await context.APIRequest.PostAsync(Nl + "/logout", new APIRequestContextOptions { Form = context.APIRequest.CreateFormData(), MaxRedirects = 0 });
            Assert.Equal(400, logout.Status);
            Assert.Contains("The form could not be accepted", await logout.TextAsync(), StringComparison.Ordinal);
            await page.GotoAsync(Nl + "/referrals");
            Assert.Equal("/referrals", ConsolePages.PathOf(page));

            var language = context.APIRequest.CreateFormData();
            language.Set("language", "ar");
            language.Set("returnUrl", "/");
            var choose = await context.APIRequest.PostAsync(Nl + "/language", new APIRequestContextOptions { Form = language, MaxRedirects = 0 });
            Assert.Equal(400, choose.Status);
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "__Host-nremnet-language");

            var login = context.APIRequest.CreateFormData();
            login.Set("_handler", "login");
            login.Set("Input.Username", "nl-rapporteur");
            login.Set("Input.Password", ConsoleNetwork.Password);
            var before = (await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.login", TestContext.Current.CancellationToken)).Count;
            var forged = await context.APIRequest.PostAsync(Nl + "/login", new APIRequestContextOptions { Form = login, MaxRedirects = 0 });
            Assert.Equal(400, forged.Status);
            Assert.Equal(before, (await Network.Services("NL").GetRequiredService<AuditLog>().ListAsync(1000, 0, "console.login", TestContext.Current.CancellationToken)).Count);
        }
    }
}
