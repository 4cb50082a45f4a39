using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using NremNet.Testing;

namespace NremNet.Console.Tests.Infrastructure;

/// <summary>What the browser tests do often on the console's pages.</summary>
internal static partial class ConsolePages
{
    private static readonly Lazy<IReadOnlyList<string>> KeyList = new(() =>
        [.. XDocument.Load(ResourceFile(string.Empty)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)]);

    /// <summary>Every key of the console's texts.</summary>
    public static IReadOnlyList<string> Keys => KeyList.Value;

    /// <summary>The resource file of a language (<c>""</c> for the neutral English one, <c>".fr"</c>...).</summary>
    public static string ResourceFile(string suffix) => RepositoryPaths.Combine("src", "NremNet.Node", "Console", "Resources", $"ConsoleText{suffix}.resx");

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> of the repository.</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var folder = RepositoryPaths.Combine("artifacts", "screenshots");
            System.IO.Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Signs in through the login page and waits until the browser has left it.</summary>
    public static async Task LoginAsync(IPage page, string consoleUrl, string username, string password = ConsoleNetwork.Password, string? returnUrl = null)
    {
        await page.GotoAsync(consoleUrl + "/login" + (returnUrl is null ? string.Empty : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.Locator("#login-username").FillAsync(username);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("form.stacked-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    /// <summary>The path of the page the browser shows.</summary>
    public static string PathOf(IPage page) => new Uri(page.Url).AbsolutePath;

    /// <summary>Fails when the page's text shows a resource key instead of its text (<c>Area.Name</c> of a known area).</summary>
    public static async Task AssertNoRawKeysAsync(IPage page)
    {
        var text = await page.Locator("html").InnerTextAsync();
        var title = await page.TitleAsync();
        var areas = Keys.Select(k => k.Split('.')[0]).Distinct(StringComparer.Ordinal).ToList();
        var pattern = new Regex($@"\b(?:{string.Join('|', areas.Select(Regex.Escape))})\.[A-Za-z_]+", RegexOptions.CultureInvariant);
        var shown = pattern.Matches(text + "\n" + title).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(shown.Count == 0, $"{page.Url} shows resource keys instead of text: {string.Join(", ", shown)}");
    }

    /// <summary>Saves a screenshot of the whole page as <c>artifacts/screenshots/{name}.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"The screenshot {path} is suspiciously small.");
    }
}
