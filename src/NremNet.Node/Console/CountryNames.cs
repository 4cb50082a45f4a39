using System.Globalization;
using NremNet.Domain.Countries;

namespace NremNet.Node.Console;

/// <summary>Countries' names in the language of the request, from ICU's locale data; the English name where it has none.</summary>
internal static class CountryNames
{
    /// <summary>
    /// The name of the country <paramref name="code"/> (ISO 3166-1 alpha-2) in the current UI language: ICU names a
    /// locale of that language in that country "language (country)", and the country is the part in brackets.
    /// </summary>
    public static string Display(string code)
    {
        var english = Country.Find(code)?.Name ?? code;
        try
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var name = CultureInfo.GetCultureInfo($"{language}-{code}").DisplayName;
            var open = name.IndexOf('(', StringComparison.Ordinal);
            var close = name.LastIndexOf(')');
            return open >= 0 && close > open + 1 ? name[(open + 1)..close].Trim() : english;
        }
        catch (CultureNotFoundException)
        {
            return english;
        }
    }
}
