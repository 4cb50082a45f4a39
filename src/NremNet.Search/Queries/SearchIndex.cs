using NremNet.Search.Analysis;
using NremNet.Search.Vocabulary;

namespace NremNet.Search.Queries;

/// <summary>
/// What the node writes into its FTS5 tables: one table per canonical language (<see cref="TextAnalysis.CanonicalLanguage"/>),
/// whose columns hold the space-separated output of <see cref="IndexTerms"/>, declared with
/// <c>tokenize = "ascii tokenchars '_'"</c> (<see cref="Fts5Tokenizer"/>) so FTS5 keeps every term and concept token
/// whole: its default <c>unicode61</c> tokenizer would split <c>c_forced_labour</c> at the underscores and Devanagari
/// or Arabic words at their combining marks.
/// </summary>
public static class SearchIndex
{
    /// <summary>The FTS5 tokenizer the index tables are declared with: <c>tokenize = "ascii tokenchars '_'"</c>.</summary>
    public const string Fts5Tokenizer = "ascii tokenchars '_'";

    /// <summary>
    /// What starts a concept token. Analysed terms never contain an underscore (words are split there), so no text
    /// can produce a concept token by itself.
    /// </summary>
    public const string ConceptTokenPrefix = "c_";

    /// <summary>The index token of a concept, e.g. <c>c_forced_labour</c>.</summary>
    public static string ConceptToken(string conceptId)
    {
        ArgumentNullException.ThrowIfNull(conceptId);
        return ConceptTokenPrefix + conceptId;
    }

    /// <summary>
    /// The tokens to index for <paramref name="text"/> in <paramref name="language"/>: its analysed terms in text
    /// order, then one concept token per occurrence of a vocabulary label (so a text that names a concept often ranks
    /// higher for it). The node joins them with single spaces into the FTS5 column.
    /// </summary>
    public static IReadOnlyList<string> IndexTerms(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var canonical = TextAnalysis.CanonicalLanguage(language);
        var tokens = TextAnalysis.AnalyzeCanonical(text, canonical);
        var concepts = ConceptVocabulary.Default.FindIn(tokens, canonical);
        var terms = new List<string>(tokens.Count + concepts.Count);
        terms.AddRange(tokens.Select(t => t.Term));
        terms.AddRange(concepts.Select(c => ConceptToken(c.ConceptId)));
        return terms;
    }
}
