using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>Every console response carries the security headers: pages, the login page, the 403 and 404 pages, the assets.</summary>
public sealed class SecurityHeadersTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    [Fact]
    public async Task Pages_ErrorPages_AndAssets_CarryTheSecurityHeaders()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            var login = await page.GotoAsync(Nl + "/login");
            AssertHeaders(login!, page: true);
            var stylesheet = await page.Locator("link[rel=stylesheet]").GetAttributeAsync("href");
            var script = await page.Locator("script[src]").GetAttributeAsync("src");

            var missing = await page.GotoAsync(Nl + "/nothing-here");
            Assert.Equal(404, missing!.Status);
            AssertHeaders(missing, page: true);

            await ConsolePages.LoginAsync(page, Nl, "nl-rapporteur");
            var home = await page.ReloadAsync();
            AssertHeaders(home!, page: true);
            var refused = await page.GotoAsync(Nl + "/network");
            Assert.Equal(403, refused!.Status);
            AssertHeaders(refused, page: true);

            foreach (var asset in new[] { stylesheet!, script! })
            {
                var response = await context.APIRequest.GetAsync(Nl + asset);
                Assert.Equal(200, response.Status);
                AssertHeaders(response.Headers, page: false);
                Assert.Equal("public, max-age=31536000, immutable", response.Headers["cache-control"]);
            }
        }
    }

    [Fact]
    public async Task ThePages_RunNoInlineScript_AndLoadTheFrameworkScript()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            var problems = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    problems.Add(message.Text);
                }
            };
            page.PageError += (_, error) => problems.Add(error);
            await ConsolePages.LoginAsync(page, Nl, "nl-admin");
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
            Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
            Assert.Equal(0, await page.Locator("[style]").CountAsync());

            // Enhanced navigation: the next page is fetched and patched into this document, not loaded anew.
            await page.EvaluateAsync("() => { window.consoleTestMarker = 42; }");
            await page.Locator("nav.site-nav a[href='/network']").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/network");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Network health");
            Assert.Equal(42, await page.EvaluateAsync<int>("() => window.consoleTestMarker"));
            Assert.Empty(problems);
        }
    }

    private static void AssertHeaders(IResponse response, bool page) => AssertHeaders(response.Headers, page);

    private static void AssertHeaders(IReadOnlyDictionary<string, string> headers, bool page)
    {
        var policy = headers["content-security-policy"];
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'" })
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.StartsWith("max-age=", headers["strict-transport-security"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Contains("camera=()", headers["permissions-policy"], StringComparison.Ordinal);
        if (page)
        {
            Assert.Contains("no-store", headers["cache-control"], StringComparison.Ordinal);
        }
    }
}
