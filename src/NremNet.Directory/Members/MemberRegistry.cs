using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Storage;

namespace NremNet.Directory.Members;

/// <summary>
/// The members and their history. Each change is one transaction: the member's new state, a <c>member_events</c> record
/// and, when the active set changes, the next signed snapshot, which is then published.
/// </summary>
internal sealed class MemberRegistry(DirectoryDatabase database, SnapshotStore snapshots, SnapshotFeed feed, TimeProvider time, ILogger<MemberRegistry> logger)
{
    private const string SelectMember = """
        SELECT country AS Country, status AS Status, application AS Application, registered_at AS RegisteredAt,
               updated_at AS UpdatedAt, last_heartbeat AS LastHeartbeat, status_reason AS StatusReason
        FROM members
        """;

    /// <summary>A node applies to join, or updates its application.</summary>
    public Task<MemberRecord> RegisterAsync(MemberApplication application, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(application.Country, current => MemberRules.Register(current, application), actor, cancellationToken);

    /// <summary>The secretariat admits a member.</summary>
    public Task<MemberRecord> ApproveAsync(string country, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(country, current => MemberRules.Approve(country, current), actor, cancellationToken);

    /// <summary>The secretariat suspends a member.</summary>
    public Task<MemberRecord> SuspendAsync(string country, string reason, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(country, current => MemberRules.Suspend(country, current, reason), actor, cancellationToken);

    /// <summary>The secretariat removes a member for good.</summary>
    public Task<MemberRecord> RemoveAsync(string country, string reason, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(country, current => MemberRules.Remove(country, current, reason), actor, cancellationToken);

    /// <summary>Records a member's heartbeat; refused as <see cref="MemberRefusalKind.NotFound"/> when the country never registered.</summary>
    public async Task<MemberRecord> HeartbeatAsync(string country, CancellationToken cancellationToken)
    {
        var member = await database.WriteAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE members SET last_heartbeat = @Now WHERE country = @Country;",
                new { Now = time.GetUtcNow(), Country = country }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return updated == 0 ? null : await FindAsync(connection, transaction, country, cancellationToken).ConfigureAwait(false);
        }, afterCommit: null, cancellationToken).ConfigureAwait(false);
        return member ?? throw new MemberRefusedException(MemberRefusalKind.NotFound, $"No member {country} is registered; call Register before sending heartbeats.");
    }

    /// <summary>Every member in any status, by country.</summary>
    public async Task<IReadOnlyList<MemberRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(SelectMember + " ORDER BY country;", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    private async Task<MemberRecord> ChangeAsync(string country, Func<MemberRecord?, MemberChange> decide, string actor, CancellationToken cancellationToken)
    {
        var (before, after, change, snapshot) = await database.WriteAsync<Outcome>(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var before = await FindAsync(connection, transaction, country, cancellationToken).ConfigureAwait(false);
            var change = decide(before);
            if (change.Event is null)
            {
                return new Outcome(before, before!, change, null);
            }

            var after = new MemberRecord(
                country,
                change.Status,
                change.Application,
                before?.RegisteredAt ?? now,
                now,
                before?.LastHeartbeat,
                change.Event is MemberRules.Suspended or MemberRules.Removed ? change.Reason : before?.StatusReason ?? string.Empty);
            await SaveAsync(connection, transaction, after, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO member_events (country, at, event, status, actor, reason) VALUES (@Country, @At, @Event, @Status, @Actor, @Reason);",
                new { Country = country, At = now, change.Event, Status = MemberStatusNames.Name(after.Status), Actor = actor, change.Reason },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var snapshot = change.ChangesSnapshot
                ? await snapshots.IssueNextAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false)
                : null;
            return new Outcome(before, after, change, snapshot);
        }, afterCommit: outcome =>
        {
            if (outcome.Snapshot is { } issued)
            {
                feed.Publish(issued);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (change.Event is not null)
        {
            LogChange(before, after, change.Event, actor, change.Reason);
        }

        if (snapshot is not null)
        {
            DirectoryLog.SnapshotIssued(logger, snapshot.Version, snapshot.Snapshot.Members.Count, snapshot.ExpiresAt);
        }

        return after;
    }

    private void LogChange(MemberRecord? before, MemberRecord after, string @event, string actor, string reason)
    {
        var status = MemberStatusNames.Name(after.Status);
        if (before is null)
        {
            DirectoryLog.MemberRegistered(logger, after.Country, actor, status);
        }
        else if (before.Status == after.Status)
        {
            DirectoryLog.ApplicationUpdated(logger, after.Country, actor, status);
        }
        else
        {
            DirectoryLog.MemberStatusChanged(logger, after.Country, MemberStatusNames.Name(before.Status), status, @event, actor, reason.Length == 0 ? "none given" : reason);
        }
    }

    private static async Task<MemberRecord?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string country, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            SelectMember + " WHERE country = @Country;", new { Country = country }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    private static Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, MemberRecord member, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO members (country, status, certificate_thumbprint, application, registered_at, updated_at, last_heartbeat, status_reason)
            VALUES (@Country, @Status, @Thumbprint, @Application, @RegisteredAt, @UpdatedAt, @LastHeartbeat, @StatusReason)
            ON CONFLICT (country) DO UPDATE SET
                status = excluded.status,
                certificate_thumbprint = excluded.certificate_thumbprint,
                application = excluded.application,
                updated_at = excluded.updated_at,
                status_reason = excluded.status_reason;
            """,
            new
            {
                member.Country,
                Status = MemberStatusNames.Name(member.Status),
                Thumbprint = member.Application.CertificateThumbprint,
                Application = Google.Protobuf.MessageExtensions.ToByteArray(member.Application),
                member.RegisteredAt,
                member.UpdatedAt,
                member.LastHeartbeat,
                member.StatusReason,
            },
            transaction, cancellationToken: cancellationToken));

    /// <summary>What a change did: the member before and after, the decision, and the snapshot it issued, if any.</summary>
    private sealed record Outcome(MemberRecord? Before, MemberRecord After, MemberChange Change, PublishedSnapshot? Snapshot);

    private sealed class MemberRow
    {
        public string Country { get; init; } = string.Empty;

        public string Status { get; init; } = string.Empty;

        public byte[] Application { get; init; } = [];

        public DateTimeOffset RegisteredAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public DateTimeOffset? LastHeartbeat { get; init; }

        public string StatusReason { get; init; } = string.Empty;

        public MemberRecord ToRecord() => new(
            Country,
            MemberStatusNames.Parse(Status),
            MemberApplication.Parser.ParseFrom(Application),
            RegisteredAt,
            UpdatedAt,
            LastHeartbeat,
            StatusReason);
    }
}
