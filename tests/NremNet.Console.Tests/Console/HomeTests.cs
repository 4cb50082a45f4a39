using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>The home page says what needs each role now, from the node's own services; the header says whose node it is.</summary>
public sealed class HomeTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    [Fact]
    public async Task Home_ShowsEachRoleItsOwnWork()
    {
        var (context, page) = await SignedInAsync("nl-officer");
        await using (context)
        {
            Assert.Equal(["Referrals"], await Headings(page));
            Assert.Equal("0", await page.Locator(".figure-card", new() { HasText = "Incoming referrals waiting for a decision" }).Locator(".figure-value").InnerTextAsync());
            Assert.Equal("/referrals", await page.Locator(".figure-card a").First.GetAttributeAsync("href"));

            await context.ClearCookiesAsync();
            await ConsolePages.LoginAsync(page, Nl, "nl-rapporteur");
            Assert.Equal(["Network questions and practices"], await Headings(page));
            Assert.Equal(1, await page.Locator(".figure-card", new() { HasText = "Practices published" }).CountAsync());

            await context.ClearCookiesAsync();
            await ConsolePages.LoginAsync(page, Nl, "nl-admin");
            Assert.Equal(["Node administration"], await Headings(page));
            Assert.Equal("0", await page.Locator(".figure-card", new() { HasText = "Peers not answering (of 1)" }).Locator(".figure-value").InnerTextAsync());
            Assert.Contains("valid until", await page.Locator("section.home-section p").First.InnerTextAsync(), StringComparison.Ordinal);
            await ConsolePages.ScreenshotAsync(page, "home-admin-en-check");
        }
    }

    [Fact]
    public async Task Header_NamesTheNode_AndLabelsSyntheticData_WhereTheNodeHoldsIt()
    {
        var (context, page) = await SignedInAsync("nl-rapporteur", "fr-FR");
        await using (context)
        {
            Assert.Equal("Pays-Bas", await page.Locator(".brand-node").InnerTextAsync());
            Assert.Equal("Test rapporteur NL (synthetic)", await page.Locator(".brand-mechanism").InnerTextAsync());
            Assert.Contains("Données synthétiques", await page.Locator(".synthetic-label").InnerTextAsync(), StringComparison.Ordinal);

            // SE holds no synthetic data: no label there.
            await page.GotoAsync(Network.ConsoleUrl("SE") + "/login");
            Assert.Equal("Suède", await page.Locator(".brand-node").InnerTextAsync());
            Assert.Equal(0, await page.Locator(".synthetic-label").CountAsync());
        }
    }

    private static async Task<string[]> Headings(Microsoft.Playwright.IPage page) =>
        [.. await page.Locator("main h2").AllInnerTextsAsync()];
}
