using NremNet.Search.Analysis;
using NremNet.Search.Vocabulary;

namespace NremNet.Search.Queries;

/// <summary>How the words of a query combine.</summary>
public enum QueryMatch
{
    /// <summary>A document must match every word (the word's term or a concept it is part of).</summary>
    AllWords,

    /// <summary>A document must match at least one word; the fallback when no document matches every word.</summary>
    AnyWord,
}

/// <summary>
/// A reader's query, analysed like the documents of its language, with the vocabulary concepts it names. It builds
/// FTS5 MATCH expressions in which every term and concept token is a quoted string, so nothing the reader types can
/// become FTS5 syntax (column filters, NEAR, <c>^</c>, <c>*</c>, AND/OR/NOT, parentheses).
/// <para>
/// Semantics: each query word is a group, its term OR the tokens of the concepts whose label covers it; the node
/// first runs the groups ANDed (<see cref="QueryMatch.AllWords"/>), ranked by BM25, and only when that finds nothing
/// the groups ORed (<see cref="QueryMatch.AnyWord"/>). "travail forcé" thus finds French documents with both
/// words, or with any label of forced labour, in the French index; in the index of another language only the concept
/// groups mean anything (<see cref="ConceptMatchExpression"/>).
/// </para>
/// </summary>
public sealed class SearchQuery
{
    /// <summary>
    /// The most terms a query keeps; later words are ignored, so a pasted page cannot make one query scan the whole
    /// index hundreds of times.
    /// </summary>
    public const int MaxTerms = 64;

    private SearchQuery(string text, string language, IReadOnlyList<AnalyzedToken> tokens, IReadOnlyList<ConceptMatch> concepts)
    {
        Text = text;
        Language = language;
        Tokens = tokens;
        Concepts = concepts;
        Terms = tokens.Select(t => t.Term).Distinct(StringComparer.Ordinal).ToArray();
        ConceptIds = concepts.Select(c => c.ConceptId).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The query as the reader typed it.</summary>
    public string Text { get; }

    /// <summary>The canonical language it was analysed in.</summary>
    public string Language { get; }

    /// <summary>Its analysed terms with their places in <see cref="Text"/>, at most <see cref="MaxTerms"/>.</summary>
    public IReadOnlyList<AnalyzedToken> Tokens { get; }

    /// <summary>The vocabulary concepts it names, with their places in <see cref="Text"/>.</summary>
    public IReadOnlyList<ConceptMatch> Concepts { get; }

    /// <summary>Its distinct analysed terms, in query order.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The distinct ids of the concepts it names, in query order.</summary>
    public IReadOnlyList<string> ConceptIds { get; }

    /// <summary>Whether it has no term at all (empty, punctuation or stop words only): there is nothing to search.</summary>
    public bool IsEmpty => Tokens.Count == 0;

    /// <summary>Analyses <paramref name="userText"/> as a query in <paramref name="language"/>.</summary>
    public static SearchQuery Parse(string userText, string language)
    {
        ArgumentNullException.ThrowIfNull(userText);
        var canonical = TextAnalysis.CanonicalLanguage(language);
        return FromTokens(userText, canonical, AnalyzeQuery(userText, canonical));
    }

    /// <summary>The first <see cref="MaxTerms"/> terms of a query in <paramref name="canonicalLanguage"/>.</summary>
    internal static IReadOnlyList<AnalyzedToken> AnalyzeQuery(string text, string canonicalLanguage)
    {
        var tokens = TextAnalysis.AnalyzeCanonical(text, canonicalLanguage);
        return tokens.Count > MaxTerms ? tokens.Take(MaxTerms).ToArray() : tokens;
    }

    /// <summary>A query from tokens already analysed (or corrected) in <paramref name="canonicalLanguage"/>.</summary>
    internal static SearchQuery FromTokens(string text, string canonicalLanguage, IReadOnlyList<AnalyzedToken> tokens) =>
        new(text, canonicalLanguage, tokens, ConceptVocabulary.Default.FindIn(tokens, canonicalLanguage));

    /// <summary>
    /// The FTS5 MATCH expression for the index of the query's own language, e.g.
    /// <c>("travail" OR "c_forced_labour") AND ("forc" OR "c_forced_labour")</c>; null when <see cref="IsEmpty"/>
    /// (an empty MATCH is an FTS5 error, and there is nothing to find).
    /// </summary>
    public string? MatchExpression(QueryMatch match = QueryMatch.AllWords) =>
        Combine(Tokens.Select(t => CoveringConcepts(t).Prepend(t.Term).ToArray()), match);

    /// <summary>
    /// The FTS5 MATCH expression for the index of another language: the concept tokens only, since the query's terms
    /// are analysed for its own language; words outside every concept are left out. Null when the query names no
    /// concept.
    /// </summary>
    public string? ConceptMatchExpression(QueryMatch match = QueryMatch.AllWords) =>
        Combine(Tokens.Select(t => CoveringConcepts(t).ToArray()), match);

    private IEnumerable<string> CoveringConcepts(AnalyzedToken token) => Concepts
        .Where(c => c.Start <= token.Start && token.End <= c.End)
        .Select(c => SearchIndex.ConceptToken(c.ConceptId));

    private static string? Combine(IEnumerable<string[]> wordAlternatives, QueryMatch match)
    {
        var groups = wordAlternatives.Where(a => a.Length > 0).ToArray();
        if (groups.Length == 0)
        {
            return null;
        }

        if (match == QueryMatch.AnyWord)
        {
            return string.Join(" OR ", groups.SelectMany(g => g).Distinct(StringComparer.Ordinal).Select(Quote));
        }

        return string.Join(" AND ", groups
            .Select(g => g.Distinct(StringComparer.Ordinal).Select(Quote).ToArray())
            .Select(g => g.Length == 1 ? g[0] : "(" + string.Join(" OR ", g) + ")")
            .Distinct(StringComparer.Ordinal));
    }

    /// <summary>An FTS5 string: inside double quotes everything is text, and a double quote is written twice.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
