using Google.Protobuf;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Search.Queries;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// Writes the search index in the caller's transaction: a document's row in <c>practice_search_docs</c> (state,
/// signing time, facet values, the summary hits show), its plain texts, and one FTS5 entry per language it is
/// written or translated in. Every write takes the next change number (<c>practice_search_meta.change</c>), which
/// tells the in-memory document table (<see cref="IndexedDocuments"/>) what to reload.
/// </summary>
internal static class SearchIndexWriter
{
    /// <summary>Adds or replaces the entry of <paramref name="practice"/>'s document.</summary>
    /// <exception cref="ArgumentException">The version is not a published or withdrawn practice, or it has no document id.</exception>
    public static async Task IndexAsync(SqliteConnection connection, SqliteTransaction transaction, IndexedPractice practice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(practice);
        var version = practice.Version ?? throw new ArgumentException("The practice has no version.", nameof(practice));
        if (string.IsNullOrEmpty(version.DocumentId))
        {
            throw new ArgumentException("The practice's version has no document id.", nameof(practice));
        }

        if (version.State is not (DocumentState.Published or DocumentState.Withdrawn))
        {
            throw new ArgumentException(
                $"Document '{version.DocumentId}' is {version.State}; only published or withdrawn practices are indexed (an erased one is removed).",
                nameof(practice));
        }

        if (version.Kind is not (DocumentKind.Practice or DocumentKind.Unspecified))
        {
            throw new ArgumentException($"Document '{version.DocumentId}' is a {version.Kind}, not a practice.", nameof(practice));
        }

        var entries = PracticeTexts.Of(practice.Practice);
        var facets = SearchFacets.Encode(SearchFacets.Of(practice));
        var summary = Summary(practice).ToByteArray();
        var change = await NextChangeAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        var id = await FindAsync(connection, transaction, version.DocumentId, cancellationToken).ConfigureAwait(false);
        if (id is { } existing)
        {
            await RemoveEntriesAsync(connection, transaction, existing, cancellationToken).ConfigureAwait(false);
            using var update = SearchTables.Command(connection, transaction, """
                UPDATE practice_search_docs SET state = $state, signed_at = $signedAt, facets = $facets, summary = $summary, change = $change
                WHERE id = $id
                """);
            AddDocument(update, version, facets, summary, change);
            update.Parameters.AddWithValue("$id", existing);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var insert = SearchTables.Command(connection, transaction, """
                INSERT INTO practice_search_docs (document_id, state, signed_at, facets, summary, change)
                VALUES ($documentId, $state, $signedAt, $facets, $summary, $change)
                RETURNING id
                """);
            AddDocument(insert, version, facets, summary, change);
            insert.Parameters.AddWithValue("$documentId", version.DocumentId);
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        foreach (var (language, texts) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await AddEntryAsync(connection, transaction, id.Value, language, texts, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the entry of document <paramref name="documentId"/>, if there is one.</summary>
    public static async Task RemoveAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        if (await FindAsync(connection, transaction, documentId, cancellationToken).ConfigureAwait(false) is not { } id)
        {
            return;
        }

        var change = await NextChangeAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await RemoveEntriesAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);

        // The row stays, emptied, with state 0: the change number tells the document table the document is gone.
        using var update = SearchTables.Command(connection, transaction, """
            UPDATE practice_search_docs SET state = 0, facets = '', summary = x'', change = $change WHERE id = $id
            """);
        update.Parameters.AddWithValue("$change", change);
        update.Parameters.AddWithValue("$id", id);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a hit shows of the practice, with its version.</summary>
    private static PracticeSummary Summary(IndexedPractice practice)
    {
        var content = practice.Practice;
        return new PracticeSummary
        {
            Version = practice.Version.Clone(),
            Title = content.Title,
            Summary = content.Summary,
            Language = content.Language,
            Themes = { content.Themes },
            Exploitation = { content.Exploitation },
            TargetGroups = { content.TargetGroups },
            EvidenceGrade = EvidenceCatalogue.Code(content.Evidence.Grade),
            Year = content.Period.From?.Year ?? 0,
            Organisation = content.Organisation,
        };
    }

    private static void AddDocument(SqliteCommand command, DocumentVersion version, string facets, byte[] summary, long change)
    {
        command.Parameters.AddWithValue("$state", (int)version.State);
        command.Parameters.AddWithValue("$signedAt", SignedAtMicroseconds(version));
        command.Parameters.AddWithValue("$facets", facets);
        command.Parameters.AddWithValue("$summary", summary);
        command.Parameters.AddWithValue("$change", change);
    }

    /// <summary>When the version was signed, in microseconds since the Unix epoch (0 when not known), for ordering.</summary>
    private static long SignedAtMicroseconds(DocumentVersion version) =>
        version.SignedAt is { } at ? (at.Seconds * 1_000_000) + (at.Nanos / 1_000) : 0;

    private static async Task<long> NextChangeAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var next = SearchTables.Command(connection, transaction, "UPDATE practice_search_meta SET change = change + 1 WHERE id = 1 RETURNING change");
        return await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long change
            ? change
            : throw new InvalidOperationException("The practice search tables are missing: run PracticeSearchSchema.Sql in a migration of node.db first.");
    }

    private static async Task<long?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        using var find = SearchTables.Command(connection, transaction, "SELECT id FROM practice_search_docs WHERE document_id = $documentId");
        find.Parameters.AddWithValue("$documentId", documentId);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    /// <summary>Deletes a document's FTS5 entries and texts, in every language it had.</summary>
    private static async Task RemoveEntriesAsync(SqliteConnection connection, SqliteTransaction transaction, long id, CancellationToken cancellationToken)
    {
        var languages = new List<string>();
        using (var select = SearchTables.Command(connection, transaction, "SELECT language FROM practice_search_texts WHERE doc = $id"))
        {
            select.Parameters.AddWithValue("$id", id);
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                languages.Add(reader.GetString(0));
            }
        }

        foreach (var language in languages)
        {
            using var delete = SearchTables.Command(connection, transaction, $"DELETE FROM {SearchTables.Fts(language)} WHERE rowid = $id");
            delete.Parameters.AddWithValue("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await SearchTables.TouchAsync(connection, transaction, language, cancellationToken).ConfigureAwait(false);
        }

        using var texts = SearchTables.Command(connection, transaction, "DELETE FROM practice_search_texts WHERE doc = $id");
        texts.Parameters.AddWithValue("$id", id);
        await texts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task AddEntryAsync(SqliteConnection connection, SqliteTransaction transaction, long id, string language, PracticeTexts texts, CancellationToken cancellationToken)
    {
        await SearchTables.TouchAsync(connection, transaction, language, cancellationToken).ConfigureAwait(false);
        using (var fts = SearchTables.Command(connection, transaction, $"""
            INSERT INTO {SearchTables.Fts(language)} (rowid, title, summary, body, tags, organisation)
            VALUES ($id, $title, $summary, $body, $tags, $organisation)
            """))
        {
            fts.Parameters.AddWithValue("$id", id);
            AddTexts(fts, texts, text => string.Join(' ', SearchIndex.IndexTerms(text, language)));
            await fts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var plain = SearchTables.Command(connection, transaction, """
            INSERT INTO practice_search_texts (doc, language, title, summary, body, tags, organisation)
            VALUES ($id, $language, $title, $summary, $body, $tags, $organisation)
            """);
        plain.Parameters.AddWithValue("$id", id);
        plain.Parameters.AddWithValue("$language", language);
        AddTexts(plain, texts, text => text);
        await plain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddTexts(SqliteCommand command, PracticeTexts texts, Func<string, string> map)
    {
        foreach (var (field, text) in texts.Fields)
        {
            command.Parameters.AddWithValue("$" + field, map(text));
        }
    }
}
