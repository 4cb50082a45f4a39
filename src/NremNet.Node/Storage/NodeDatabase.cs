using NremNet.Hosting.Storage;

namespace NremNet.Node.Storage;

/// <summary>The node's SQLite database (<c>node.db</c> in its data folder) and its schema.</summary>
internal sealed class NodeDatabase(string dataDirectory)
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "users, tokens and the audit log", """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                roles TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                disabled_at TEXT,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT
            );
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT,
                last_used_at TEXT
            );
            CREATE INDEX tokens_by_user ON tokens(user_id);
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                details TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX audit_by_action ON audit_log(action, sequence);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sequence INTEGER NOT NULL,
                hash TEXT NOT NULL,
                signature BLOB NOT NULL
            );
            """),
    ];

    public SqliteDatabase Database { get; } = new(Path.Combine(dataDirectory, "node.db"));

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => Database.MigrateAsync(Migrations, cancellationToken);
}
