using System.Numerics;
using System.Text;
using NremNet.Search.Analysis;
using NremNet.Search.Queries;

namespace NremNet.Search.Spelling;

/// <summary>A term of the index with how often it occurs (as the node reads it from <c>fts5vocab</c>).</summary>
/// <param name="Term">The analysed term, as <see cref="SearchIndex.IndexTerms"/> wrote it.</param>
/// <param name="Frequency">How many documents (or occurrences) hold it; higher wins a tie.</param>
public readonly record struct IndexedTerm(string Term, long Frequency);

/// <summary>An indexed term near a term that is not in the index.</summary>
/// <param name="Term">The indexed term.</param>
/// <param name="Distance">Its optimal string alignment distance (Damerau–Levenshtein) to the term asked about.</param>
/// <param name="Frequency">Its frequency in the index.</param>
public readonly record struct TermSuggestion(string Term, int Distance, long Frequency);

/// <summary>One corrected word of a query.</summary>
/// <param name="Start">Where the word starts in the query.</param>
/// <param name="Length">Its length in the query.</param>
/// <param name="Word">The word as the reader typed it.</param>
/// <param name="Term">Its analysed term, which the index does not hold.</param>
/// <param name="SuggestedTerm">The nearest indexed term.</param>
/// <param name="SuggestedWord">The word to show in its place: a surface form of <paramref name="SuggestedTerm"/>.</param>
/// <param name="Distance">The edit distance between <paramref name="Term"/> and <paramref name="SuggestedTerm"/>.</param>
public sealed record SpellingCorrection(int Start, int Length, string Word, string Term, string SuggestedTerm, string SuggestedWord, int Distance);

/// <summary>The outcome of checking a query's spelling against the index.</summary>
/// <param name="Corrections">The corrected words, in query order; empty when every word is known or has no near term.</param>
/// <param name="DidYouMean">The query with the corrected words replaced ("did you mean …"), or null without corrections.</param>
/// <param name="CorrectedQuery">The query with the suggested terms, to search with, or null without corrections.</param>
public sealed record SpellingCheck(IReadOnlyList<SpellingCorrection> Corrections, string? DidYouMean, SearchQuery? CorrectedQuery)
{
    /// <summary>Whether any word was corrected.</summary>
    public bool HasCorrections => Corrections.Count > 0;
}

/// <summary>
/// Typo suggestions from the index's own terms, for one language's index. A query word needs correcting when its
/// analysed term is not in the index; its suggestions are the indexed terms within an edit distance of 1 (terms of up
/// to 5 letters) or 2 (6 letters or more), nearest first, then the most frequent. Suggestions are made on analysed
/// terms, the only thing the index holds; the word shown to the reader is rebuilt from the typed word: the suggested
/// stem followed by the typed word's own ending ("trafficing" → stem "traffic" → indexed "traffick" → "trafficking"),
/// kept only when it analyses back to the suggested term, else the term itself is shown. When no indexed term is
/// near (a typo in the ending keeps the stemmer from finding the stem: "exploitaiton"), the typed word with two
/// neighbouring letters swapped or one letter dropped is tried instead, and kept when it analyses to an indexed term.
/// Terms are kept in buckets by length, screened by their set of letters, and compared with a banded, early-stopping
/// distance, so one word is checked against a few hundred thousand terms in about a millisecond. Immutable and safe
/// to use from many threads.
/// </summary>
public sealed class SpellingSuggestions
{
    /// <summary>The shortest term that gets suggestions; shorter ones have too many neighbours to guess from.</summary>
    public const int MinTermLength = 3;

    /// <summary>The longest term that gets suggestions; longer ones are codes or run-together words, not typos.</summary>
    public const int MaxTermLength = 40;

    // Read-only once built, so concurrent readers are safe.
    private readonly Dictionary<string, long> _frequencies;

    // The suggestable terms by length: a term of length L can only be near terms of length L ± 2.
    private readonly Bucket[] _byLength;

    /// <summary>Builds the suggestions for the index of <paramref name="language"/> from its terms; a term listed twice has its frequencies added.</summary>
    public SpellingSuggestions(IEnumerable<IndexedTerm> terms, string language)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Language = TextAnalysis.CanonicalLanguage(language);
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (!string.IsNullOrEmpty(term.Term))
            {
                frequencies[term.Term] = frequencies.GetValueOrDefault(term.Term) + Math.Max(0, term.Frequency);
            }
        }

        _frequencies = frequencies;
        var byLength = frequencies.Where(f => IsSuggestable(f.Key)).ToLookup(f => f.Key.Length);
        _byLength = new Bucket[MaxTermLength + 1];
        for (var length = 0; length <= MaxTermLength; length++)
        {
            var ofLength = byLength[length].ToArray();
            _byLength[length] = new Bucket(
                ofLength.Select(t => t.Key).ToArray(),
                ofLength.Select(t => t.Value).ToArray(),
                ofLength.Select(t => LetterSignature(t.Key)).ToArray());
        }
    }

    /// <summary>The canonical language of the index.</summary>
    public string Language { get; }

    /// <summary>How many distinct terms the index holds.</summary>
    public int Count => _frequencies.Count;

    /// <summary>The largest distance a suggestion for <paramref name="term"/> may have: 1 below 6 letters, else 2.</summary>
    public static int MaxDistance(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return term.Length >= 6 ? 2 : 1;
    }

    /// <summary>Whether the index holds <paramref name="term"/>.</summary>
    public bool Contains(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return _frequencies.ContainsKey(term);
    }

    /// <summary>
    /// The indexed terms nearest to an analysed <paramref name="term"/> the index does not hold, nearest first, then
    /// the most frequent, then in ordinal order; empty when the index holds it, when it is shorter than
    /// <see cref="MinTermLength"/> or not a word (digits, concept tokens, CJK bigrams), or when nothing is near.
    /// </summary>
    public IReadOnlyList<TermSuggestion> Suggest(string term, int limit = 5)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (Contains(term) || !IsSuggestable(term))
        {
            return [];
        }

        var max = MaxDistance(term);
        var signature = LetterSignature(term);
        var found = new List<TermSuggestion>();
        for (var length = Math.Max(MinTermLength, term.Length - max); length <= Math.Min(MaxTermLength, term.Length + max); length++)
        {
            var bucket = _byLength[length];
            for (var i = 0; i < bucket.Terms.Length; i++)
            {
                // Each edit adds or removes at most one letter of the set, a substitution both: a cheap bound that
                // spares the distance for most terms.
                if (BitOperations.PopCount(signature ^ bucket.Signatures[i]) > 2 * max)
                {
                    continue;
                }

                var distance = EditDistance.Bounded(term, bucket.Terms[i], max);
                if (distance <= max)
                {
                    found.Add(new TermSuggestion(bucket.Terms[i], distance, bucket.Frequencies[i]));
                }
            }
        }

        return found
            .OrderBy(s => s.Distance)
            .ThenByDescending(s => s.Frequency)
            .ThenBy(s => s.Term, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
    }

    /// <summary>
    /// Checks each word of <paramref name="query"/>: a word whose term the index lacks is replaced by its best
    /// suggestion, in the "did you mean" text and in the corrected query.
    /// </summary>
    public SpellingCheck Check(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tokens = SearchQuery.AnalyzeQuery(query, Language);

        var corrections = new List<SpellingCorrection>();
        var corrected = new List<AnalyzedToken>(tokens.Count);
        foreach (var token in tokens)
        {
            var correction = Correct(token, query);
            if (correction is null)
            {
                corrected.Add(token);
                continue;
            }

            corrections.Add(correction);
            corrected.Add(token with { Term = correction.SuggestedTerm });
        }

        if (corrections.Count == 0)
        {
            return new SpellingCheck([], null, null);
        }

        var didYouMean = new StringBuilder(query.Length + 8);
        var position = 0;
        foreach (var correction in corrections)
        {
            didYouMean.Append(query, position, correction.Start - position).Append(correction.SuggestedWord);
            position = correction.Start + correction.Length;
        }

        didYouMean.Append(query, position, query.Length - position);
        return new SpellingCheck(corrections, didYouMean.ToString(), SearchQuery.FromTokens(query, Language, corrected));
    }

    /// <summary>The correction of one query word, or null when the index holds its term or nothing is near.</summary>
    private SpellingCorrection? Correct(AnalyzedToken token, string query)
    {
        if (Contains(token.Term) || !IsSuggestable(token.Term))
        {
            return null;
        }

        var word = query.Substring(token.Start, token.Length);
        var best = Suggest(token.Term, 1);
        return best.Count > 0
            ? new SpellingCorrection(token.Start, token.Length, word, token.Term, best[0].Term, SurfaceWord(word, token.Term, best[0].Term), best[0].Distance)
            : EditedWord(token, word);
    }

    /// <summary>
    /// The fallback for a typo in a word's ending, which stops the stemmer from finding the stem
    /// ("exploitaiton" stays whole, far from "exploit"): the typed word with two neighbouring letters swapped or one
    /// letter dropped, when that analyses to an indexed term; the most frequent such term wins.
    /// </summary>
    private SpellingCorrection? EditedWord(AnalyzedToken token, string word)
    {
        var folded = DiacriticFolding.Fold(word.ToLowerInvariant());
        string? bestWord = null;
        string? bestTerm = null;
        var bestFrequency = -1L;
        foreach (var variant in SingleEdits(folded))
        {
            var analysed = TextAnalysis.AnalyzeCanonical(variant, Language);
            if (analysed.Count == 1 && _frequencies.TryGetValue(analysed[0].Term, out var frequency) && frequency > bestFrequency)
            {
                (bestWord, bestTerm, bestFrequency) = (variant, analysed[0].Term, frequency);
            }
        }

        return bestWord is null || bestTerm is null
            ? null
            : new SpellingCorrection(token.Start, token.Length, word, token.Term, bestTerm, MatchCase(word, bestWord), 1);
    }

    private static IEnumerable<string> SingleEdits(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i + 1 < chars.Length; i++)
        {
            if (chars[i] != chars[i + 1])
            {
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                yield return new string(chars);
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            }
        }

        for (var i = 0; i < word.Length; i++)
        {
            if (i == 0 || word[i] != word[i - 1])
            {
                yield return string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1));
            }
        }
    }

    /// <summary>Whether a term can be corrected: letters (and marks) only, long enough, and not written in a bigram script.</summary>
    private static bool IsSuggestable(string term)
    {
        if (term.Length is < MinTermLength or > MaxTermLength)
        {
            return false;
        }

        foreach (var c in term)
        {
            if (!WordPartsFilter.IsWordCategory(char.GetUnicodeCategory(c)) || char.IsDigit(c) || IsBigramScript(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The set of letters of a term, each folded onto one of 32 bits (letters sharing a bit only lower the bound).</summary>
    private static uint LetterSignature(string term)
    {
        var signature = 0u;
        foreach (var c in term)
        {
            signature |= 1u << (c & 31);
        }

        return signature;
    }

    // Han, kana, Hangul and their compatibility blocks, and anything outside the BMP (mostly rare Han).
    private static bool IsBigramScript(char c) =>
        c is >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' || char.IsSurrogate(c);

    /// <summary>
    /// A surface form of <paramref name="suggestedTerm"/> for the reader: the typed word with the part its own term
    /// shares replaced by the suggested term, when that analyses back to the suggested term; else the term itself.
    /// Capitalisation follows the typed word.
    /// </summary>
    private string SurfaceWord(string word, string term, string suggestedTerm)
    {
        var folded = DiacriticFolding.Fold(word.ToLowerInvariant());
        var shared = folded.AsSpan().CommonPrefixLength(term);
        var termEnding = term[shared..];
        var surface = suggestedTerm;
        if (suggestedTerm.EndsWith(termEnding, StringComparison.Ordinal))
        {
            var candidate = string.Concat(suggestedTerm.AsSpan(0, suggestedTerm.Length - termEnding.Length), folded.AsSpan(shared));
            var analysed = TextAnalysis.AnalyzeCanonical(candidate, Language);
            if (analysed.Count == 1 && analysed[0].Term == suggestedTerm)
            {
                surface = candidate;
            }
        }

        return MatchCase(word, surface);
    }

    /// <summary>The suggestion in the typed word's case: all capitals, a capital first letter, or as it is.</summary>
    private static string MatchCase(string typed, string suggestion)
    {
        if (typed.Length > 1 && typed.All(c => !char.IsLetter(c) || char.IsUpper(c)))
        {
            return suggestion.ToUpperInvariant();
        }

        return char.IsUpper(typed[0]) ? string.Concat(suggestion[..1].ToUpperInvariant(), suggestion.AsSpan(1)) : suggestion;
    }

    private sealed record Bucket(string[] Terms, long[] Frequencies, uint[] Signatures);
}
