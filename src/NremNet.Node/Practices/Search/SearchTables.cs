using Microsoft.Data.Sqlite;
using NremNet.Search.Analysis;
using NremNet.Search.Queries;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// The FTS5 table of each language (<c>practice_fts_&lt;language&gt;</c>) and its <c>fts5vocab</c> table: their
/// names, columns and BM25 weights, and their creation the first time a language is indexed. A table is contentless
/// (<c>content=''</c>, with <c>contentless_delete=1</c> so an entry can be replaced or removed): it holds only the
/// analysed terms (<see cref="SearchIndex.IndexTerms"/>), which nobody reads back; the original text for snippets
/// is in <c>practice_search_texts</c>. Its rowid is the document's id in <c>practice_search_docs</c>.
/// </summary>
internal static class SearchTables
{
    /// <summary>
    /// The BM25 weights of the columns title, summary, body, tags and organisation: a word in the title counts most,
    /// then the tags and the summary, then the organisation; the body least, as it is long.
    /// </summary>
    public const string Bm25Weights = "10.0, 4.0, 1.0, 3.0, 2.0";

    /// <summary>The canonical language of a language tag (<see cref="TextAnalysis.CanonicalLanguage"/>), checked to be usable in a table name.</summary>
    /// <exception cref="ArgumentException">The tag does not reduce to lower-case ASCII letters.</exception>
    public static string Language(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var canonical = TextAnalysis.CanonicalLanguage(language);
        if (!IsTableName(canonical))
        {
            throw new ArgumentException($"'{language}' is not a language the search index can hold (expected an ISO 639 code such as 'en').", nameof(language));
        }

        return canonical;
    }

    /// <summary>The FTS5 table of a canonical language.</summary>
    public static string Fts(string canonicalLanguage) => "practice_fts_" + Checked(canonicalLanguage);

    /// <summary>The <c>fts5vocab</c> ('row') table of a canonical language: each term with the number of entries holding it.</summary>
    public static string Vocabulary(string canonicalLanguage) => "practice_vocab_" + Checked(canonicalLanguage);

    /// <summary>The BM25 rank expression of a language's table (lower is better).</summary>
    public static string Bm25(string canonicalLanguage) => $"bm25({Fts(canonicalLanguage)}, {Bm25Weights})";

    /// <summary>
    /// Makes sure the tables of <paramref name="canonicalLanguage"/> exist and records that its index changed (its
    /// generation, which the spelling suggestions are keyed on), in the caller's transaction.
    /// </summary>
    public static async Task TouchAsync(SqliteConnection connection, SqliteTransaction transaction, string canonicalLanguage, CancellationToken cancellationToken)
    {
        var fts = Fts(canonicalLanguage);
        using var known = Command(connection, transaction, "SELECT 1 FROM practice_search_languages WHERE language = $language");
        known.Parameters.AddWithValue("$language", canonicalLanguage);
        if (await known.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            using var create = Command(connection, transaction, $"""
                CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(
                    title, summary, body, tags, organisation,
                    content = '', contentless_delete = 1, tokenize = "{SearchIndex.Fts5Tokenizer}");
                CREATE VIRTUAL TABLE IF NOT EXISTS {Vocabulary(canonicalLanguage)} USING fts5vocab({fts}, 'row');
                """);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var touch = Command(connection, transaction, """
            INSERT INTO practice_search_languages (language, generation) VALUES ($language, random())
            ON CONFLICT (language) DO UPDATE SET generation = random()
            """);
        touch.Parameters.AddWithValue("$language", canonicalLanguage);
        await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when there is one.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>An FTS5 string: inside double quotes everything is text, and a double quote is written twice.</summary>
    public static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether a canonical language can name a table: two to eight lower-case ASCII letters.</summary>
    private static bool IsTableName(string canonicalLanguage) =>
        canonicalLanguage.Length is >= 2 and <= 8 && canonicalLanguage.All(char.IsAsciiLetterLower);

    private static string Checked(string canonicalLanguage)
    {
        ArgumentNullException.ThrowIfNull(canonicalLanguage);
        if (!IsTableName(canonicalLanguage))
        {
            throw new ArgumentException($"'{canonicalLanguage}' is not a canonical language code.", nameof(canonicalLanguage));
        }

        return canonicalLanguage;
    }
}
