using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.Bg;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Cz;
using Lucene.Net.Analysis.Da;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Es;
using Lucene.Net.Analysis.Fi;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Hu;
using Lucene.Net.Analysis.It;
using Lucene.Net.Analysis.Nl;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Analysis.No;
using Lucene.Net.Analysis.Pt;
using Lucene.Net.Analysis.Ro;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Sv;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Tartarus.Snowball;
using Lucene.Net.Tartarus.Snowball.Ext;
using Lucene.Net.Util;

namespace NremNet.Search.Analysis;

/// <summary>
/// How one language is analysed: the filters between the word splitting and the diacritic folding (lower-casing,
/// stop words, normalisation, stemming), and the apostrophe forms dropped when splitting words.
/// </summary>
internal sealed record LanguageProfile(
    string Language,
    bool Stemmed,
    Func<TokenStream, TokenStream> Filters,
    CharArraySet? ElidedArticles = null,
    CharArraySet? TrailingClitics = null);

/// <summary>
/// A Lucene analyzer for one language. Lucene keeps one filter chain per analyzer and thread and reuses it, so one
/// instance per language serves concurrent callers.
/// </summary>
internal sealed class LanguageAnalyzer(LanguageProfile profile) : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public LanguageProfile Profile => profile;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new StandardTokenizer(Version, reader);
        var words = new WordPartsFilter(tokenizer, profile.ElidedArticles, profile.TrailingClitics);
        return new TokenStreamComponents(tokenizer, new DiacriticFoldingFilter(profile.Filters(words)));
    }
}

/// <summary>The languages with their own analysis, and the generic analysis for every other one.</summary>
internal static partial class LanguageProfiles
{
    /// <summary>The canonical code of languages analysed without stemming or stop words.</summary>
    public const string Undetermined = "und";

    private const LuceneVersion Version = LanguageAnalyzer.Version;

    // Lucene's Italian analyzer keeps its list private; these are the same elided forms.
    private static readonly CharArraySet ItalianArticles = Set("c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d");

    private static readonly CharArraySet EnglishClitics = Set("s", "t", "d", "m", "ll", "re", "ve");

    // Lucene's stop lists hold the negations, which invert a phrase: without them "غير المشروع" (illegitimate),
    // "no punición" or "niet-gouvernementeel" would read as their opposite, in the vocabulary as in queries.
    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "no", "not", "nor", "ne", "pas", "sans", "ni", "non", "sin", "не", "ни", "без", "غير", "لا", "بدون", "دون",
        "niet", "geen", "zonder", "inte", "icke", "ej", "utan", "ei", "eivät", "ilman", "nicht", "kein", "keine",
        "keinen", "keinem", "keiner", "ohne", "senza", "não", "sem", "nem", "ikke", "uden", "uten", "nélkül", "nu",
        "fără", "bez",
    };

    private static readonly ConditionalWeakTable<CharArraySet, CharArraySet> StopSetsWithoutNegations = [];

    private static readonly FrozenDictionary<string, LanguageAnalyzer> Analyzers = new LanguageProfile[]
    {
        new("en", true, s => Snowball(Stop(Lower(s), EnglishAnalyzer.DefaultStopSet), new EnglishStemmer()), TrailingClitics: EnglishClitics),
        new("fr", true, s => Snowball(Stop(Lower(s), FrenchAnalyzer.DefaultStopSet), new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer()), ElidedArticles: FrenchAnalyzer.DEFAULT_ARTICLES),
        new("es", true, s => Snowball(Stop(Lower(s), SpanishAnalyzer.DefaultStopSet), new SpanishStemmer())),
        new("ru", true, s => Snowball(Stop(Yo(Lower(s)), RussianAnalyzer.DefaultStopSet), new RussianStemmer())),
        new("ar", true, s => new ArabicStemFilter(new ArabicNormalizationFilter(Stop(Lower(s), ArabicAnalyzer.DefaultStopSet)))),
        new("nl", true, s => Snowball(Stop(Lower(s), DutchAnalyzer.DefaultStopSet), new Lucene.Net.Tartarus.Snowball.Ext.DutchStemmer())),
        new("sv", true, s => Snowball(Stop(Lower(s), SwedishAnalyzer.DefaultStopSet), new SwedishStemmer())),
        new("fi", true, s => Snowball(Stop(Lower(s), FinnishAnalyzer.DefaultStopSet), new FinnishStemmer())),
        new("bg", true, s => new BulgarianStemFilter(Stop(Lower(s), BulgarianAnalyzer.DefaultStopSet))),
        new("de", true, s => new GermanLightStemFilter(new GermanNormalizationFilter(Stop(Lower(s), GermanAnalyzer.DefaultStopSet)))),
        new("it", true, s => new ItalianLightStemFilter(Stop(Lower(s), ItalianAnalyzer.DefaultStopSet)), ElidedArticles: ItalianArticles),
        new("pt", true, s => new PortugueseLightStemFilter(Stop(Lower(s), PortugueseAnalyzer.DefaultStopSet))),
        new("da", true, s => Snowball(Stop(Lower(s), DanishAnalyzer.DefaultStopSet), new DanishStemmer())),
        new("no", true, s => Snowball(Stop(Lower(s), NorwegianAnalyzer.DefaultStopSet), new NorwegianStemmer())),
        new("hu", true, s => Snowball(Stop(Lower(s), HungarianAnalyzer.DefaultStopSet), new HungarianStemmer())),
        new("ro", true, s => Snowball(Stop(Lower(s), RomanianAnalyzer.DefaultStopSet), new RomanianStemmer())),
        new("cs", true, s => new CzechStemFilter(Stop(Lower(s), CzechAnalyzer.DefaultStopSet))),

        // Chinese, Japanese and Korean are written without spaces: overlapping character bigrams stand for words.
        new("zh", false, Bigrams),
        new("ja", false, Bigrams),
        new("ko", false, Bigrams),
        new(Undetermined, false, Lower),
    }.ToFrozenDictionary(p => p.Language, p => new LanguageAnalyzer(p), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["nb"] = "no",
        ["nn"] = "no",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The stemmed languages, in a fixed order.</summary>
    public static IReadOnlyList<string> StemmedLanguages { get; } = Analyzers.Values.Where(a => a.Profile.Stemmed).Select(a => a.Profile.Language).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The canonical code of a language tag: its primary subtag in lower case (<c>fr-BE</c> → <c>fr</c>,
    /// <c>zh-Hant</c> → <c>zh</c>, <c>nb</c> → <c>no</c>); <see cref="Undetermined"/> for an empty tag.
    /// </summary>
    public static string Canonical(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var trimmed = language.AsSpan().Trim();
        var end = trimmed.IndexOfAny('-', '_');
        var primary = (end >= 0 ? trimmed[..end] : trimmed).ToString().ToLowerInvariant();
        if (primary.Length == 0)
        {
            return Undetermined;
        }

        return Aliases.TryGetValue(primary, out var alias) ? alias : primary;
    }

    /// <summary>Whether a canonical language is analysed as character bigrams.</summary>
    public static bool IsBigramLanguage(string canonicalLanguage) => canonicalLanguage is "zh" or "ja" or "ko";

    /// <summary>The analyzer for a canonical language code; languages without their own use the generic one.</summary>
    public static LanguageAnalyzer For(string canonicalLanguage) =>
        Analyzers.TryGetValue(canonicalLanguage, out var analyzer) ? analyzer : Analyzers[Undetermined];

    private static TokenStream Lower(TokenStream s) => new LowerCaseFilter(Version, s);

    private static TokenStream Stop(TokenStream s, CharArraySet stopWords) => new StopFilter(Version, s, WithoutNegations(stopWords));

    private static CharArraySet WithoutNegations(CharArraySet stopWords) => StopSetsWithoutNegations.GetValue(
        stopWords,
        set => new CharArraySet(Version, set.Where(w => !Negations.Contains(w)).ToList(), ignoreCase: true).AsReadOnly());

    // Writers of Russian mostly leave out the dots of ё; the stemmer must see the same letter either way.
    private static TokenStream Yo(TokenStream s) => new PatternReplaceFilter(s, YoPattern(), "е", all: true);

    [GeneratedRegex("ё")]
    private static partial Regex YoPattern();

    private static TokenStream Snowball(TokenStream s, SnowballProgram stemmer) => new SnowballFilter(s, stemmer);

    private static TokenStream Bigrams(TokenStream s) => new CJKBigramFilter(Lower(new CJKWidthFilter(s)));

    private static CharArraySet Set(params string[] words) => new CharArraySet(Version, words, ignoreCase: true).AsReadOnly();
}
