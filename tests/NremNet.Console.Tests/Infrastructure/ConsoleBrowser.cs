using Microsoft.Playwright;

namespace NremNet.Console.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the test assembly — Debian's (<c>/usr/bin/chromium</c>, installed by
/// tests/install-deps.sh), never a downloaded one — and a fresh browser context (cookies, language) per test.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    /// <summary>Where the browser is.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"The browser tests need Debian's Chromium at {ChromiumPath}: run 'bash tests/install-deps.sh' (or 'apt-get install chromium fonts-noto-core fonts-dejavu-core').");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A new context: no cookies, the browser's language <paramref name="locale"/> (sent as Accept-Language), the node's
    /// certificate accepted (it chains to the test network's CA, which this browser does not know).
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
