namespace NremNet.Node.Practices.Search;

/// <summary>
/// The tables of the practice search index that exist from the start, run once in a schema migration of
/// <c>node.db</c>. The FTS5 table of each language (<c>practice_fts_&lt;language&gt;</c>, with its
/// <c>fts5vocab</c> table <c>practice_vocab_&lt;language&gt;</c>) is created by <see cref="PracticeSearch.IndexAsync"/>
/// the first time a text in that language is indexed, in the same transaction (<see cref="SearchTables"/>).
/// </summary>
internal static class PracticeSearchSchema
{
    /// <summary>
    /// The statements: <c>practice_search_meta</c> (a random id of this index, which keys the in-memory caches,
    /// and the number of its latest change), <c>practice_search_docs</c> (one row per document ever indexed: its
    /// state — 0 once removed —, signing time, facet values, the <c>PracticeSummary</c> hits show, and the change
    /// that last touched it), <c>practice_search_texts</c> (the plain text of each language entry, read only for the
    /// snippets of a page of hits) and <c>practice_search_languages</c> (the languages that have an FTS5 table, with
    /// a value that changes whenever that table does, for the spelling suggestions built from it).
    /// </summary>
    public const string Sql = """
        CREATE TABLE practice_search_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            instance TEXT NOT NULL,
            change INTEGER NOT NULL
        );
        INSERT INTO practice_search_meta (id, instance, change) VALUES (1, lower(hex(randomblob(16))), 0);
        CREATE TABLE practice_search_docs (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE,
            state INTEGER NOT NULL,
            signed_at INTEGER NOT NULL,
            facets TEXT NOT NULL,
            summary BLOB NOT NULL,
            change INTEGER NOT NULL
        );
        CREATE INDEX practice_search_docs_by_change ON practice_search_docs(change);
        CREATE TABLE practice_search_texts (
            doc INTEGER NOT NULL REFERENCES practice_search_docs(id),
            language TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL,
            organisation TEXT NOT NULL,
            PRIMARY KEY (doc, language)
        );
        CREATE TABLE practice_search_languages (
            language TEXT PRIMARY KEY,
            generation INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;
}
