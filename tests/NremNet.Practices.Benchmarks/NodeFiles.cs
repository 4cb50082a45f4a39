using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NremNet.Practices.Benchmarks;

/// <summary>
/// What the benchmark reads from a node's <c>node.db</c> itself, read only (the node keeps running; SQLite's WAL lets
/// a reader in): the content hash of the documents held, a publication looked up by its title, the file's size and
/// the search tables' share of it, and the bare FTS5 statement the search runs.
/// </summary>
internal static class NodeFiles
{
    /// <summary>
    /// The statement <c>SearchRunner.BareMatchAsync</c> (src/NremNet.Node/Practices/Search/SearchRunner.cs) runs, with
    /// <c>SearchTables.Bm25Weights</c>; the node's types are internal, so it is copied here. <c>{0}</c> is the
    /// language's FTS5 table.
    /// </summary>
    public const string BareMatchSql = """
        SELECT d.document_id
        FROM (SELECT rowid AS doc, bm25({0}, 10.0, 4.0, 1.0, 3.0, 2.0) AS rank FROM {0} WHERE {0} MATCH $match ORDER BY rank LIMIT $limit) AS m
        JOIN practice_search_docs d ON d.id = m.doc
        ORDER BY m.rank
        """;

    /// <summary>A read-only connection to <paramref name="database"/>, opened.</summary>
    public static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var timeout = connection.CreateCommand();
        timeout.CommandText = "PRAGMA busy_timeout = 10000";
        timeout.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// The documents held: their number, the number of practices, and a SHA-256 over every document's id, current
    /// version, state and the digest of that version's signed envelope, in id order.
    /// </summary>
    public static (long Documents, long Practices, string Hash) ContentHash(string database)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.document_id, d.version, d.state, d.kind, coalesce(v.digest, '')
            FROM documents d LEFT JOIN doc_versions v ON v.document_id = d.document_id AND v.version = d.version
            ORDER BY d.document_id
            """;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long documents = 0, practices = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            documents++;
            practices += reader.GetInt32(3) == 1 ? 1 : 0;
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)}:{reader.GetInt32(1)}:{reader.GetInt32(2)}:{reader.GetString(4)}\n")));
        }

        return (documents, practices, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The ids of the practices of <paramref name="owner"/> stored under <paramref name="title"/>.</summary>
    public static List<string> DocumentsTitled(string database, string owner, string title)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT document_id FROM documents WHERE kind = 1 AND owner_country = $owner AND title = $title";
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$title", title);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Titles of practices held more than once (a publication applied twice), with their counts.</summary>
    public static List<(string Title, long Count)> RepeatedTitles(string database, string titlePart)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT title, COUNT(*) FROM documents WHERE kind = 1 AND instr(title, $part) > 0 GROUP BY title HAVING COUNT(*) > 1 LIMIT 20";
        command.Parameters.AddWithValue("$part", titlePart);
        using var reader = command.ExecuteReader();
        var repeated = new List<(string, long)>();
        while (reader.Read())
        {
            repeated.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return repeated;
    }

    /// <summary>
    /// The file's size on disk (node.db and its -wal), the database's own size (pages × page size), and per part the
    /// bytes its tables and indexes take: their pages when SQLite has the <c>dbstat</c> table, else their rows' bytes.
    /// </summary>
    public static IndexSize Size(string database)
    {
        var file = new FileInfo(database).Length;
        var wal = File.Exists(database + "-wal") ? new FileInfo(database + "-wal").Length : 0;
        using var connection = Open(database);
        using var pages = connection.CreateCommand();
        pages.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size())";
        var logical = Convert.ToInt64(pages.ExecuteScalar(), CultureInfo.InvariantCulture);
        try
        {
            return new IndexSize(file, wal, logical, PagesByPart(connection), FromPages: true);
        }
        catch (SqliteException ex) when (ex.Message.Contains("dbstat", StringComparison.OrdinalIgnoreCase))
        {
            // This SQLite has no dbstat table: the bytes the rows hold instead, without page overhead.
            return new IndexSize(file, wal, logical, PayloadByPart(connection), FromPages: false);
        }
    }

    private static Dictionary<string, long> PagesByPart(SqliteConnection connection)
    {
        using var stat = connection.CreateCommand();
        stat.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name";
        stat.CommandTimeout = 600;
        var parts = new Dictionary<string, long>(StringComparer.Ordinal) { ["fts"] = 0, ["search_other"] = 0, ["documents"] = 0, ["rest"] = 0 };
        using var reader = stat.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var part = name.StartsWith("practice_fts_", StringComparison.Ordinal) ? "fts"
                : name.StartsWith("practice_search_", StringComparison.Ordinal) || name.StartsWith("sqlite_autoindex_practice_search_", StringComparison.Ordinal) ? "search_other"
                : name.StartsWith("doc", StringComparison.Ordinal) || name.StartsWith("sqlite_autoindex_doc", StringComparison.Ordinal) ? "documents"
                : "rest";
            parts[part] += reader.GetInt64(1);
        }

        return parts;
    }

    // The FTS5 tables' segments, doclist indexes and sizes; the search index's texts and summaries; the signed
    // versions. Row and page overhead is not counted, so the parts add up to less than the file.
    private static Dictionary<string, long> PayloadByPart(SqliteConnection connection)
    {
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'practice_fts_%' AND (name LIKE '%_data' OR name LIKE '%_idx' OR name LIKE '%_docsize')";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long fts = 0;
        foreach (var table in tables)
        {
            var sum = table.EndsWith("_data", StringComparison.Ordinal) ? "SUM(length(block)) + COUNT(*) * 8"
                : table.EndsWith("_idx", StringComparison.Ordinal) ? "SUM(length(term)) + COUNT(*) * 16"
                : "SUM(length(sz)) + COUNT(*) * 8";
            fts += Scalar(connection, $"SELECT coalesce({sum}, 0) FROM \"{table}\"");
        }

        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["fts"] = fts,
            ["search_other"] = Scalar(connection, "SELECT coalesce(SUM(length(CAST(title AS BLOB)) + length(CAST(summary AS BLOB)) + length(CAST(body AS BLOB)) + length(CAST(tags AS BLOB)) + length(CAST(organisation AS BLOB))), 0) FROM practice_search_texts")
                + Scalar(connection, "SELECT coalesce(SUM(length(summary) + length(CAST(facets AS BLOB))), 0) FROM practice_search_docs"),
            ["documents"] = Scalar(connection, "SELECT coalesce(SUM(length(signed)), 0) FROM doc_versions"),
        };
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A node.db's size: the file, its write-ahead log, pages × page size, and bytes per part: fts (the FTS5 tables),
/// search_other (the search index's texts, summaries and facets), documents (the signed versions and their tables) and
/// rest — the pages each takes (<paramref name="FromPages"/>, from dbstat), or else the bytes their rows hold.
/// </summary>
internal sealed record IndexSize(long FileBytes, long WalBytes, long DatabaseBytes, Dictionary<string, long> Parts, bool FromPages);
