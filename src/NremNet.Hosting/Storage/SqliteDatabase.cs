using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace NremNet.Hosting.Storage;

/// <summary>One step of a database schema, applied once, in order, in its own transaction.</summary>
/// <param name="Version">Its number, from 1, without gaps.</param>
/// <param name="Name">What it does, for logs.</param>
/// <param name="Sql">The statements.</param>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// A SQLite database file: WAL journal, foreign keys on, a busy timeout, and a schema brought up to date by
/// <see cref="MigrateAsync"/> (the version is kept in <c>PRAGMA user_version</c>).
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>
    /// The database whose transaction the current flow runs in, if any. A transaction begun inside another of the same
    /// database skips the turn (waiting for itself would never end); SQLite's own lock then refuses it after the busy
    /// timeout, as it always did.
    /// </summary>
    private static readonly AsyncLocal<SqliteDatabase?> Writing = new();

    private readonly SemaphoreSlim _writer = new(1, 1);

    static SqliteDatabase()
    {
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    /// <summary>A database at <paramref name="path"/>; the file and its folder are created on first use.</summary>
    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>An open connection with the session settings applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // A small page cache per pooled connection: a node is mostly idle, and the default (2 MB each) adds up. Deleted
        // content is overwritten with zeros (secure_delete): purged personal data and erased documents do not linger in
        // free pages of the file.
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -512;").ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: all of it is stored, or none. Transactions of this process take
    /// turns on an asynchronous lock before SQLite's: waiting there costs no thread and ends the moment the one before
    /// commits, where SQLite's busy handler sleeps in growing steps and gives up after the busy timeout. (Other
    /// processes on the same file still meet SQLite's lock.)
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var nested = ReferenceEquals(Writing.Value, this);
        if (!nested)
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            Writing.Value = this;
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (!nested)
            {
                _writer.Release();
            }
        }
    }

    /// <summary>Brings the schema up to date; returns the versions applied now.</summary>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this software knows, or the migrations are not numbered 1..n.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration '{migrations[i].Name}' has version {migrations[i].Version}; migrations must be numbered 1, 2, 3 ... in order.");
            }
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var journal = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Database '{Path}' could not switch to WAL (journal mode is '{journal}'); check that its folder is writable.");
        }

        var current = await connection.ExecuteScalarAsync<int>("PRAGMA user_version;").ConfigureAwait(false);
        if (current > migrations.Count)
        {
            throw new InvalidOperationException($"Database '{Path}' has schema version {current}, newer than this software knows ({migrations.Count}). Run a newer version, or restore a backup made by this one.");
        }

        var applied = new List<int>();
        foreach (var migration in migrations.Skip(current))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync($"PRAGMA user_version = {migration.Version};", transaction: transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        return applied;
    }

    /// <summary>Checks that the database can be written now, for health reporting.</summary>
    public async Task<(bool Writable, string Reason)> CheckWritableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS health_probe (x INTEGER); INSERT INTO health_probe VALUES (1);", transaction: transaction).ConfigureAwait(false);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var free = new DriveInfo(System.IO.Path.GetPathRoot(Path)!).AvailableFreeSpace;
            return free < 64L * 1024 * 1024
                ? (false, $"only {free / (1024 * 1024)} MB free on the disk holding {Path}")
                : (true, $"{Path} is writable");
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            return (false, $"{Path} cannot be written: {ex.Message}");
        }
    }

    /// <summary>Stores times as ISO 8601 UTC text, which sorts and reads well.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => DateTimeOffset.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
