using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;

namespace NremNet.Node.Console;

/// <summary>A language of the console: its code (ISO 639-1) and writing direction.</summary>
/// <param name="Code">The code, e.g. <c>fr</c>.</param>
/// <param name="RightToLeft">Whether it is written right to left.</param>
internal sealed record ConsoleLanguage(string Code, bool RightToLeft)
{
    /// <summary>The resource key of its name, written in the language itself.</summary>
    public string NameKey => "Language." + Code;

    /// <summary><c>rtl</c> or <c>ltr</c>, for the <c>dir</c> attribute.</summary>
    public string Direction => RightToLeft ? "rtl" : "ltr";
}

/// <summary>
/// The console's languages — English, French, Spanish and Arabic, every string of each in <c>Console/Resources</c> —
/// and how a request's language is chosen: the language picker's cookie, else the browser's Accept-Language, else
/// English. Dates and numbers follow the same culture.
/// </summary>
internal static class ConsoleLanguages
{
    /// <summary>The cookie the language picker sets (a year; the browser keeps it to this host).</summary>
    public const string CookieName = "__Host-nremnet-language";

    /// <summary>Every language of the console, English (the resources' neutral language) first.</summary>
    public static IReadOnlyList<ConsoleLanguage> All { get; } = [new("en", false), new("fr", false), new("es", false), new("ar", true)];

    /// <summary>
    /// The languages this process can format for: all of them, unless it runs without ICU (globalization-invariant
    /// mode, as some test hosts do), where only English is offered and the invariant culture formats.
    /// </summary>
    public static IReadOnlyList<ConsoleLanguage> Available { get; } = All.Where(l => Culture(l.Code) is not null).DefaultIfEmpty(All[0]).ToList();

    /// <summary>The language of the request being rendered (from the current UI culture).</summary>
    public static ConsoleLanguage Current =>
        Available.FirstOrDefault(l => string.Equals(l.Code, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, StringComparison.Ordinal)) ?? All[0];

    /// <summary>Whether <paramref name="code"/> names a language the picker offers.</summary>
    public static bool IsAvailable(string? code) => Available.Any(l => string.Equals(l.Code, code, StringComparison.Ordinal));

    /// <summary>The cookie value that picks <paramref name="code"/>.</summary>
    public static string CookieValue(string code) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(code));

    /// <summary>Request localization: the picker's cookie, then Accept-Language (fr-CA counts as fr), then English.</summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cultures = Available.Select(l => Culture(l.Code) ?? CultureInfo.InvariantCulture).Distinct().ToList();
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        options.DefaultRequestCulture = new RequestCulture(cultures[0]);
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.ApplyCurrentCultureToResponseHeaders = true;
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 },
        ];
    }

    private static CultureInfo? Culture(string code)
    {
        try
        {
            return CultureInfo.GetCultureInfo(code);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
