using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using NremNet.Domain.Audit;
using NremNet.Node.Storage;

namespace NremNet.Node.Audit;

/// <summary>
/// The node's append-only, hash-chained audit log. An entry is written in the same transaction as the change it
/// records; the chain's head is signed with the node's key in that transaction too.
/// </summary>
internal sealed class AuditLog(NodeDatabase database, X509Certificate2 nodeCertificate, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Appends an entry in its own transaction.</summary>
    public Task<AuditRecord> AppendAsync(string actor, string action, string target, string outcome, object? details, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync((connection, transaction) => AppendAsync(connection, transaction, actor, action, target, outcome, details, cancellationToken), cancellationToken);

    /// <summary>Appends an entry within the caller's transaction.</summary>
    public async Task<AuditRecord> AppendAsync(
        SqliteConnection connection, SqliteTransaction transaction, string actor, string action, string target, string outcome, object? details, CancellationToken cancellationToken) =>
        (await AppendAsync(connection, transaction, [new AuditItem(actor, action, target, outcome, details)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Appends entries within the caller's transaction, in order. The chain's head is signed once, after the last: a
    /// batch of referral messages is audited message by message without one signature per message.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AuditItem> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT sequence AS Sequence, hash AS Hash, signature AS Signature FROM audit_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var sequence = head?.Sequence ?? 0;
        var hash = head?.Hash ?? AuditChain.GenesisHash;
        var at = time.GetUtcNow();
        var records = new List<AuditRecord>(entries.Count);
        var rows = new List<object>(entries.Count);
        foreach (var entry in entries)
        {
            var record = new AuditRecord(
                ++sequence,
                at,
                entry.Actor,
                entry.Action,
                entry.Target,
                entry.Outcome,
                entry.Details is null ? "{}" : entry.Details as string ?? JsonSerializer.Serialize(entry.Details, Json));
            hash = AuditChain.Hash(record, hash);
            records.Add(record);
            rows.Add(new { record.Sequence, record.At, record.Actor, record.Action, record.Target, record.Outcome, record.Details, Hash = hash });
        }

        // One command for all rows: SQLite prepares the statement once and runs it per row.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (sequence, at, actor, action, target, outcome, details, hash) VALUES (@Sequence, @At, @Actor, @Action, @Target, @Outcome, @Details, @Hash)",
            rows,
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_head (id, sequence, hash, signature) VALUES (1, @Sequence, @Hash, @Signature) ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, signature = excluded.signature",
            new { Sequence = sequence, Hash = hash, Signature = SignHead(sequence, hash) },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return records;
    }

    /// <summary>Entries, newest first.</summary>
    public async Task<IReadOnlyList<StoredAuditEntry>> ListAsync(int limit, long beforeSequence, string? action, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            """
            SELECT sequence AS Sequence, at AS At, actor AS Actor, action AS Action, target AS Target, outcome AS Outcome, details AS Details, hash AS Hash
            FROM audit_log
            WHERE (@Before = 0 OR sequence < @Before) AND (@Action IS NULL OR action = @Action)
            ORDER BY sequence DESC LIMIT @Limit
            """,
            new { Before = beforeSequence, Action = string.IsNullOrEmpty(action) ? null : action, Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>Recomputes the chain and checks it against the signed head.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT sequence AS Sequence, hash AS Hash, signature AS Signature FROM audit_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = connection.Query<AuditRow>(new CommandDefinition(
            "SELECT sequence AS Sequence, at AS At, actor AS Actor, action AS Action, target AS Target, outcome AS Outcome, details AS Details, hash AS Hash FROM audit_log ORDER BY sequence",
            transaction: transaction,
            flags: CommandFlags.None,
            cancellationToken: cancellationToken));
        using var key = nodeCertificate.GetECDsaPublicKey()!;
        return AuditChain.Verify(
            rows.Select(r => r.ToEntry()),
            head is null ? null : new AuditHead(head.Sequence, head.Hash, head.Signature),
            (data, signature) => key.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    private byte[] SignHead(long sequence, string hash)
    {
        using var key = nodeCertificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The node certificate has no private key to sign the audit log with.");
        return key.SignData(AuditChain.HeadBytes(sequence, hash), HashAlgorithmName.SHA256);
    }

    private sealed record HeadRow
    {
        public long Sequence { get; init; }

        public string Hash { get; init; } = string.Empty;

        public byte[] Signature { get; init; } = [];
    }

    private sealed record AuditRow
    {
        public long Sequence { get; init; }

        public DateTimeOffset At { get; init; }

        public string Actor { get; init; } = string.Empty;

        public string Action { get; init; } = string.Empty;

        public string Target { get; init; } = string.Empty;

        public string Outcome { get; init; } = string.Empty;

        public string Details { get; init; } = string.Empty;

        public string Hash { get; init; } = string.Empty;

        public StoredAuditEntry ToEntry() => new(new AuditRecord(Sequence, At, Actor, Action, Target, Outcome, Details), Hash);
    }
}

/// <summary>An audit entry to append: who did what to what, how it ended, and details (an object serialized as JSON, or a JSON string).</summary>
internal sealed record AuditItem(string Actor, string Action, string Target, string Outcome, object? Details);
