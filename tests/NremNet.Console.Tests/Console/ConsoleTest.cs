using Microsoft.Playwright;
using NremNet.Console.Tests.Infrastructure;

namespace NremNet.Console.Tests.Console;

/// <summary>What every browser test of the console stands on: the assembly's federation and browser, and NL's console.</summary>
public abstract class ConsoleTest(ConsoleNetwork network, ConsoleBrowser browser)
{
    protected ConsoleNetwork Network { get; } = network;

    protected ConsoleBrowser Browser { get; } = browser;

    /// <summary>NL's console address.</summary>
    protected string Nl => Network.ConsoleUrl("NL");

    /// <summary>A new browser context and a page in it, the browser asking for <paramref name="locale"/>.</summary>
    protected async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(locale);
        return (context, await context.NewPageAsync());
    }

    /// <summary>A page signed in to NL as <paramref name="username"/>.</summary>
    protected async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(string username, string locale = "en-GB")
    {
        var (context, page) = await OpenAsync(locale);
        await ConsolePages.LoginAsync(page, Nl, username);
        return (context, page);
    }
}
