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
        new(2, "aggregate statistics: case records, published values, the protected cell store, agreements, privacy budget", """
            CREATE TABLE stat_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL,
                updated_at TEXT,
                synthetic INTEGER NOT NULL DEFAULT 0,
                threshold INTEGER NOT NULL,
                secret BLOB NOT NULL
            );
            CREATE TABLE case_records (
                record_id TEXT PRIMARY KEY,
                year INTEGER NOT NULL,
                row_hash TEXT NOT NULL,
                data TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX case_records_by_year ON case_records(year);
            CREATE TABLE published_values (
                indicator TEXT NOT NULL,
                year INTEGER NOT NULL,
                cell TEXT NOT NULL,
                value INTEGER,
                obs_status TEXT NOT NULL,
                PRIMARY KEY (indicator, year, cell)
            ) WITHOUT ROWID;
            CREATE TABLE stat_cells (
                indicator TEXT NOT NULL,
                signature TEXT NOT NULL,
                year INTEGER NOT NULL,
                cell TEXT NOT NULL,
                value INTEGER,
                obs_status TEXT NOT NULL,
                conf_status TEXT NOT NULL,
                cell_key INTEGER NOT NULL,
                from_case_records INTEGER NOT NULL,
                PRIMARY KEY (indicator, signature, year, cell)
            ) WITHOUT ROWID;
            CREATE TABLE stat_years (
                year INTEGER PRIMARY KEY,
                primary_withheld INTEGER NOT NULL,
                secondary_withheld INTEGER NOT NULL,
                unprotectable INTEGER NOT NULL,
                computed_at TEXT NOT NULL
            );
            CREATE TABLE agreements (
                country TEXT PRIMARY KEY,
                grants TEXT NOT NULL,
                protection INTEGER NOT NULL,
                epsilon_per_year REAL NOT NULL,
                epsilon_per_query REAL NOT NULL,
                valid_until TEXT,
                reference TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            );
            CREATE TABLE dp_ledger (
                id INTEGER PRIMARY KEY,
                country TEXT NOT NULL,
                budget_year INTEGER NOT NULL,
                epsilon REAL NOT NULL,
                query TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX dp_ledger_by_country ON dp_ledger(country, budget_year);
            CREATE TABLE dp_answers (
                country TEXT NOT NULL,
                query TEXT NOT NULL,
                data_version INTEGER NOT NULL,
                answer BLOB NOT NULL,
                PRIMARY KEY (country, query, data_version)
            ) WITHOUT ROWID;
            """),
        new(3, "transnational referrals: referrals, their events, the outbox, receipts given", """
            CREATE TABLE referrals (
                referral_id TEXT PRIMARY KEY,
                direction INTEGER NOT NULL,
                peer_country TEXT NOT NULL,
                sender_country TEXT NOT NULL,
                header BLOB NOT NULL,
                content BLOB,
                status INTEGER NOT NULL,
                purpose INTEGER NOT NULL,
                urgency INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                final_at TEXT,
                purge_at TEXT,
                purged_at TEXT,
                own_sequence INTEGER NOT NULL DEFAULT 0,
                peer_sequence INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX referrals_by_updated ON referrals(updated_at);
            CREATE INDEX referrals_to_purge ON referrals(purge_at) WHERE purged_at IS NULL AND purge_at IS NOT NULL;
            CREATE TABLE referral_events (
                message_id TEXT PRIMARY KEY,
                referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
                country TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                clock INTEGER NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind INTEGER NOT NULL,
                to_status INTEGER NOT NULL,
                reason TEXT NOT NULL,
                note_id TEXT,
                note BLOB,
                delivered_at TEXT,
                receipt BLOB,
                UNIQUE (referral_id, country, sequence)
            ) WITHOUT ROWID;
            CREATE TABLE referral_outbox (
                id INTEGER PRIMARY KEY,
                message_id TEXT NOT NULL UNIQUE,
                referral_id TEXT NOT NULL,
                peer_country TEXT NOT NULL,
                kind TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                message BLOB NOT NULL,
                created_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                next_attempt_at TEXT NOT NULL
            );
            CREATE INDEX referral_outbox_by_peer ON referral_outbox(peer_country, next_attempt_at);
            CREATE INDEX referral_outbox_by_referral ON referral_outbox(referral_id, sequence);
            CREATE TABLE referral_receipts (
                message_id TEXT PRIMARY KEY,
                referral_id TEXT NOT NULL,
                from_country TEXT NOT NULL,
                digest BLOB NOT NULL,
                received_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        new(4, "good practices and network questions: signed document versions, the change feed and its epoch, peers' cursors, attachments", """
            CREATE TABLE doc_feed (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                epoch TEXT NOT NULL,
                started_at TEXT NOT NULL
            );
            INSERT INTO doc_feed (id, epoch, started_at) VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            CREATE TABLE doc_versions (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                document_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                owner_country TEXT NOT NULL,
                kind INTEGER NOT NULL,
                state INTEGER NOT NULL,
                signed_at TEXT NOT NULL,
                reason TEXT NOT NULL,
                subject_id TEXT NOT NULL,
                digest TEXT NOT NULL,
                signed BLOB,
                stored_at TEXT NOT NULL,
                received_from TEXT NOT NULL,
                UNIQUE (document_id, version)
            );
            CREATE TABLE documents (
                document_id TEXT PRIMARY KEY,
                owner_country TEXT NOT NULL,
                kind INTEGER NOT NULL,
                version INTEGER NOT NULL,
                state INTEGER NOT NULL,
                subject_id TEXT NOT NULL,
                title TEXT NOT NULL,
                deadline TEXT,
                signed_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX documents_by_kind ON documents(kind, signed_at);
            CREATE INDEX documents_by_subject ON documents(subject_id) WHERE subject_id <> '';
            CREATE TABLE doc_peers (
                country TEXT PRIMARY KEY,
                epoch TEXT NOT NULL DEFAULT '',
                cursor INTEGER NOT NULL DEFAULT 0,
                latest_known INTEGER NOT NULL DEFAULT 0,
                last_success TEXT,
                last_attempt TEXT,
                last_error TEXT NOT NULL DEFAULT '',
                refused INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE TABLE doc_attachments (
                sha256 TEXT NOT NULL UNIQUE,
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                content BLOB NOT NULL,
                stored_at TEXT NOT NULL
            );
            CREATE TABLE doc_attachment_refs (
                sha256 TEXT NOT NULL,
                document_id TEXT NOT NULL,
                PRIMARY KEY (sha256, document_id)
            ) WITHOUT ROWID;
            CREATE INDEX doc_attachment_refs_by_document ON doc_attachment_refs(document_id);
            """),
        new(5, "the practice search index: indexed documents, their texts and facets (the FTS5 table of each language comes with its first text)", Practices.Search.PracticeSearchSchema.Sql),
        new(6, "web console sessions: one row per login, its secret stored as a hash, ended by logout, idleness, age or a disabled account", """
            CREATE TABLE console_sessions (
                id TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                secret_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                previous_visit_at TEXT,
                ended_at TEXT,
                end_reason TEXT,
                peer TEXT NOT NULL
            );
            CREATE INDEX console_sessions_by_user ON console_sessions(user_id, last_seen_at);
            """),
    ];

    public SqliteDatabase Database { get; } = new(Path.Combine(dataDirectory, "node.db"));

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => Database.MigrateAsync(Migrations, cancellationToken);
}
