using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Practices.V1;

namespace NremNet.Node.Practices.Search;

/// <summary>What the search keeps in memory of one indexed document.</summary>
/// <param name="State">Its <see cref="DocumentState"/> as a number; 0 when it is not in the index.</param>
/// <param name="SignedAt">When its version was signed, in microseconds since the Unix epoch.</param>
/// <param name="Values">Its facet values, as ids of <see cref="FacetValueTable"/>.</param>
internal readonly record struct DocumentEntry(int State, long SignedAt, int[] Values)
{
    /// <summary>Whether the document is in the index.</summary>
    public bool Exists => State != 0;
}

/// <summary>
/// The facet values of every indexed document, with their state and signing time, in memory: what the search filters,
/// counts and sorts by, so that a query costs the FTS5 match and little more. Computed in SQL, the same work joined
/// every match to its row and its facet rows and cost two to four times the match itself on 50,000 practices
/// (the match of a common word finds tens of thousands of them); here it is an array lookup per match.
/// <para>
/// A snapshot is immutable and belongs to one database (its file and the random id of its index). It is brought up
/// to date before each search from the rows whose change number is above its own (<see cref="CurrentAsync"/>):
/// usually none, after a write the few it touched. An index whose change number went down (a file restored from an
/// older copy under a running node) is reloaded whole.
/// </para>
/// </summary>
internal sealed class IndexedDocuments
{
    /// <summary>The snapshot of each database, by <see cref="Key"/>.</summary>
    private static readonly ConcurrentDictionary<string, Slot> Slots = new(StringComparer.Ordinal);

    private readonly DocumentEntry[] _rows;

    private IndexedDocuments(string key, long change, FacetValueTable values, DocumentEntry[] rows, IReadOnlyDictionary<string, long> languages)
    {
        Key = key;
        Change = change;
        Values = values;
        _rows = rows;
        Languages = languages;
    }

    /// <summary>The database it is a snapshot of: its file and the random id of its index.</summary>
    public string Key { get; }

    /// <summary>The change number it reflects.</summary>
    public long Change { get; }

    /// <summary>The facet values documents hold.</summary>
    public FacetValueTable Values { get; }

    /// <summary>The languages with an FTS5 table, each with the generation of its index.</summary>
    public IReadOnlyDictionary<string, long> Languages { get; }

    /// <summary>The documents by their id in <c>practice_search_docs</c> (the FTS5 rowid); an id without a document has <see cref="DocumentEntry.Exists"/> false.</summary>
    public ReadOnlySpan<DocumentEntry> Rows => _rows;

    /// <summary>The document with id <paramref name="id"/>, or an entry that does not exist.</summary>
    public DocumentEntry this[long id] => id >= 0 && id < _rows.Length ? _rows[id] : default;

    /// <summary>The snapshot of the database <paramref name="connection"/> is open on, brought up to date.</summary>
    public static async Task<IndexedDocuments> CurrentAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (instance, change) = await ReadMetaAsync(connection, cancellationToken).ConfigureAwait(false);
        var key = connection.DataSource + "|" + instance;
        var slot = Slots.GetOrAdd(key, _ => new Slot());
        if (slot.Current is { } current && current.Change == change)
        {
            return current;
        }

        await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read again under the lock: another search may have brought the snapshot up to date meanwhile, even past
            // the number read above. A number below the snapshot's means the file was replaced by an older copy.
            current = slot.Current;
            (_, change) = await ReadMetaAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current is not null && current.Change == change)
            {
                return current;
            }

            if (current is not null && current.Change > change)
            {
                current = null;
            }

            var refreshed = await LoadAsync(connection, key, current, cancellationToken).ConfigureAwait(false);
            slot.Current = refreshed;
            return refreshed;
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    private static async Task<(string Instance, long Change)> ReadMetaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var meta = SearchTables.Command(connection, null, "SELECT instance, change FROM practice_search_meta WHERE id = 1");
        using var reader = await meta.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetString(0), reader.GetInt64(1))
            : throw new InvalidOperationException("The practice search tables are empty: run PracticeSearchSchema.Sql in a migration of node.db first.");
    }

    /// <summary>
    /// <paramref name="before"/> with the rows changed since, or everything when it is null. One statement reads the
    /// changed rows, so they are a consistent state, possibly newer than the change number read before: the
    /// snapshot takes the highest change number among them (the latest change always leaves it on its row).
    /// </summary>
    private static async Task<IndexedDocuments> LoadAsync(SqliteConnection connection, string key, IndexedDocuments? before, CancellationToken cancellationToken)
    {
        var since = before?.Change ?? 0;
        var rows = before?._rows ?? [];
        var values = before?.Values ?? FacetValueTable.Empty;
        var changed = new List<(long Id, DocumentEntry Entry)>();
        var pending = new List<(long Id, int State, long SignedAt, FacetValue[] Values)>();
        var change = since;
        using (var select = SearchTables.Command(connection, null, "SELECT id, state, signed_at, facets, change FROM practice_search_docs WHERE change > $since"))
        {
            select.Parameters.AddWithValue("$since", since);
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var state = reader.GetInt32(1);
                pending.Add((reader.GetInt64(0), state, reader.GetInt64(2), state == 0 ? [] : SearchFacets.Decode(reader.GetString(3)).ToArray()));
                change = Math.Max(change, reader.GetInt64(4));
            }
        }

        values = values.With(pending.SelectMany(p => p.Values));
        foreach (var (id, state, signedAt, facetValues) in pending)
        {
            changed.Add((id, new DocumentEntry(state, signedAt, state == 0 ? [] : values.Ids(facetValues))));
        }

        var size = changed.Count == 0 ? rows.Length : Math.Max(rows.Length, (int)changed.Max(c => c.Id) + 1);
        var updated = new DocumentEntry[size];
        Array.Copy(rows, updated, rows.Length);
        foreach (var (id, entry) in changed)
        {
            updated[id] = entry;
        }

        var languages = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var select = SearchTables.Command(connection, null, "SELECT language, generation FROM practice_search_languages"))
        {
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                languages[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        return new IndexedDocuments(key, change, values, updated, languages);
    }

    private sealed class Slot
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public volatile IndexedDocuments? Current;
    }
}

/// <summary>
/// The facet values documents hold, each with a small id, so a document's values are an array of ids and a count is
/// an array slot. Immutable; <see cref="With"/> makes a larger copy when new values appear.
/// </summary>
internal sealed class FacetValueTable
{
    private readonly FacetValue[] _values;
    private readonly Dictionary<FacetValue, int> _ids;

    private FacetValueTable(FacetValue[] values)
    {
        _values = values;
        _ids = new Dictionary<FacetValue, int>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            _ids[values[i]] = i;
        }
    }

    /// <summary>No values.</summary>
    public static FacetValueTable Empty { get; } = new([]);

    /// <summary>How many values there are; ids run from 0 to one less.</summary>
    public int Count => _values.Length;

    /// <summary>The value with id <paramref name="id"/>.</summary>
    public FacetValue this[int id] => _values[id];

    /// <summary>The id of <paramref name="value"/>, or -1 when no document holds it.</summary>
    public int Find(FacetValue value) => _ids.GetValueOrDefault(value, -1);

    /// <summary>This table, or a copy with the values it lacks added.</summary>
    public FacetValueTable With(IEnumerable<FacetValue> values)
    {
        var added = values.Where(v => !_ids.ContainsKey(v)).Distinct().ToArray();
        return added.Length == 0 ? this : new FacetValueTable([.. _values, .. added]);
    }

    /// <summary>The ids of values this table holds, ascending.</summary>
    public int[] Ids(IEnumerable<FacetValue> values)
    {
        var ids = values.Select(v => _ids[v]).Distinct().ToArray();
        Array.Sort(ids);
        return ids;
    }
}
