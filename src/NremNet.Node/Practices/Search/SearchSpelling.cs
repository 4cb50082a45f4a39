using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using NremNet.Search.Analysis;
using NremNet.Search.Queries;
using NremNet.Search.Spelling;

namespace NremNet.Node.Practices.Search;

/// <summary>A spelling correction of a query.</summary>
/// <param name="DidYouMean">The query with its unknown words replaced by the nearest indexed ones.</param>
/// <param name="CorrectedQuery">That query, analysed, to search with.</param>
internal sealed record SpellingOutcome(string DidYouMean, SearchQuery CorrectedQuery);

/// <summary>
/// "Did you mean": the words of a query its language's index does not hold, corrected to the nearest terms the index
/// does hold (<see cref="SpellingSuggestions"/>). Whether a word is known is asked of the FTS5 table itself, so it is
/// always exact; only a word that is not known, and not part of a vocabulary concept the query names (a concept finds
/// documents in other languages, so its words need not be in this one), is corrected.
/// <para>
/// The suggestions are built from the index's <c>fts5vocab</c> table, which counts every posting: about a second on
/// 50,000 practices. They are kept per index and rebuilt when the index has changed since; when building took more
/// than <see cref="SlowBuild"/>, a changed index keeps its suggestions for twenty times as long as the build took,
/// so a node taking in documents does not spend its time rebuilding them (a word added meanwhile is found, it is
/// only not offered as a correction yet).
/// </para>
/// </summary>
internal static class SearchSpelling
{
    /// <summary>A build slower than this is not repeated after every change of the index.</summary>
    private static readonly TimeSpan SlowBuild = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<string, Built> Cache = new(StringComparer.Ordinal);

    /// <summary>The correction of <paramref name="query"/>, or null when every word is known or has no near term.</summary>
    public static async Task<SpellingOutcome?> CheckAsync(SqliteConnection connection, IndexedDocuments documents, SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(query);
        var language = query.Language;
        if (!documents.Languages.TryGetValue(language, out var generation))
        {
            return null;
        }

        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in query.Tokens)
        {
            var inConcept = query.Concepts.Any(c => c.Start <= token.Start && token.End <= c.End);
            if (!inConcept && !unknown.Contains(token.Term) && token.Term.Length >= SpellingSuggestions.MinTermLength
                && !await IsIndexedAsync(connection, language, token.Term, cancellationToken).ConfigureAwait(false))
            {
                unknown.Add(token.Term);
            }
        }

        if (unknown.Count == 0)
        {
            return null;
        }

        var suggestions = await SuggestionsAsync(connection, documents.Key, language, generation, cancellationToken).ConfigureAwait(false);
        var check = suggestions.Check(query.Text);
        var kept = check.Corrections.Where(c => unknown.Contains(c.Term)).ToArray();
        if (kept.Length == 0)
        {
            return null;
        }

        var didYouMean = new StringBuilder(query.Text.Length + 8);
        var position = 0;
        foreach (var correction in kept)
        {
            didYouMean.Append(query.Text, position, correction.Start - position).Append(Shown(correction, language));
            position = correction.Start + correction.Length;
        }

        didYouMean.Append(query.Text, position, query.Text.Length - position);
        var text = didYouMean.ToString();
        var corrected = kept.Length == check.Corrections.Count && check.CorrectedQuery is { } all ? all : SearchQuery.Parse(text, language);
        return new SpellingOutcome(text, corrected);
    }

    /// <summary>
    /// The word shown for a correction: the typed word with two neighbouring letters swapped, when that is a form of the
    /// suggested term — the commonest slip of typing, and closer to what was meant than the form
    /// <see cref="SpellingSuggestions"/> rebuilds from the typed word's ending ("forcde" is "forced", where the
    /// rebuilt form would be "force": both analyse to "forc"); otherwise the suggested word.
    /// </summary>
    private static string Shown(SpellingCorrection correction, string language)
    {
        var letters = correction.Word.ToCharArray();
        for (var i = 0; i + 1 < letters.Length; i++)
        {
            if (letters[i] == letters[i + 1])
            {
                continue;
            }

            (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
            var swapped = new string(letters);
            (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
            var analysed = TextAnalysis.Analyze(swapped, language);
            if (analysed.Count == 1 && string.Equals(analysed[0].Term, correction.SuggestedTerm, StringComparison.Ordinal))
            {
                return swapped;
            }
        }

        return correction.SuggestedWord;
    }

    /// <summary>Whether any entry of the language's index holds <paramref name="term"/> (entries removed do not count).</summary>
    private static async Task<bool> IsIndexedAsync(SqliteConnection connection, string language, string term, CancellationToken cancellationToken)
    {
        var fts = SearchTables.Fts(language);
        using var match = SearchTables.Command(connection, null, $"SELECT 1 FROM {fts} WHERE {fts} MATCH $term LIMIT 1");
        match.Parameters.AddWithValue("$term", SearchTables.Quote(term));
        return await match.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task<SpellingSuggestions> SuggestionsAsync(SqliteConnection connection, string databaseKey, string language, long generation, CancellationToken cancellationToken)
    {
        var key = databaseKey + "|" + language;
        if (Cache.TryGetValue(key, out var built) && built.IsFresh(generation))
        {
            return built.Suggestions;
        }

        var started = Stopwatch.GetTimestamp();
        var terms = new List<IndexedTerm>();
        using (var select = SearchTables.Command(connection, null, $"SELECT term, doc FROM {SearchTables.Vocabulary(language)}"))
        {
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var term = reader.GetString(0);
                if (!term.StartsWith(SearchIndex.ConceptTokenPrefix, StringComparison.Ordinal))
                {
                    terms.Add(new IndexedTerm(term, reader.GetInt64(1)));
                }
            }
        }

        var suggestions = new SpellingSuggestions(terms, language);
        Cache[key] = new Built(generation, suggestions, Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(started));
        return suggestions;
    }

    private sealed record Built(long Generation, SpellingSuggestions Suggestions, long BuiltAt, TimeSpan BuildTime)
    {
        public bool IsFresh(long generation) =>
            generation == Generation || (BuildTime > SlowBuild && Stopwatch.GetElapsedTime(BuiltAt) < BuildTime * 20);
    }
}
