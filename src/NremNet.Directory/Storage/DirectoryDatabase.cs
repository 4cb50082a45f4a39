using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Storage;

namespace NremNet.Directory.Storage;

/// <summary>
/// The directory's SQLite file (<c>directory.db</c> in the data folder) and its schema. Writes go one at a time, each in
/// one transaction, so snapshot versions are issued in order and a membership change, its history record and the
/// snapshot it causes are stored together or not at all.
/// </summary>
internal sealed class DirectoryDatabase : IDisposable
{
    /// <summary>The database file's name in the data folder.</summary>
    public const string FileName = "directory.db";

    private static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "members, their history and the signed snapshots", """
            CREATE TABLE members (
                country                TEXT PRIMARY KEY NOT NULL,
                status                 TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'REMOVED')),
                certificate_thumbprint TEXT NOT NULL,
                application            BLOB NOT NULL,   -- nremnet.directory.v1.MemberApplication, protobuf
                registered_at          TEXT NOT NULL,
                updated_at             TEXT NOT NULL,
                last_heartbeat         TEXT NULL,
                status_reason          TEXT NOT NULL DEFAULT ''
            );

            CREATE TABLE member_events (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                country TEXT NOT NULL REFERENCES members (country),
                at      TEXT NOT NULL,
                event   TEXT NOT NULL,
                status  TEXT NOT NULL,                  -- the member's status after the event
                actor   TEXT NOT NULL,
                reason  TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX member_events_by_country ON member_events (country, id);

            CREATE TABLE snapshots (
                version           INTEGER PRIMARY KEY NOT NULL,
                issued_at         TEXT NOT NULL,
                expires_at        TEXT NOT NULL,
                member_count      INTEGER NOT NULL,
                signer_thumbprint TEXT NOT NULL,
                signed            BLOB NOT NULL         -- nremnet.directory.v1.SignedSnapshot, protobuf
            );
            """),
    ];

    private readonly SemaphoreSlim _writer = new(1, 1);

    public DirectoryDatabase(IOptions<DirectoryOptions> options)
    {
        Sqlite = new SqliteDatabase(Path.Combine(options.Value.DataDirectory, FileName));
    }

    /// <summary>The database file.</summary>
    public SqliteDatabase Sqlite { get; }

    /// <summary>Brings the schema up to date; returns the versions applied now.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => Sqlite.MigrateAsync(Migrations, cancellationToken);

    /// <summary>An open connection for reading.</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => Sqlite.OpenAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, after every other write has finished, then
    /// <paramref name="afterCommit"/> with its result before the next write may begin — so what is published after a
    /// commit is published in commit order.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, Action<T>? afterCommit, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await Sqlite.InTransactionAsync(work, cancellationToken).ConfigureAwait(false);
            afterCommit?.Invoke(result);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();
}
