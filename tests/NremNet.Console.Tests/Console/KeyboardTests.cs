using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>A person using only the keyboard signs in and moves around, always seeing where the focus is.</summary>
public sealed class KeyboardTests(ConsoleNetwork network, ConsoleBrowser browser) : ConsoleTest(network, browser)
{
    [Fact]
    public async Task KeyboardOnly_SkipLink_Login_AndNavigation_WithVisibleFocus()
    {
        var (context, page) = await OpenAsync();
        await using (context)
        {
            await page.GotoAsync(Nl + "/login");

            // The first Tab reaches the skip link, which shows itself; Enter moves the focus to the main content.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("skip-link", await FocusedAsync(page, "el => el.className"));
            await AssertFocusVisibleAsync(page);
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.PressAsync("Tab");
            await TabToAsync(page, "#login-username");
            await page.Keyboard.TypeAsync("nl-keyboard");
            await AssertFocusVisibleAsync(page);
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("login-password", await FocusedAsync(page, "el => el.id"));
            await page.Keyboard.TypeAsync(ConsoleNetwork.Password);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

            await TabToAsync(page, "nav.site-nav a[href='/network']");
            await AssertFocusVisibleAsync(page);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/network");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Network health");

            await TabToAsync(page, ".logout-form button");
            await AssertFocusVisibleAsync(page);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        }
    }

    private static Task<string> FocusedAsync(IPage page, string expression) =>
        page.EvaluateAsync<string>($"() => ({expression})(document.activeElement)");

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (at most 30 times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 30; i++)
        {
            if (await page.EvaluateAsync<bool>("selector => document.activeElement?.matches(selector) === true", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector} on {page.Url}.");
    }

    /// <summary>The focused element shows a focus ring: an outline of at least 2px.</summary>
    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
        var parts = outline.Split(' ');
        Assert.True(parts[0] != "none" && double.Parse(parts[1].Replace("px", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 2, $"The focused element on {page.Url} has no visible focus ring ({outline}).");
    }
}
