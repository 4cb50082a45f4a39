using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Hosting.Storage;
using NremNet.Search.Queries;
using NremNet.Search.Vocabulary;
using SQLitePCL;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// Runs a search on the index (<see cref="PracticeSearch.SearchAsync"/>).
/// <list type="number">
/// <item>The query is analysed in its language (<see cref="SearchQuery.Parse"/>). That language's FTS5 table is
/// matched with every word required (<see cref="QueryMatch.AllWords"/>: each word by its term or a concept it is
/// part of); when the query names vocabulary concepts, every other language's table the vocabulary covers is matched
/// on the concept tokens (<see cref="SearchQuery.ConceptMatchExpression"/>), so "travail forcé" finds English
/// practices on forced labour.</item>
/// <item>A document found in several tables is one hit with its best (lowest) BM25 rank. Found in the query's
/// language, it is shown in that language (its words are there); found only elsewhere, it is <c>by_concept</c>,
/// shown in the language of its best rank.</item>
/// <item>Each table is read once, every match with its BM25 rank (the bare statement, <see cref="BareMatchAsync"/>,
/// computes the same ranks to sort them); the matches are filtered, counted per facet (over all of them), ordered and
/// cut to the page from the in-memory document table (<see cref="IndexedDocuments"/>). Only the page's summaries and
/// texts are read, for the snippets (<see cref="SnippetBuilder"/>).</item>
/// <item>When nothing is found: the query with its misspelt words corrected (<see cref="SearchSpelling"/>) with every
/// word required, then with any word (corrected, then as typed); the first that finds something is the answer,
/// <c>corrected</c> when it is the corrected query. <c>did_you_mean</c> is set whenever a word of the query is not
/// in its language's index and a near term is, also when the query as typed found something.</item>
/// </list>
/// An empty query (or one of stop words only) lists every document the filters let through, newest first unless
/// the request asks for oldest first.
/// </summary>
internal static class SearchRunner
{
    /// <summary>Runs <paramref name="request"/>.</summary>
    public static async Task<SearchPracticesResponse> RunAsync(
        SqliteDatabase database, SearchPracticesRequest request, string nodeLanguage, Func<string, bool> isInactiveOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(isInactiveOwner);
        var plan = SearchRequestCheck.Check(request, nodeLanguage);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var documents = await IndexedDocuments.CurrentAsync(connection, cancellationToken).ConfigureAwait(false);
        var filter = new DocumentFilter(documents, plan);
        var query = plan.Text.Length == 0 ? null : SearchQuery.Parse(plan.Text, plan.Language);
        if (query is null || query.IsEmpty)
        {
            var all = Browse(documents, filter);
            var response = Counted(documents, all);
            var page = SelectPage(all, plan.Offset, plan.Limit, plan.Order == SearchOrder.Oldest ? Oldest : Newest);
            await AddHitsAsync(connection, response, page, null, isInactiveOwner, cancellationToken).ConfigureAwait(false);
            return response;
        }

        var found = await MatchAsync(database, connection, documents, filter, query, QueryMatch.AllWords, cancellationToken).ConfigureAwait(false);
        var spelling = found.FoundByWords
            ? null
            : await SearchSpelling.CheckAsync(connection, documents, query, cancellationToken).ConfigureAwait(false);
        var corrected = false;
        if (found.Hits.Count == 0)
        {
            var fallbacks = new List<(SearchQuery Query, QueryMatch Match, bool Corrected)>();
            if (spelling is not null)
            {
                fallbacks.Add((spelling.CorrectedQuery, QueryMatch.AllWords, true));
                fallbacks.Add((spelling.CorrectedQuery, QueryMatch.AnyWord, true));
            }

            fallbacks.Add((query, QueryMatch.AnyWord, false));
            foreach (var (fallback, match, isCorrected) in fallbacks)
            {
                if (match == QueryMatch.AnyWord && AnyIsAll(fallback))
                {
                    // One word: with any word it is the same search, already run.
                    continue;
                }

                var attempt = await MatchAsync(database, connection, documents, filter, fallback, match, cancellationToken).ConfigureAwait(false);
                if (attempt.Hits.Count > 0)
                {
                    (found, corrected) = (attempt, isCorrected);
                    break;
                }
            }
        }

        var answer = Counted(documents, found.Hits);
        answer.DidYouMean = spelling?.DidYouMean ?? "";
        answer.Corrected = corrected;
        Comparison<Hit> order = plan.Order switch
        {
            SearchOrder.Newest => Newest,
            SearchOrder.Oldest => Oldest,
            _ => Relevance,
        };
        await AddHitsAsync(connection, answer, SelectPage(found.Hits, plan.Offset, plan.Limit, order), found.Query, isInactiveOwner, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    private static bool AnyIsAll(SearchQuery query) =>
        query.MatchExpression(QueryMatch.AnyWord) == query.MatchExpression(QueryMatch.AllWords)
        && query.ConceptMatchExpression(QueryMatch.AnyWord) == query.ConceptMatchExpression(QueryMatch.AllWords);

    /// <summary>The bare FTS5 statement of a one-language query: document ids by BM25, nothing else.</summary>
    public static async Task<IReadOnlyList<string>> BareMatchAsync(SqliteConnection connection, string language, string matchExpression, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(matchExpression);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var canonical = SearchTables.Language(language);
        using (var known = SearchTables.Command(connection, null, "SELECT 1 FROM practice_search_languages WHERE language = $language"))
        {
            known.Parameters.AddWithValue("$language", canonical);
            if (await known.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return [];
            }
        }

        var fts = SearchTables.Fts(canonical);
        using var select = SearchTables.Command(connection, null, $"""
            SELECT d.document_id
            FROM (SELECT rowid AS doc, {SearchTables.Bm25(canonical)} AS rank FROM {fts} WHERE {fts} MATCH $match ORDER BY rank LIMIT $limit) AS m
            JOIN practice_search_docs d ON d.id = m.doc
            ORDER BY m.rank
            """);
        select.Parameters.AddWithValue("$match", matchExpression);
        select.Parameters.AddWithValue("$limit", limit);
        var ids = new List<string>(limit);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Every document the filter lets through.</summary>
    private static List<Hit> Browse(IndexedDocuments documents, DocumentFilter filter)
    {
        var hits = new List<Hit>();
        var rows = documents.Rows;
        for (var id = 0; id < rows.Length; id++)
        {
            if (filter.Accepts(rows[id]))
            {
                hits.Add(new Hit(id, 0, rows[id].SignedAt, "", ByConcept: false));
            }
        }

        return hits;
    }

    /// <summary>
    /// The documents <paramref name="query"/> matches in every table it applies to, with their ranks, merged and
    /// filtered. The other languages' tables (through concepts) are read on a second connection of
    /// <paramref name="database"/> while <paramref name="connection"/> reads the query's own table: on a common word
    /// each is several milliseconds of SQLite's work, and the two need not wait for each other. Both read the index as
    /// committed when they start; a document stored between the two reads is not in <paramref name="documents"/> and
    /// is left out, one removed is skipped when the page is read.
    /// </summary>
    private static async Task<Matched> MatchAsync(
        SqliteDatabase database, SqliteConnection connection, IndexedDocuments documents, DocumentFilter filter, SearchQuery query, QueryMatch match, CancellationToken cancellationToken)
    {
        var others = documents.Languages.Keys.Where(l => l != query.Language && ConceptVocabulary.Default.Languages.Contains(l)).Order(StringComparer.Ordinal).ToArray();
        var elsewhereRead = others.Length > 0 && query.ConceptMatchExpression(match) is { } concepts
            ? Task.Run(() => ReadConceptsAsync(database, others, concepts, cancellationToken), cancellationToken)
            : null;

        var own = new List<(long Id, double Rank)>();
        try
        {
            if (documents.Languages.ContainsKey(query.Language) && query.MatchExpression(match) is { } expression)
            {
                ReadRanks(connection, query.Language, expression, own, cancellationToken);
            }
        }
        catch
        {
            if (elsewhereRead is not null)
            {
                // Its own failure, if any, is the same; this one is the answer.
                await ((Task)elsewhereRead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            throw;
        }

        var elsewhere = elsewhereRead is null ? [] : await elsewhereRead.ConfigureAwait(false);

        var hits = new List<Hit>(own.Count + elsewhere.Count);
        foreach (var (id, rank) in own)
        {
            // Found by its words in the query's language (and maybe through concepts in another): shown in the
            // query's language, where its words are; ranked by the better of the two.
            var entry = documents[id];
            var best = elsewhere.Remove(id, out var other) ? Math.Min(rank, other.Rank) : rank;
            if (filter.Accepts(entry))
            {
                hits.Add(new Hit(id, best, entry.SignedAt, query.Language, ByConcept: false));
            }
        }

        foreach (var (id, (rank, language)) in elsewhere)
        {
            var entry = documents[id];
            if (filter.Accepts(entry))
            {
                hits.Add(new Hit(id, rank, entry.SignedAt, language, ByConcept: true));
            }
        }

        return new Matched(query, hits, own.Count > 0);
    }

    /// <summary>Found elsewhere through concepts: the best rank of each document in <paramref name="languages"/>' tables, and the table that gave it.</summary>
    private static async Task<Dictionary<long, (double Rank, string Language)>> ReadConceptsAsync(
        SqliteDatabase database, string[] languages, string concepts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var elsewhere = new Dictionary<long, (double Rank, string Language)>();
        var matches = new List<(long Id, double Rank)>();
        foreach (var language in languages)
        {
            matches.Clear();
            ReadRanks(connection, language, concepts, matches, cancellationToken);
            foreach (var (id, rank) in matches)
            {
                if (!elsewhere.TryGetValue(id, out var known) || rank < known.Rank)
                {
                    elsewhere[id] = (rank, language);
                }
            }
        }

        return elsewhere;
    }

    /// <summary>
    /// Every document a table's expression matches, with its BM25 rank. This is the search's one pass over the
    /// matches, and on a common word it is nearly all of a search's time; it steps the statement through SQLitePCL
    /// directly, as reading the rows through <see cref="SqliteDataReader"/> costs a third more than computing them
    /// (its per-row checks and calls, about a microsecond a row; the async reader more again).
    /// </summary>
    private static void ReadRanks(SqliteConnection connection, string language, string expression, List<(long Id, double Rank)> matches, CancellationToken cancellationToken)
    {
        var fts = SearchTables.Fts(language);
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, $"SELECT rowid, {SearchTables.Bm25(language)} FROM {fts} WHERE {fts} MATCH ?1", out var statement), db);
        using (statement)
        {
            Check(raw.sqlite3_bind_text(statement, 1, expression), db);
            int result;
            while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                matches.Add((raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_double(statement, 1)));
                if (matches.Count % 4096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (result != raw.SQLITE_DONE)
            {
                Check(result, db);
            }
        }
    }

    private static void Check(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, db);
        }
    }

    /// <summary>A response with the total and the facets: each facet with the number of hits holding each value, most frequent first (then by value).</summary>
    private static SearchPracticesResponse Counted(IndexedDocuments documents, List<Hit> hits)
    {
        var counts = new int[documents.Values.Count];
        foreach (var hit in hits)
        {
            foreach (var value in documents[hit.Id].Values)
            {
                counts[value]++;
            }
        }

        var facets = SearchFacets.All.ToDictionary(f => f, f => new Facet { Name = SearchFacets.Name(f) });
        var values = Enumerable.Range(0, counts.Length)
            .Where(id => counts[id] > 0)
            .Select(id => (Value: documents.Values[id], Count: counts[id]))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value.Value, StringComparer.Ordinal);
        foreach (var (value, count) in values)
        {
            facets[value.Facet].Values.Add(new Contracts.Local.V1.FacetValue { Value = value.Value, Count = count });
        }

        var response = new SearchPracticesResponse { Total = hits.Count };
        response.Facets.AddRange(SearchFacets.All.Select(f => facets[f]));
        return response;
    }

    /// <summary>Adds the page's hits to the response, with their summaries and, for a query, their snippets.</summary>
    private static async Task AddHitsAsync(
        SqliteConnection connection, SearchPracticesResponse response, List<Hit> page, SearchQuery? query, Func<string, bool> isInactiveOwner, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return;
        }

        var summaries = await SummariesAsync(connection, page, cancellationToken).ConfigureAwait(false);
        var texts = query is null
            ? new Dictionary<long, PracticeTexts>()
            : await TextsAsync(connection, page, cancellationToken).ConfigureAwait(false);
        // Cutting snippets analyses the texts (stemming every word read): the page's hits are cut in parallel.
        var snippets = new IReadOnlyList<Snippet>?[page.Count];
        if (query is not null)
        {
            var byWords = new SnippetQuery(query, byWords: true);
            var byConcept = new SnippetQuery(query, byWords: false);
            Parallel.For(0, page.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var hit = page[i];
                if (texts.TryGetValue(hit.Id, out var text))
                {
                    snippets[i] = SnippetBuilder.Build(text, hit.Language, hit.ByConcept ? byConcept : byWords);
                }
            });
        }

        for (var i = 0; i < page.Count; i++)
        {
            var hit = page[i];
            if (!summaries.TryGetValue(hit.Id, out var summary))
            {
                // Removed between the match and this read.
                continue;
            }

            summary.Version.OwnerInactive = isInactiveOwner(summary.Version.OwnerCountry);
            var result = new SearchHit { Practice = summary, Rank = hit.Rank, MatchedLanguage = hit.Language, ByConcept = hit.ByConcept };
            if (snippets[i] is { } cut)
            {
                result.Snippets.AddRange(cut);
            }

            response.Hits.Add(result);
        }
    }

    /// <summary>The hits from <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> in <paramref name="order"/>.</summary>
    private static List<Hit> SelectPage(List<Hit> hits, int offset, int limit, Comparison<Hit> order)
    {
        if (offset >= hits.Count)
        {
            return [];
        }

        var wanted = offset + limit;
        Hit[] best;
        if (wanted >= hits.Count / 2)
        {
            best = [.. hits];
        }
        else
        {
            // The best `wanted` hits in one pass, kept in a heap whose root is the worst of them: a better hit replaces it.
            best = new Hit[wanted];
            var span = CollectionsMarshal.AsSpan(hits);
            span[..wanted].CopyTo(best);
            for (var i = (wanted / 2) - 1; i >= 0; i--)
            {
                SiftDown(best, i, order);
            }

            foreach (var hit in span[wanted..])
            {
                if (order(hit, best[0]) < 0)
                {
                    best[0] = hit;
                    SiftDown(best, 0, order);
                }
            }
        }

        Array.Sort(best, order);
        return [.. best.AsSpan(offset, Math.Min(limit, best.Length - offset))];
    }

    /// <summary>Restores the heap below <paramref name="i"/>: no hit comes after (is worse than) one of its children.</summary>
    private static void SiftDown(Hit[] heap, int i, Comparison<Hit> order)
    {
        while (true)
        {
            var (left, right, worst) = ((2 * i) + 1, (2 * i) + 2, i);
            if (left < heap.Length && order(heap[left], heap[worst]) > 0)
            {
                worst = left;
            }

            if (right < heap.Length && order(heap[right], heap[worst]) > 0)
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }

    private static int Relevance(Hit a, Hit b)
    {
        var byRank = a.Rank.CompareTo(b.Rank);
        return byRank != 0 ? byRank : Newest(a, b);
    }

    private static int Newest(Hit a, Hit b)
    {
        var bySigned = b.SignedAt.CompareTo(a.SignedAt);
        return bySigned != 0 ? bySigned : b.Id.CompareTo(a.Id);
    }

    private static int Oldest(Hit a, Hit b)
    {
        var bySigned = a.SignedAt.CompareTo(b.SignedAt);
        return bySigned != 0 ? bySigned : a.Id.CompareTo(b.Id);
    }

    private static async Task<Dictionary<long, PracticeSummary>> SummariesAsync(SqliteConnection connection, List<Hit> page, CancellationToken cancellationToken)
    {
        using var select = SearchTables.Command(connection, null, "");
        var ids = new StringBuilder();
        for (var i = 0; i < page.Count; i++)
        {
            ids.Append(i == 0 ? "" : ", ").Append("$d").Append(i);
            select.Parameters.AddWithValue("$d" + i, page[i].Id);
        }

        select.CommandText = $"SELECT id, summary FROM practice_search_docs WHERE state != 0 AND id IN ({ids})";
        var summaries = new Dictionary<long, PracticeSummary>(page.Count);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            summaries[reader.GetInt64(0)] = PracticeSummary.Parser.ParseFrom((byte[])reader.GetValue(1));
        }

        return summaries;
    }

    private static async Task<Dictionary<long, PracticeTexts>> TextsAsync(SqliteConnection connection, List<Hit> page, CancellationToken cancellationToken)
    {
        using var select = SearchTables.Command(connection, null, "");
        var keys = new StringBuilder();
        var languages = new Dictionary<long, string>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            keys.Append(i == 0 ? "" : ", ").Append("$d").Append(i);
            select.Parameters.AddWithValue("$d" + i, page[i].Id);
            languages[page[i].Id] = page[i].Language;
        }

        // The documents' entries by the primary key's first column, one seek each; only the entry of the language
        // each hit is shown in is read past its key (a document has an entry per language it is written in).
        select.CommandText = $"SELECT doc, language, title, summary, body, tags, organisation FROM practice_search_texts WHERE doc IN ({keys})";
        var texts = new Dictionary<long, PracticeTexts>(page.Count);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var doc = reader.GetInt64(0);
            if (languages[doc] == reader.GetString(1))
            {
                texts[doc] = new PracticeTexts(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6));
            }
        }

        return texts;
    }

    /// <summary>A document found: its id, BM25 rank (0 when browsing), signing time, the language it is shown in, and whether only through concepts.</summary>
    private readonly record struct Hit(long Id, double Rank, long SignedAt, string Language, bool ByConcept);

    /// <summary>The outcome of one match: the query, its filtered hits, and whether the query's own table found anything (before filters).</summary>
    private sealed record Matched(SearchQuery Query, List<Hit> Hits, bool FoundByWords);
}
