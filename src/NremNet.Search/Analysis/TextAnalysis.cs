using Lucene.Net.Analysis.TokenAttributes;

namespace NremNet.Search.Analysis;

/// <summary>
/// Turns text into the terms the search index holds, per language: words split as Unicode does (UAX #29) and again
/// at any character that is not a letter, digit or mark, lower-cased, stop words removed (negations kept: they
/// invert a phrase), stemmed with Lucene's stemmer for the language, and diacritics folded after stemming (the
/// stemmer still sees them). Chinese, Japanese and Korean become overlapping character bigrams; any other language
/// is lower-cased and folded only. Safe to call from many threads at once.
/// </summary>
public static class TextAnalysis
{
    /// <summary>The canonical codes of the languages that are stemmed, in alphabetical order.</summary>
    public static IReadOnlyList<string> Languages => LanguageProfiles.StemmedLanguages;

    /// <summary>
    /// The canonical code a language tag is analysed as, which is also the index it belongs to: the primary subtag
    /// in lower case (<c>fr-BE</c> → <c>fr</c>, <c>zh-Hant</c> → <c>zh</c>, <c>nb</c> and <c>nn</c> → <c>no</c>),
    /// <c>und</c> for an empty tag.
    /// </summary>
    public static string CanonicalLanguage(string language) => LanguageProfiles.Canonical(language);

    /// <summary>Whether text in <paramref name="language"/> is stemmed.</summary>
    public static bool IsStemmed(string language) => LanguageProfiles.For(CanonicalLanguage(language)).Profile.Stemmed;

    /// <summary>
    /// The terms of <paramref name="text"/> in <paramref name="language"/>, in text order, each with the place of its
    /// word in <paramref name="text"/> (for highlighting). Stop words yield no term.
    /// </summary>
    public static IReadOnlyList<AnalyzedToken> Analyze(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AnalyzeCanonical(text, CanonicalLanguage(language));
    }

    internal static IReadOnlyList<AnalyzedToken> AnalyzeCanonical(string text, string canonicalLanguage)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var tokens = new List<AnalyzedToken>();
        using var stream = LanguageProfiles.For(canonicalLanguage).GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (term.Length > 0)
            {
                tokens.Add(new AnalyzedToken(term.ToString(), offset.StartOffset, offset.EndOffset - offset.StartOffset));
            }
        }

        stream.End();
        return tokens;
    }
}
