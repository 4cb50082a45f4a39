using System.Security.Cryptography.X509Certificates;
using System.Text;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Questions;
using NremNet.Node.Audit;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Practices.Search;
using NremNet.Node.Storage;

namespace NremNet.Node.Practices;

/// <summary>A version this node writes as the owner, before it is numbered and signed.</summary>
internal sealed record OwnVersion(DocumentKind Kind, string DocumentId, DocumentState State, string Content, string Reason, string SubjectId = "", string AskerCountry = "", ByteString? SealedForAsker = null, ByteString? SealedForOwner = null)
{
    /// <summary>A new document: refused if its id is held already.</summary>
    public bool IsNew { get; init; }
}

/// <summary>What became of one page of a peer's feed.</summary>
internal sealed record PageOutcome(int Stored, int Duplicates, int Refused, string? TransientProblem, long TransientSequence);

/// <summary>
/// The node's store of signed document versions (practices, questions, answers; its own and every other owner's) and
/// its change feed. Every version, from a peer or written here, goes through the same checks (<see cref="DocumentChecks"/>
/// and those against the versions held: one chain per document, no second version with the same number, nothing after
/// an erasure) and is stored in one transaction with its effects: the document's current state, the search index, the
/// attachments it names, and the audit of what was refused. An erasure removes the content of every earlier version;
/// only the signed fact stays. The feed numbers versions in the order this node stored them, in an epoch: a store
/// restored from an older backup starts a new epoch, so its peers read it again from the start.
/// </summary>
internal sealed class DocumentStore(NodeDatabase database, AuditLog audit, PeerCertificates peers, SnapshotState snapshots, IOptions<NodeOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>New ids are given one at a time, so two publications at once never get the same.</summary>
    private readonly SemaphoreSlim _naming = new(1, 1);

    private const string VersionColumns = """
        sequence AS Sequence, document_id AS DocumentId, version AS Version, owner_country AS OwnerCountry, kind AS Kind, state AS State,
        signed_at AS SignedAt, reason AS Reason, subject_id AS SubjectId, digest AS Digest, signed AS Signed, stored_at AS StoredAt, received_from AS ReceivedFrom
        """;

    private const string DocumentColumns = """
        document_id AS DocumentId, owner_country AS OwnerCountry, kind AS Kind, version AS Version, state AS State, subject_id AS SubjectId,
        title AS Title, deadline AS Deadline, signed_at AS SignedAt
        """;

    private const string PeerColumns = """
        country AS Country, epoch AS Epoch, cursor AS Cursor, latest_known AS LatestKnown, last_success AS LastSuccess, last_attempt AS LastAttempt,
        last_error AS LastError, refused AS Refused
        """;

    /// <summary>A page of the feed holds at most this many bytes of signed documents (and at least one), under gRPC's 4 MiB message limit.</summary>
    public const int MaxPageBytes = 3 * 1024 * 1024;

    /// <summary>This node stored a version of its own: peers are told.</summary>
    public event Action? OwnChange;

    /// <summary>This node's country.</summary>
    public string OwnCountry => peers.OwnCountry;

    private PracticeOptions Options => options.Value.Practices;

    /// <summary>Whether <paramref name="country"/> is not (or no longer) an active member, by the trusted snapshot.</summary>
    public bool IsInactive(string country) =>
        snapshots.Trust.Trusted && snapshots.Member(country) is null;

    // ----------------------------------------------------------------------------------------------------------------
    // The feed
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>The feed's epoch and newest sequence.</summary>
    public async Task<(string Epoch, long Latest)> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await HeadAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(string Epoch, long Latest)> HeadAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.QuerySingleAsync<(string, long)>(new CommandDefinition(
            "SELECT epoch, (SELECT COALESCE(MAX(sequence), 0) FROM doc_versions) FROM doc_feed WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

    /// <summary>
    /// The versions stored after <paramref name="after"/> in <paramref name="epoch"/> (from the start when the epoch is
    /// another). A cursor past the newest sequence of this epoch means this store was restored from a backup older than
    /// what the caller has read: a new epoch starts, and the caller reads from the start.
    /// </summary>
    public async Task<ChangesResponse> ChangesAsync(string caller, string epoch, long after, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit <= 0 ? Options.PageSize : limit, 1, Math.Clamp(Options.PageSize, 1, 1000));
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (current, latest) = await HeadAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (epoch == current && after > latest)
        {
            current = await RestartEpochAsync(caller, $"{caller} had read this feed to {after}, past its newest version {latest}", cancellationToken).ConfigureAwait(false);
        }

        if (epoch != current || after < 0)
        {
            after = 0;
        }

        var rows = (await connection.QueryAsync<(long Sequence, byte[] Signed)>(new CommandDefinition(
            "SELECT sequence, signed FROM doc_versions WHERE sequence > @After AND signed IS NOT NULL ORDER BY sequence LIMIT @Limit",
            new { After = after, Limit = limit + 1 }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var response = new ChangesResponse { Epoch = current, More = rows.Count > limit };
        var bytes = 0L;
        foreach (var (sequence, signed) in rows.Take(limit))
        {
            if (response.Changes.Count > 0 && bytes + signed.Length > MaxPageBytes)
            {
                response.More = true;
                break;
            }

            bytes += signed.Length;
            response.Changes.Add(new Change { Sequence = sequence, Document = SignedDocument.Parser.ParseFrom(signed) });
        }

        return response;
    }

    /// <summary>Starts a new epoch of the feed (this store was restored from an older backup) and audits why.</summary>
    public Task<string> RestartEpochAsync(string noticedThrough, string why, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var epoch = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_feed SET epoch = @Epoch, started_at = @Now WHERE id = 1", new { Epoch = epoch, Now = time.GetUtcNow() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, [new AuditItem("peer:" + noticedThrough, "document.epoch-restarted", "feed", "restarted", new { epoch, why })], cancellationToken).ConfigureAwait(false);
            return epoch;
        }, cancellationToken);

    // ----------------------------------------------------------------------------------------------------------------
    // Peers' feeds
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>How far this node has read <paramref name="country"/>'s feed, or null.</summary>
    public async Task<PeerFeedRow?> PeerFeedAsync(string country, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<PeerFeedRow>(new CommandDefinition(
            $"SELECT {PeerColumns} FROM doc_peers WHERE country = @Country", new { Country = country }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Every peer feed followed.</summary>
    public async Task<IReadOnlyList<PeerFeedRow>> PeerFeedsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<PeerFeedRow>(new CommandDefinition($"SELECT {PeerColumns} FROM doc_peers ORDER BY country", cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>A peer announced its newest sequence (a hint): noted for the lag.</summary>
    public Task NoteLatestAsync(string country, string epoch, long latest, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO doc_peers (country, epoch, latest_known) VALUES (@Country, @Epoch, @Latest)
                ON CONFLICT (country) DO UPDATE SET latest_known = CASE WHEN epoch = excluded.epoch THEN MAX(latest_known, excluded.latest_known) ELSE excluded.latest_known END
                """, new { Country = country, Epoch = epoch, Latest = latest }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>A pull from <paramref name="country"/> failed: the error is kept for the sync status.</summary>
    public Task NoteFailureAsync(string country, string error, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO doc_peers (country, last_attempt, last_error) VALUES (@Country, @Now, @Error)
                ON CONFLICT (country) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error
                """, new { Country = country, Now = time.GetUtcNow(), Error = error.Length > 500 ? error[..500] : error }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Takes one page of <paramref name="from"/>'s feed: each version checked and stored (or refused, audited) in one
    /// transaction with the new cursor. A version that may come right later (its predecessor or its question is not
    /// here yet) stops the page before it, unless <paramref name="skipTransientAt"/> is its sequence (it has stopped
    /// the feed too often: it is refused and passed).
    /// </summary>
    public async Task<PageOutcome> TakeAsync(string from, ChangesResponse page, long skipTransientAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var opened = page.Changes.Select(change => Open(change)).ToList();
        return await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            int stored = 0, duplicates = 0, refused = 0;
            string? transient = null;
            long transientAt = -1;
            var cursor = (await connection.QuerySingleOrDefaultAsync<PeerFeedRow>(new CommandDefinition(
                $"SELECT {PeerColumns} FROM doc_peers WHERE country = @Country", new { Country = from }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)) is { } row && row.Epoch == page.Epoch
                ? row.Cursor
                : 0;
            var audits = new List<AuditItem>();
            foreach (var (change, document, refusal) in opened)
            {
                var problem = refusal;
                if (document is not null)
                {
                    try
                    {
                        if (await ApplyAsync(connection, transaction, document, from, cancellationToken).ConfigureAwait(false))
                        {
                            stored++;
                        }
                        else
                        {
                            duplicates++;
                        }
                    }
                    catch (DocumentRefusedException ex)
                    {
                        problem = ex;
                    }
                }

                if (problem is not null)
                {
                    if (problem.IsTransient && change.Sequence != skipTransientAt)
                    {
                        transient = $"change {change.Sequence}: {problem.Message}";
                        transientAt = change.Sequence;
                        break;
                    }

                    refused++;
                    audits.Add(new AuditItem("peer:" + from, "document.refused", DocumentChecks.Shown(document?.DocumentId ?? TryId(change)), "denied",
                        new { code = problem.Code, reason = problem.Message, sequence = change.Sequence }));
                }

                cursor = change.Sequence;
            }

            var now = time.GetUtcNow();
            var latest = page.More ? Math.Max(cursor + 1, page.Changes.Count > 0 ? page.Changes[^1].Sequence + 1 : 0) : cursor;
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO doc_peers (country, epoch, cursor, latest_known, last_success, last_attempt, last_error, refused)
                VALUES (@Country, @Epoch, @Cursor, @Latest, @Now, @Now, @Error, @Refused)
                ON CONFLICT (country) DO UPDATE SET
                    latest_known = CASE WHEN epoch = excluded.epoch THEN MAX(latest_known, excluded.latest_known) ELSE excluded.latest_known END,
                    epoch = excluded.epoch, cursor = excluded.cursor, last_success = excluded.last_success, last_attempt = excluded.last_attempt,
                    last_error = excluded.last_error, refused = refused + excluded.refused
                """, new { Country = from, page.Epoch, Cursor = cursor, Latest = latest, Now = now, Error = transient ?? string.Empty, Refused = refused },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (audits.Count > 0)
            {
                await audit.AppendAsync(connection, transaction, audits, cancellationToken).ConfigureAwait(false);
            }

            return new PageOutcome(stored, duplicates, refused, transient, transientAt);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checks that need no database, made before the transaction (signatures cost CPU, not the writer's turn).</summary>
    private (Change Change, CheckedDocument? Document, DocumentRefusedException? Refusal) Open(Change change)
    {
        try
        {
            return (change, DocumentChecks.Open(change.Document ?? new SignedDocument(), CertificateOf, Options.MaxAttachmentBytes), null);
        }
        catch (DocumentRefusedException ex)
        {
            return (change, null, ex);
        }
    }

    private (X509Certificate2? Certificate, string Problem) CertificateOf(string country) => peers.For(country);

    private static string TryId(Change change)
    {
        try
        {
            return DocumentEnvelope.Parser.ParseFrom(change.Document?.Envelope ?? ByteString.Empty).DocumentId is { Length: > 0 } id ? id : $"change {change.Sequence}";
        }
        catch (InvalidProtocolBufferException)
        {
            return $"change {change.Sequence}";
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // This node's own versions
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Numbers, signs and stores a version this node owns, with <paramref name="audits"/>, in one transaction; peers
    /// are then told. The content goes through the same checks as a peer's.
    /// </summary>
    /// <exception cref="DocumentRefusedException">The version is not valid next to those held (e.g. the document was erased).</exception>
    public async Task<VersionRow> WriteOwnAsync(OwnVersion own, IReadOnlyList<AuditItem> audits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(own);
        var row = await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var held = await LoadDocumentAsync(connection, transaction, own.DocumentId, cancellationToken).ConfigureAwait(false);
            if (own.IsNew && held is not null)
            {
                throw new DocumentRefusedException(DocumentRefusalKind.Conflict, $"{own.DocumentId} is held already (as version {held.Version} of a document of {held.OwnerCountry}); a new document takes a new id.");
            }

            var previous = held is null
                ? null
                : await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT digest FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = own.DocumentId, held.Version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var envelope = new DocumentEnvelope
            {
                DocumentId = own.DocumentId,
                OwnerCountry = OwnCountry,
                Kind = own.Kind,
                Version = (held?.Version ?? 0) + 1,
                State = own.State,
                SignedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                Content = own.State == DocumentState.Erased ? ByteString.Empty : ByteString.CopyFromUtf8(own.Content),
                Reason = own.Reason,
                PreviousDigest = previous is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(previous)),
                SubjectDocumentId = own.SubjectId,
                AskerCountry = own.AskerCountry,
                SealedForAsker = own.State == DocumentState.Erased ? ByteString.Empty : own.SealedForAsker ?? ByteString.Empty,
                SealedForOwner = own.State == DocumentState.Erased ? ByteString.Empty : own.SealedForOwner ?? ByteString.Empty,
            };
            var signed = DocumentChecks.Sign(envelope, peers.Own);
            var document = DocumentChecks.Open(signed, _ => (peers.Own, string.Empty), Options.MaxAttachmentBytes);
            await ApplyAsync(connection, transaction, document, OwnCountry, cancellationToken).ConfigureAwait(false);
            if (audits.Count > 0)
            {
                await audit.AppendAsync(connection, transaction, audits, cancellationToken).ConfigureAwait(false);
            }

            return (await connection.QuerySingleAsync<VersionRow>(new CommandDefinition(
                $"SELECT {VersionColumns} FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = own.DocumentId, envelope.Version }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
        OwnChange?.Invoke();
        return row;
    }

    /// <summary>
    /// Writes the first version of a new document of this node under the next free id of its kind
    /// (<paramref name="infix"/>: <c>PR</c> practices, <c>Q</c> questions), built by <paramref name="build"/> for that id.
    /// </summary>
    public async Task<VersionRow> CreateOwnAsync(string infix, Func<string, (OwnVersion Version, IReadOnlyList<AuditItem> Audits)> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        await _naming.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (version, audits) = build(await NextIdAsync(infix, cancellationToken).ConfigureAwait(false));
            return await WriteOwnAsync(version with { IsNew = true }, audits, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _naming.Release();
        }
    }

    public void Dispose() => _naming.Dispose();

    /// <summary>The next free id of this node's documents of a kind in a year, e.g. <c>NL-PR-2026-0004</c>.</summary>
    private async Task<string> NextIdAsync(string infix, CancellationToken cancellationToken)
    {
        var prefix = FormattableString.Invariant($"{OwnCountry}-{infix}-{time.GetUtcNow().Year}-");
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT document_id FROM documents WHERE document_id >= @From AND document_id < @To", new { From = prefix, To = prefix + "~" }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var highest = ids.Select(id => int.TryParse(id.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
        return prefix + (highest + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Storing a checked version
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Stores a checked version next to those held, with its effects; false when it is held already (the same bytes).
    /// </summary>
    /// <exception cref="DocumentRefusedException">It conflicts with a held version, comes too early, or does not fit its question.</exception>
    private async Task<bool> ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CheckedDocument document, string from, CancellationToken cancellationToken)
    {
        var envelope = document.Envelope;
        var held = await LoadDocumentAsync(connection, transaction, document.DocumentId, cancellationToken).ConfigureAwait(false);
        if (held is not null)
        {
            if (held.OwnerCountry != envelope.OwnerCountry || held.Kind != (int)envelope.Kind)
            {
                throw new DocumentRefusedException(DocumentRefusalKind.Conflict,
                    $"{document.DocumentId} is held as a {Kind(held.Kind)} of {held.OwnerCountry}; this version claims a {Kind((int)envelope.Kind)} of {envelope.OwnerCountry}.");
            }

            if (envelope.Version <= held.Version)
            {
                var heldDigest = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT digest FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = document.DocumentId, envelope.Version }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (heldDigest == document.Digest || (heldDigest is null && held.State == (int)DocumentState.Erased))
                {
                    return false;
                }

                throw new DocumentRefusedException(DocumentRefusalKind.Conflict,
                    $"Another version {envelope.Version} of {document.DocumentId} is held (digest {heldDigest?[..12]}…, this one {document.Digest[..12]}…): a replay or a fork is refused.");
            }

            if (held.State == (int)DocumentState.Erased)
            {
                throw new DocumentRefusedException(DocumentRefusalKind.Conflict, $"{document.DocumentId} was erased by its owner; no version follows an erasure.");
            }

            if (envelope.State != DocumentState.Erased)
            {
                if (envelope.Version != held.Version + 1)
                {
                    throw new DocumentRefusedException(DocumentRefusalKind.OutOfOrder, $"Version {envelope.Version} of {document.DocumentId} came before version {held.Version + 1}.");
                }

                var previous = await connection.QuerySingleAsync<string>(new CommandDefinition(
                    "SELECT digest FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = document.DocumentId, held.Version }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (Convert.ToHexStringLower(envelope.PreviousDigest.Span) != previous)
                {
                    throw new DocumentRefusedException(DocumentRefusalKind.Conflict, $"Version {envelope.Version} of {document.DocumentId} does not follow the version {held.Version} held (its chain is broken).");
                }
            }
        }
        else if (envelope.Version != 1 && envelope.State != DocumentState.Erased)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.OutOfOrder, $"Version {envelope.Version} of {document.DocumentId} came before version 1.");
        }

        var title = document.Practice?.Title ?? document.Question?.Title ?? string.Empty;
        if (envelope.Kind == DocumentKind.Answer && envelope.State != DocumentState.Erased)
        {
            title = await CheckAnswerAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false);
        }
        else if (title.Length == 0 && held is not null)
        {
            title = held.Title;
        }

        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO doc_versions (document_id, version, owner_country, kind, state, signed_at, reason, subject_id, digest, signed, stored_at, received_from)
            VALUES (@DocumentId, @Version, @Owner, @Kind, @State, @SignedAt, @Reason, @Subject, @Digest, @Signed, @Now, @From)
            """, new
        {
            document.DocumentId,
            envelope.Version,
            Owner = envelope.OwnerCountry,
            Kind = (int)envelope.Kind,
            State = (int)envelope.State,
            document.SignedAt,
            envelope.Reason,
            Subject = envelope.SubjectDocumentId,
            document.Digest,
            Signed = document.Signed.ToByteArray(),
            Now = now,
            From = from,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO documents (document_id, owner_country, kind, version, state, subject_id, title, deadline, signed_at)
            VALUES (@DocumentId, @Owner, @Kind, @Version, @State, @Subject, @Title, @Deadline, @SignedAt)
            ON CONFLICT (document_id) DO UPDATE SET version = excluded.version, state = excluded.state, title = excluded.title,
                deadline = COALESCE(excluded.deadline, deadline), signed_at = excluded.signed_at
            """, new
        {
            document.DocumentId,
            Owner = envelope.OwnerCountry,
            Kind = (int)envelope.Kind,
            envelope.Version,
            State = (int)envelope.State,
            Subject = envelope.SubjectDocumentId,
            Title = title,
            Deadline = document.Question?.Deadline,
            document.SignedAt,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

        if (envelope.State == DocumentState.Erased)
        {
            await EraseContentAsync(connection, transaction, document.DocumentId, envelope.Version, cancellationToken).ConfigureAwait(false);
        }
        else if (document.Practice is { } practice)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM doc_attachment_refs WHERE document_id = @Id", new { Id = document.DocumentId }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var attachment in practice.Attachments)
            {
                await connection.ExecuteAsync(new CommandDefinition("INSERT OR IGNORE INTO doc_attachment_refs (sha256, document_id) VALUES (@Sha, @Id)",
                    new { Sha = attachment.Sha256, Id = document.DocumentId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            var version = await connection.QuerySingleAsync<VersionRow>(new CommandDefinition(
                $"SELECT {VersionColumns} FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = document.DocumentId, envelope.Version }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await PracticeSearch.IndexAsync(connection, transaction, new IndexedPractice(version.ToProto(ownerInactive: false), practice), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>An answer fits its question: held, put to the answering country, by the asker named; the title it is listed under.</summary>
    private static async Task<string> CheckAnswerAsync(SqliteConnection connection, SqliteTransaction transaction, CheckedDocument document, CancellationToken cancellationToken)
    {
        var envelope = document.Envelope;
        var question = await LoadQuestionAsync(connection, transaction, envelope.SubjectDocumentId, cancellationToken).ConfigureAwait(false)
            ?? throw new DocumentRefusedException(DocumentRefusalKind.QuestionMissing, $"Answer {document.DocumentId} answers question {DocumentChecks.Shown(envelope.SubjectDocumentId)}, which is not held (yet).");
        if (question.AskingCountry != envelope.AskerCountry)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Answer {document.DocumentId} names {envelope.AskerCountry} as the asker of {question.Id}, which {question.AskingCountry} asked.");
        }

        if (!question.IsAddressedTo(envelope.OwnerCountry))
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Question {question.Id} is not put to {envelope.OwnerCountry}, which answers it in {document.DocumentId}.");
        }

        var answer = AnswerParts.Parse(document.Text, question, wholeAnswer: envelope.SealedForAsker.IsEmpty);
        DocumentChecks.Require(envelope, answer.Problems, null);
        if (answer.Value!.AnsweringCountry != envelope.OwnerCountry || answer.Value.QuestionId != question.Id)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Answer {document.DocumentId} is signed by {envelope.OwnerCountry} for {question.Id} but its content is {answer.Value.AnsweringCountry}'s answer to {answer.Value.QuestionId}.");
        }

        if (answer.Value.HasAskerOnlyItems)
        {
            throw new DocumentRefusedException(DocumentRefusalKind.InvalidContent, $"Answer {document.DocumentId} carries items for the asker only in clear; they travel sealed.");
        }

        return $"{envelope.OwnerCountry}: {question.Title}";
    }

    /// <summary>The content of every earlier version goes, the attachments only this document named too; the erasure's signed fact stays.</summary>
    private static async Task EraseContentAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, int version, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE doc_versions SET signed = NULL WHERE document_id = @Id AND version < @Version;
            DELETE FROM doc_attachments WHERE sha256 IN (SELECT sha256 FROM doc_attachment_refs WHERE document_id = @Id)
                AND sha256 NOT IN (SELECT sha256 FROM doc_attachment_refs WHERE document_id <> @Id);
            DELETE FROM doc_attachment_refs WHERE document_id = @Id;
            """, new { Id = documentId, Version = version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await PracticeSearch.RemoveAsync(connection, transaction, documentId, cancellationToken).ConfigureAwait(false);
    }

    private static string Kind(int kind) => ((DocumentKind)kind) switch
    {
        DocumentKind.Practice => "practice",
        DocumentKind.Question => "question",
        DocumentKind.Answer => "answer",
        _ => "document",
    };

    // ----------------------------------------------------------------------------------------------------------------
    // Reading
    // ----------------------------------------------------------------------------------------------------------------

    private static Task<DocumentRow?> LoadDocumentAsync(SqliteConnection connection, SqliteTransaction? transaction, string documentId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition(
            $"SELECT {DocumentColumns} FROM documents WHERE document_id = @Id", new { Id = documentId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Where a document stands, or null.</summary>
    public async Task<DocumentRow?> DocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await LoadDocumentAsync(connection, null, documentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every version of a document, oldest first.</summary>
    public async Task<IReadOnlyList<VersionRow>> VersionsAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM doc_versions WHERE document_id = @Id ORDER BY version", new { Id = documentId }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>One version with its signed bytes, or null.</summary>
    public async Task<VersionRow?> VersionAsync(string documentId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM doc_versions WHERE document_id = @Id AND version = @Version", new { Id = documentId, Version = version }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The envelope of a stored version (null once erased).</summary>
    public static DocumentEnvelope? EnvelopeOf(VersionRow row) =>
        row?.Signed is { } signed ? DocumentEnvelope.Parser.ParseFrom(SignedDocument.Parser.ParseFrom(signed).Envelope) : null;

    /// <summary>The text of a stored version's content ("" once erased).</summary>
    public static string TextOf(VersionRow row) => EnvelopeOf(row) is { } envelope ? Encoding.UTF8.GetString(envelope.Content.Span) : string.Empty;

    /// <summary>Documents of a kind, newest first.</summary>
    public async Task<IReadOnlyList<DocumentRow>> DocumentsAsync(DocumentKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            $"SELECT {DocumentColumns} FROM documents WHERE kind = @Kind ORDER BY signed_at DESC", new { Kind = (int)kind }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>The answers held to a question (current versions).</summary>
    public async Task<IReadOnlyList<DocumentRow>> AnswersToAsync(string questionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            $"SELECT {DocumentColumns} FROM documents WHERE subject_id = @Id AND kind = @Kind ORDER BY owner_country", new { Id = questionId, Kind = (int)DocumentKind.Answer },
            cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>A question as its current version holds it, or null (not held, or erased).</summary>
    public async Task<NetworkQuestion?> QuestionAsync(string questionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await LoadQuestionAsync(connection, null, questionId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<NetworkQuestion?> LoadQuestionAsync(SqliteConnection connection, SqliteTransaction? transaction, string questionId, CancellationToken cancellationToken)
    {
        var signed = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition("""
            SELECT v.signed FROM documents d JOIN doc_versions v ON v.document_id = d.document_id AND v.version = d.version
            WHERE d.document_id = @Id AND d.kind = @Kind
            """, new { Id = questionId, Kind = (int)DocumentKind.Question }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (signed is null)
        {
            return null;
        }

        var envelope = DocumentEnvelope.Parser.ParseFrom(SignedDocument.Parser.ParseFrom(signed).Envelope);
        return envelope.State == DocumentState.Erased ? null : QuestionFile.Parse(envelope.Content.ToStringUtf8()).Value;
    }

    /// <summary>How many documents of each kind are held (erased ones included).</summary>
    public async Task<(long Practices, long Questions, long Answers, long MissingAttachments)> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM documents WHERE kind = 1), (SELECT COUNT(*) FROM documents WHERE kind = 2), (SELECT COUNT(*) FROM documents WHERE kind = 3),
                   (SELECT COUNT(DISTINCT r.sha256) FROM doc_attachment_refs r WHERE NOT EXISTS (SELECT 1 FROM doc_attachments a WHERE a.sha256 = r.sha256))
            """, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a search on the local replica. A query without a language is read in the node's language; when that finds
    /// nothing it is read again in English, the network's working language, so words typed in English find English
    /// practices on a Finnish node too (each hit names the language index it matched in).
    /// </summary>
    public async Task<SearchPracticesResponse> SearchAsync(SearchPracticesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await PracticeSearch.SearchAsync(database.Database, request, Options.Language, IsInactive, cancellationToken).ConfigureAwait(false);
        if (response.Total == 0 && request.Language.Length == 0 && Options.Language != "en" && !string.IsNullOrWhiteSpace(request.Text))
        {
            var english = await PracticeSearch.SearchAsync(database.Database, new SearchPracticesRequest(request) { Language = "en" }, Options.Language, IsInactive, cancellationToken).ConfigureAwait(false);
            if (english.Total > 0)
            {
                return english;
            }
        }

        return response;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Attachments
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Stores an attachment's bytes (checked by the caller against its SHA-256 and type) unless held.</summary>
    public Task StoreAttachmentAsync(string sha256, string mediaType, byte[] content, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO doc_attachments (sha256, media_type, size, content, stored_at) VALUES (@Sha, @Type, @Size, @Content, @Now)
                ON CONFLICT (sha256) DO NOTHING
                """, new { Sha = sha256, Type = mediaType, Size = content.LongLength, Content = content, Now = time.GetUtcNow() }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// An attachment's media type and bytes, or null. With <paramref name="publishedOnly"/>, only one a held practice names
    /// (what peers may fetch: an upload not yet in a published practice stays on this node).
    /// </summary>
    public async Task<(string MediaType, byte[] Content)?> AttachmentAsync(string sha256, CancellationToken cancellationToken, bool publishedOnly = false)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string, byte[])?>(new CommandDefinition(
            "SELECT media_type, content FROM doc_attachments a WHERE sha256 = @Sha AND (@Any OR EXISTS (SELECT 1 FROM doc_attachment_refs r WHERE r.sha256 = a.sha256))",
            new { Sha = sha256, Any = !publishedOnly }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row;
    }

    /// <summary>Whether an attachment's bytes are held.</summary>
    public async Task<bool> HasAttachmentAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM doc_attachments WHERE sha256 = @Sha", new { Sha = sha256 },
            cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Attachments named by held practices whose bytes are not here, with the peer each practice came from.</summary>
    public async Task<IReadOnlyList<(string Sha256, string From)>> MissingAttachmentsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<(string, string)>(new CommandDefinition("""
            SELECT r.sha256, MIN(v.received_from) FROM doc_attachment_refs r
            JOIN documents d ON d.document_id = r.document_id
            JOIN doc_versions v ON v.document_id = d.document_id AND v.version = d.version
            WHERE NOT EXISTS (SELECT 1 FROM doc_attachments a WHERE a.sha256 = r.sha256)
            GROUP BY r.sha256 LIMIT @Limit
            """, new { Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }
}
