using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>
/// The alert banner: on every page when something needs attention, worded for the reader's role; absent when all is
/// well. FI applied to the directory but was never approved: it holds the snapshot, and no member answers it.
/// </summary>
public sealed class AlertBannerTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    [Fact]
    public async Task PendingMember_WhomNoPeerAnswers_ShowsTheBanner_WithEachRolesWording()
    {
        var fi = Network.ConsoleUrl(ConsoleNetwork.Unapproved);
        var (context, page) = await OpenAsync();
        await using (context)
        {
            await page.GotoAsync(fi + "/login");
            Assert.Equal(0, await page.Locator(".alert-banner").CountAsync());

            await ConsolePages.LoginAsync(page, fi, "fi-admin");
            foreach (var path in new[] { "/", "/network", "/no-such-page" })
            {
                await page.GotoAsync(fi + path);
                var banner = page.Locator("section.alert-banner");
                Assert.Equal("Needs attention", await banner.Locator("h2").InnerTextAsync());
                Assert.Contains("Peers that did not answer the last check: Netherlands, Sweden.", await banner.InnerTextAsync(), StringComparison.Ordinal);
                Assert.Equal("/network", await banner.Locator("a").GetAttributeAsync("href"));
            }

            await ConsolePages.ScreenshotAsync(page, "alert-banner-admin-en");

            // A rapporteur and a referral officer read what it means for their work, and get no link to the admin's page.
            foreach (var (account, meaning) in new[] { ("fi-rapporteur", "Figures, practices and answers from there"), ("fi-officer", "Referrals and messages to them wait in the outbox") })
            {
                await context.ClearCookiesAsync();
                await ConsolePages.LoginAsync(page, fi, account);
                var text = await page.Locator("section.alert-banner").InnerTextAsync();
                Assert.Contains("Not reachable right now: Netherlands, Sweden.", text, StringComparison.Ordinal);
                Assert.Contains(meaning, text, StringComparison.Ordinal);
                Assert.Equal(0, await page.Locator("section.alert-banner a").CountAsync());
            }
        }
    }

    [Fact]
    public async Task HealthyNode_ShowsNoBanner()
    {
        var (context, page) = await SignedInAsync("nl-admin");
        await using (context)
        {
            Assert.Equal(0, await page.Locator(".alert-banner").CountAsync());
        }
    }
}
