using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Hosting.Storage;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// The practice search index on the node's replica, in SQLite FTS5 (issue 13, item 4): one contentless FTS5 table
/// per language holding the analysed terms and concept tokens of titles, summaries, bodies, tags and organisations
/// (<see cref="SearchTables"/>), BM25 with field weights, snippets cut from the stored plain text
/// (<see cref="SnippetBuilder"/>), facets and filters from an in-memory document table (<see cref="IndexedDocuments"/>),
/// typo corrections from the index's own terms (<see cref="SearchSpelling"/>). The tables are created by
/// <see cref="PracticeSearchSchema.Sql"/> in a migration of <c>node.db</c>; the document store calls
/// <see cref="IndexAsync"/> and <see cref="RemoveAsync"/> in the transactions that store a version, so the index
/// always agrees with the store.
/// </summary>
internal static class PracticeSearch
{
    /// <summary>
    /// Adds or replaces the entry of the practice's document — its original and each translation, each in the table of
    /// its language — in the caller's transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The version is not a published or withdrawn practice, or a language cannot be indexed.</exception>
    public static Task IndexAsync(SqliteConnection connection, SqliteTransaction transaction, IndexedPractice practice, CancellationToken cancellationToken) =>
        SearchIndexWriter.IndexAsync(connection, transaction, practice, cancellationToken);

    /// <summary>Removes the entry of document <paramref name="documentId"/> (erasure), in the caller's transaction; nothing when there is none.</summary>
    public static Task RemoveAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken) =>
        SearchIndexWriter.RemoveAsync(connection, transaction, documentId, cancellationToken);

    /// <summary>
    /// Searches the index (<see cref="SearchRunner"/> says how). <paramref name="nodeLanguage"/> is the query's language
    /// when the request names none; a hit whose owner <paramref name="isInactiveOwner"/> says is not an active member
    /// (suspended or removed) comes with <c>owner_inactive</c> set. Reads <paramref name="database"/> on connections of
    /// its own, outside any transaction.
    /// </summary>
    /// <exception cref="Grpc.Core.RpcException">INVALID_ARGUMENT naming every problem of the request.</exception>
    public static Task<SearchPracticesResponse> SearchAsync(
        SqliteDatabase database, SearchPracticesRequest request, string nodeLanguage, Func<string, bool> isInactiveOwner, CancellationToken cancellationToken) =>
        SearchRunner.RunAsync(database, request, nodeLanguage, isInactiveOwner, cancellationToken);

    /// <summary>
    /// The bare FTS5 statement <see cref="SearchAsync"/> runs for a plain one-language query, for the benchmark to
    /// time it against: the ids of the documents <paramref name="matchExpression"/> matches in
    /// <paramref name="language"/>'s table, best BM25 rank first, at most <paramref name="limit"/>; nothing else
    /// (no filter, facet, summary or snippet).
    /// </summary>
    public static Task<IReadOnlyList<string>> BareMatchAsync(SqliteConnection connection, string language, string matchExpression, int limit, CancellationToken cancellationToken) =>
        SearchRunner.BareMatchAsync(connection, language, matchExpression, limit, cancellationToken);
}
