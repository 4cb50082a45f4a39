using Dapper;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Membership;
using NremNet.Hosting.Certificates;

namespace NremNet.Directory.Snapshots;

/// <summary>
/// Issues, re-signs and loads the signed snapshots. Runs inside the caller's transaction, so a snapshot is stored together
/// with the membership change that caused it.
/// </summary>
internal sealed class SnapshotStore(IOptions<DirectoryOptions> options, NetworkCredentials credentials)
{
    /// <summary>The latest snapshot stored, or null when none was ever issued.</summary>
    public static async Task<PublishedSnapshot?> LoadLatestAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var bytes = await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            "SELECT signed FROM snapshots ORDER BY version DESC LIMIT 1;", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        var signed = SignedSnapshot.Parser.ParseFrom(bytes);
        return new PublishedSnapshot(Snapshot.Parser.ParseFrom(signed.Snapshot), signed);
    }

    /// <summary>Issues the next version: the active members now, sorted by country, valid from now for the configured lifetime.</summary>
    public async Task<PublishedSnapshot> IssueNextAsync(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(version) FROM snapshots;", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        var applications = await connection.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT application FROM members WHERE status = 'ACTIVE' ORDER BY country;", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var snapshot = new Snapshot { Version = checked((ulong)latest + 1) };
        snapshot.Members.AddRange(applications.Select(MemberApplication.Parser.ParseFrom));
        var published = Sign(snapshot, now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO snapshots (version, issued_at, expires_at, member_count, signer_thumbprint, signed)
            VALUES (@Version, @IssuedAt, @ExpiresAt, @MemberCount, @SignerThumbprint, @Signed);
            """,
            Parameters(published), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return published;
    }

    /// <summary>Signs <paramref name="current"/> again: the same version and members, issued now, with a new expiry.</summary>
    public async Task<PublishedSnapshot> ResignAsync(SqliteConnection connection, SqliteTransaction transaction, PublishedSnapshot current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var published = Sign(current.Snapshot.Clone(), now);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE snapshots SET issued_at = @IssuedAt, expires_at = @ExpiresAt, signer_thumbprint = @SignerThumbprint, signed = @Signed
            WHERE version = @Version;
            """,
            Parameters(published), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1
            ? published
            : throw new InvalidOperationException($"Snapshot {current.Version} is not in the database; it cannot be re-signed.");
    }

    /// <summary>Whether the snapshot should be signed again now: it expires within the renewal margin, or another key signed it.</summary>
    public bool IsDue(PublishedSnapshot snapshot, DateTimeOffset now) =>
        snapshot.ExpiresAt - now <= options.Value.SnapshotRenewBefore
        || !string.Equals(snapshot.Signed.SignerThumbprint, credentials.Thumbprint, StringComparison.Ordinal);

    /// <summary>When the snapshot falls due for re-signing.</summary>
    public DateTimeOffset DueAt(PublishedSnapshot snapshot) => snapshot.ExpiresAt - options.Value.SnapshotRenewBefore;

    private PublishedSnapshot Sign(Snapshot snapshot, DateTimeOffset now)
    {
        snapshot.IssuedAt = SnapshotSigning.ToTimestamp(now);
        snapshot.ExpiresAt = SnapshotSigning.ToTimestamp(now + options.Value.SnapshotLifetime);
        return new PublishedSnapshot(snapshot, SnapshotSigning.Sign(snapshot, credentials.Certificate));
    }

    private static object Parameters(PublishedSnapshot snapshot) => new
    {
        Version = checked((long)snapshot.Version),
        snapshot.IssuedAt,
        snapshot.ExpiresAt,
        MemberCount = snapshot.Snapshot.Members.Count,
        snapshot.Signed.SignerThumbprint,
        Signed = snapshot.Signed.ToByteArray(),
    };
}
