using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>
/// Every page in every language: no axe-core violation (WCAG 2.1 AA and best practices), the language and direction on
/// the html element, no resource key shown instead of text; screenshots of each saved under artifacts/screenshots.
/// </summary>
public sealed class AccessibilityTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    public static TheoryData<string, string> Languages => new()
    {
        // browser locale (Accept-Language), the language the console must answer in
        { "en-GB", "en" },
        { "fr-FR", "fr" },
        { "es-AR", "es" },
        { "ar-EG", "ar" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryPage_PassesAxe_InTheBrowsersLanguage(string locale, string language)
    {
        var (context, page) = await OpenAsync(locale);
        await using (context)
        {
            await CheckAsync(page, "/login", language, $"login-{language}");
            await page.GotoAsync(Nl + "/no-such-page");
            await CheckAsync(page, null, language, $"not-found-{language}");

            // A node with something to attend to: the alert banner.
            await ConsolePages.LoginAsync(page, Network.ConsoleUrl(ConsoleNetwork.Unapproved), "fi-admin");
            await CheckAsync(page, null, language, $"alert-banner-admin-{language}");

            foreach (var (account, pages) in new[]
                     {
                         ("nl-admin", new[] { "/", "/network" }),
                         ("nl-officer", ["/", "/referrals"]),
                         ("nl-rapporteur", ["/", "/network"]),
                     })
            {
                await context.ClearCookiesAsync();
                await ConsolePages.LoginAsync(page, Nl, account);
                foreach (var path in pages)
                {
                    var name = $"{(path == "/" ? "home" : path.Trim('/'))}-{account[3..]}-{language}";
                    await CheckAsync(page, path, language, name);
                }
            }
        }
    }

    [Fact]
    public async Task LanguagePicker_OverridesTheBrowsersLanguage_AndArabicIsRightToLeft()
    {
        var (context, page) = await OpenAsync("es-ES");
        await using (context)
        {
            await page.GotoAsync(Nl + "/login");
            Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
            Assert.Equal("Iniciar sesión", await page.Locator("h1").InnerTextAsync());

            await page.Locator("#language-select").SelectOptionAsync("ar");
            await page.Locator(".language-form button").ClickAsync();
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
            Assert.Equal("rtl", await page.Locator("html").GetAttributeAsync("dir"));
            Assert.Equal("/login", ConsolePages.PathOf(page));
            Assert.Equal("تسجيل الدخول", await page.Locator("h1").InnerTextAsync());

            // Right to left for real: the header's brand sits on the right of the page.
            var brand = await page.Locator(".brand").BoundingBoxAsync();
            Assert.True(brand!.X > 640, $"the brand starts at x={brand.X} in a right-to-left page");

            var cookie = (await context.CookiesAsync()).Single(c => c.Name == "__Host-nremnet-language");
            Assert.True(cookie.Secure && cookie.HttpOnly);
            await ConsolePages.LoginAsync(page, Nl, "nl-rapporteur");
            Assert.Equal("ar", await page.Locator("html").GetAttributeAsync("lang"));
            await ConsolePages.ScreenshotAsync(page, "home-rapporteur-ar-picked");
        }
    }

    private async Task CheckAsync(IPage page, string? path, string language, string screenshot)
    {
        if (path is not null)
        {
            await page.GotoAsync(Nl + path);
        }

        Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(language == "ar" ? "rtl" : "ltr", await page.Locator("html").GetAttributeAsync("dir"));
        await ConsolePages.AssertNoRawKeysAsync(page);
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        Assert.True(results.Violations.Length == 0, $"{page.Url} ({language}) has accessibility violations:{Environment.NewLine}" + string.Join(Environment.NewLine, results.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join("; ", v.Nodes.Select(n => n.Html))}")));
        await ConsolePages.ScreenshotAsync(page, screenshot);
    }
}
