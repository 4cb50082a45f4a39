using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;
using NremNet.Node.Audit;
using NremNet.Node.Storage;

namespace NremNet.Node.Users;

/// <summary>A local account as the node stores it.</summary>
internal sealed record NodeUser
{
    public long Id { get; init; }

    public string Username { get; init; } = string.Empty;

    public string DisplayName { get; init; } = string.Empty;

    public string PasswordHash { get; init; } = string.Empty;

    public string Roles { get; init; } = string.Empty;

    public bool Disabled { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public long FailedLogins { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public IReadOnlyList<Role> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(UserRules.ParseRole).OfType<Role>().ToList();
}

/// <summary>A token as the node stores it.</summary>
internal sealed record NodeToken
{
    public string Id { get; init; } = string.Empty;

    public long UserId { get; init; }

    public string Name { get; init; } = string.Empty;

    public string SecretHash { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>Who a call acts for, once its token is checked.</summary>
internal sealed record UserPrincipal(long UserId, string Username, IReadOnlyList<Role> Roles, string TokenId)
{
    public string Actor => "user:" + Username;

    public bool Has(Role role) => Roles.Contains(role);
}

/// <summary>A web console session as its cookie opens it: who, with which roles, since and until when, and when they last came before it.</summary>
internal sealed record ConsoleSession(string Id, long UserId, string Username, string DisplayName, IReadOnlyList<Role> Roles, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? PreviousVisitAt);

/// <summary>
/// Local accounts, their personal API tokens and their web console sessions. Passwords are hashed with ASP.NET Core
/// Identity's hasher; tokens and session secrets are stored as hashes only. Every change is audited in the same
/// transaction. A request the rules refuse throws <see cref="UserRefusedException"/>.
/// </summary>
internal sealed class UserStore(NodeDatabase database, AuditLog audit, TimeProvider time)
{
    /// <summary>Failed logins in a row before an account is locked.</summary>
    public const int LockoutThreshold = 10;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaximumTokenLifetime = TimeSpan.FromDays(365);

    private static readonly PasswordHasher<NodeUser> Hasher = new();

    private const string UserColumns = "id AS Id, username AS Username, display_name AS DisplayName, password_hash AS PasswordHash, roles AS Roles, disabled AS Disabled, created_at AS CreatedAt, failed_logins AS FailedLogins, locked_until AS LockedUntil";
    private const string TokenColumns = "id AS Id, user_id AS UserId, name AS Name, secret_hash AS SecretHash, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt, last_used_at AS LastUsedAt";

    /// <summary>Creates an account; returns it, and the password generated when none was given.</summary>
    /// <exception cref="UserRefusedException">Invalid: the name, roles or password; AlreadyExists: the name is taken.</exception>
    public async Task<(NodeUser User, string? GeneratedPassword)> AddAsync(string actor, string username, string displayName, IReadOnlyCollection<Role> roles, string? password, CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        problems.AddRange(UserRules.CheckUsername(username).Select(p => ("username", p)));
        if (roles.Count == 0 || roles.Any(r => r == Role.Unspecified))
        {
            problems.Add(("roles", "at least one of rapporteur, referral_officer, admin is required"));
        }

        var generated = string.IsNullOrEmpty(password) ? UserRules.GeneratePassword() : null;
        var effective = string.IsNullOrEmpty(password) ? generated! : password;
        problems.AddRange(UserRules.CheckPassword(effective, username).Select(p => ("password", p)));
        if (problems.Count > 0)
        {
            throw new UserRefusedException(UserRefusalKind.Invalid, "The new account", problems);
        }

        var now = time.GetUtcNow();
        var roleText = string.Join(',', roles.Distinct().Select(UserRules.Name));
        var user = await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var exists = await connection.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM users WHERE username = @username", new { username }, transaction, cancellationToken)).ConfigureAwait(false);
            if (exists > 0)
            {
                throw new UserRefusedException(UserRefusalKind.AlreadyExists, $"A user named '{username}' already exists.");
            }

            var draft = new NodeUser { Username = username, DisplayName = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim(), Roles = roleText, CreatedAt = now };
            var hash = Hasher.HashPassword(draft, effective);
            var id = await connection.ExecuteScalarAsync<long>(Command(
                "INSERT INTO users (username, display_name, password_hash, roles, created_at) VALUES (@Username, @DisplayName, @hash, @Roles, @CreatedAt) RETURNING id",
                new { draft.Username, draft.DisplayName, hash, draft.Roles, draft.CreatedAt },
                transaction,
                cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, actor, "user.add", username, "ok", new { roles = roleText }, cancellationToken).ConfigureAwait(false);
            return draft with { Id = id, PasswordHash = hash };
        }, cancellationToken).ConfigureAwait(false);
        return (user, generated);
    }

    /// <summary>Every account, by name.</summary>
    public async Task<IReadOnlyList<NodeUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NodeUser>(Command($"SELECT {UserColumns} FROM users ORDER BY username", null, null, cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Disables an account and revokes its tokens.</summary>
    /// <exception cref="UserRefusedException">NotFound: no such account.</exception>
    public Task<(NodeUser User, int RevokedTokens)> DisableAsync(string actor, string username, string reason, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var user = await FindAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            await connection.ExecuteAsync(Command("UPDATE users SET disabled = 1, disabled_at = @now WHERE id = @Id", new { now, user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            var revoked = await connection.ExecuteAsync(Command("UPDATE tokens SET revoked_at = @now WHERE user_id = @Id AND revoked_at IS NULL", new { now, user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            var ended = await connection.ExecuteAsync(Command(
                "UPDATE console_sessions SET ended_at = @now, end_reason = 'account disabled' WHERE user_id = @Id AND ended_at IS NULL", new { now, user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, actor, "user.disable", user.Username, "ok", new { reason, revokedTokens = revoked, endedConsoleSessions = ended }, cancellationToken).ConfigureAwait(false);
            return (user with { Disabled = true }, revoked);
        }, cancellationToken);

    /// <summary>Enables an account again, and unlocks it.</summary>
    /// <exception cref="UserRefusedException">NotFound: no such account.</exception>
    public Task<NodeUser> EnableAsync(string actor, string username, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var user = await FindAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(Command("UPDATE users SET disabled = 0, disabled_at = NULL, failed_logins = 0, locked_until = NULL WHERE id = @Id", new { user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, actor, "user.enable", user.Username, "ok", null, cancellationToken).ConfigureAwait(false);
            return user with { Disabled = false };
        }, cancellationToken);

    /// <summary>Checks a password and, when right, creates a token. Wrong, disabled and locked all look alike to the caller.</summary>
    /// <exception cref="UserRefusedException">LoginRefused: the login is refused (and counted, and audited); Invalid: the token lifetime.</exception>
    public async Task<(NodeUser User, NodeToken Token, string Secret)> LoginAsync(string username, string password, string tokenName, TimeSpan lifetime, string peer, CancellationToken cancellationToken)
    {
        // A refusal still commits: the failure counter and the audit entry must be kept.
        var result = await database.Database.InTransactionAsync<(NodeUser, NodeToken, string)?>(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var user = await CheckPasswordAsync(connection, transaction, "session.login", username, password, peer, now, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return null;
            }

            var (token, secret) = await InsertTokenAsync(connection, transaction, user, tokenName, lifetime, now, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, "user:" + user.Username, "session.login", user.Username, "ok", new { token = token.Id, peer }, cancellationToken).ConfigureAwait(false);
            return (user, token, secret);
        }, cancellationToken).ConfigureAwait(false);
        return result ?? throw LoginRefused();
    }

    /// <summary>
    /// Checks a password as <see cref="LoginAsync"/> does (the same lockout, the same refusal whatever the reason) and, when
    /// right, opens a web console session: a secret for the session cookie, good until <paramref name="lifetime"/> after
    /// now unless it is ended or left idle first (<see cref="ResumeConsoleSessionAsync"/>). It is no API token: the user
    /// API does not take it, and tokens do not open the console.
    /// </summary>
    /// <exception cref="UserRefusedException">LoginRefused: the login is refused (and counted, and audited).</exception>
    public async Task<(ConsoleSession Session, string Secret)> OpenConsoleSessionAsync(string username, string password, TimeSpan lifetime, string peer, CancellationToken cancellationToken)
    {
        var result = await database.Database.InTransactionAsync<(ConsoleSession, string)?>(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var user = await CheckPasswordAsync(connection, transaction, "console.login", username, password, peer, now, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return null;
            }

            var previous = await connection.ExecuteScalarAsync<string?>(Command(
                "SELECT last_seen_at FROM console_sessions WHERE user_id = @Id ORDER BY last_seen_at DESC LIMIT 1", new { user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            var (id, secret, hash) = ConsoleSessionSecrets.Create();
            var session = new ConsoleSession(id, user.Id, user.Username, user.DisplayName, user.RoleList, now, now + lifetime, previous is null ? null : DateTimeOffset.Parse(previous, CultureInfo.InvariantCulture));
            await connection.ExecuteAsync(Command(
                "INSERT INTO console_sessions (id, user_id, secret_hash, created_at, last_seen_at, expires_at, previous_visit_at, peer) VALUES (@id, @UserId, @hash, @now, @now, @ExpiresAt, @PreviousVisitAt, @peer)",
                new { id, session.UserId, hash, now, session.ExpiresAt, session.PreviousVisitAt, peer },
                transaction,
                cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, "user:" + user.Username, "console.login", user.Username, "ok", new { session = id, peer }, cancellationToken).ConfigureAwait(false);
            return (session, secret);
        }, cancellationToken).ConfigureAwait(false);
        return result ?? throw LoginRefused();
    }

    /// <summary>
    /// The console session a cookie's secret stands for, checked on every request: not ended (logout, disabled account),
    /// not idle for <paramref name="idleTimeout"/>, not past its lifetime, its account enabled. A session found expired
    /// or disabled is ended here. A live one is kept alive (its last use, to the minute).
    /// </summary>
    public async Task<(ConsoleSession? Session, string Problem)> ResumeConsoleSessionAsync(string? secret, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var id = ConsoleSessionSecrets.IdOf(secret);
        if (id is null)
        {
            return (null, "the cookie is not a console session");
        }

        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SessionOwner>(Command(
            """
            SELECT s.secret_hash AS SecretHash, s.created_at AS CreatedAt, s.last_seen_at AS LastSeenAt, s.expires_at AS ExpiresAt, s.previous_visit_at AS PreviousVisitAt,
                   s.ended_at AS EndedAt, u.id AS UserId, u.username AS Username, u.display_name AS DisplayName, u.roles AS Roles, u.disabled AS Disabled
            FROM console_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = @id
            """,
            new { id },
            null,
            cancellationToken)).ConfigureAwait(false);
        if (row is null || !ApiTokens.Matches(secret!, row.SecretHash))
        {
            return (null, "the session is not known to this node");
        }

        if (row.EndedAt is not null)
        {
            return (null, "the session has ended");
        }

        var now = time.GetUtcNow();
        var ending = row.Disabled ? "account disabled" : row.ExpiresAt <= now ? "expired" : row.LastSeenAt + idleTimeout <= now ? "idle" : null;
        if (ending is not null)
        {
            await connection.ExecuteAsync(Command("UPDATE console_sessions SET ended_at = @now, end_reason = @ending WHERE id = @id AND ended_at IS NULL", new { now, ending, id }, null, cancellationToken)).ConfigureAwait(false);
            return (null, $"the session ended ({ending})");
        }

        // Last use is kept to the minute, so a busy page does not write on every request.
        if (row.LastSeenAt < now.AddMinutes(-1))
        {
            await connection.ExecuteAsync(Command("UPDATE console_sessions SET last_seen_at = @now WHERE id = @id", new { now, id }, null, cancellationToken)).ConfigureAwait(false);
        }

        var roles = row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(UserRules.ParseRole).OfType<Role>().ToList();
        return (new ConsoleSession(id, row.UserId, row.Username, row.DisplayName, roles, row.CreatedAt, row.ExpiresAt, row.PreviousVisitAt), string.Empty);
    }

    /// <summary>Ends a console session (logging out); ending it again changes nothing.</summary>
    public Task EndConsoleSessionAsync(string sessionId, string username, string peer, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var ended = await connection.ExecuteAsync(Command(
                "UPDATE console_sessions SET ended_at = @now, end_reason = 'logout' WHERE id = @sessionId AND ended_at IS NULL", new { now, sessionId }, transaction, cancellationToken)).ConfigureAwait(false);
            if (ended > 0)
            {
                await audit.AppendAsync(connection, transaction, "user:" + username, "console.logout", username, "ok", new { session = sessionId, peer }, cancellationToken).ConfigureAwait(false);
            }

            return ended;
        }, cancellationToken);

    /// <summary>
    /// The account a name and password open, or null — counting a wrong password towards the lockout and auditing the
    /// refusal as <paramref name="action"/>, with the reason, which the caller never sees. A success resets the count.
    /// </summary>
    private async Task<NodeUser?> CheckPasswordAsync(SqliteConnection connection, SqliteTransaction transaction, string action, string username, string password, string peer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await connection.QuerySingleOrDefaultAsync<NodeUser>(Command($"SELECT {UserColumns} FROM users WHERE username = @username", new { username }, transaction, cancellationToken)).ConfigureAwait(false);
        string? refusal = null;
        if (user is null)
        {
            refusal = "no such user";
        }
        else if (user.Disabled)
        {
            refusal = "account disabled";
        }
        else if (user.LockedUntil > now)
        {
            refusal = $"account locked until {user.LockedUntil:u}";
        }
        else if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedLogins + 1;
            var lockUntil = failures >= LockoutThreshold ? now + LockoutDuration : (DateTimeOffset?)null;
            await connection.ExecuteAsync(Command("UPDATE users SET failed_logins = @failures, locked_until = @lockUntil WHERE id = @Id", new { failures, lockUntil, user.Id }, transaction, cancellationToken)).ConfigureAwait(false);
            refusal = lockUntil is null ? $"wrong password ({failures} in a row)" : $"wrong password ({failures} in a row); account locked until {lockUntil:u}";
        }

        if (refusal is not null)
        {
            await audit.AppendAsync(connection, transaction, "anonymous", action, username, "denied", new { reason = refusal, peer }, cancellationToken).ConfigureAwait(false);
            return null;
        }

        await connection.ExecuteAsync(Command("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id", new { user!.Id }, transaction, cancellationToken)).ConfigureAwait(false);
        return user;
    }

    private static UserRefusedException LoginRefused() =>
        new(UserRefusalKind.LoginRefused, "Wrong user name or password, or the account is disabled or locked.");

    /// <summary>Creates a personal API token for the caller; returns it and its secret (shown once).</summary>
    /// <exception cref="UserRefusedException">Invalid: the lifetime; NotFound: the caller's account is gone.</exception>
    public Task<(NodeToken Token, string Secret)> CreateTokenAsync(UserPrincipal principal, string name, TimeSpan lifetime, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var user = await FindAsync(connection, transaction, principal.Username, cancellationToken).ConfigureAwait(false);
            var result = await InsertTokenAsync(connection, transaction, user, name, lifetime, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, principal.Actor, "token.create", result.Token.Id, "ok", new { name }, cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>An account's tokens, newest first.</summary>
    public async Task<IReadOnlyList<NodeToken>> ListTokensAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NodeToken>(Command($"SELECT {TokenColumns} FROM tokens WHERE user_id = @userId ORDER BY created_at DESC", new { userId }, null, cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Revokes one of the caller's tokens (revoking it again changes nothing).</summary>
    /// <exception cref="UserRefusedException">NotFound: the caller has no such token.</exception>
    public Task<NodeToken> RevokeTokenAsync(UserPrincipal principal, string tokenId, CancellationToken cancellationToken) =>
        database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var token = await connection.QuerySingleOrDefaultAsync<NodeToken>(Command($"SELECT {TokenColumns} FROM tokens WHERE id = @tokenId AND user_id = @UserId", new { tokenId, principal.UserId }, transaction, cancellationToken)).ConfigureAwait(false)
                ?? throw new UserRefusedException(UserRefusalKind.NotFound, $"You have no token '{tokenId}'; 'nremnet token list' shows yours.");
            var now = time.GetUtcNow();
            if (token.RevokedAt is null)
            {
                await connection.ExecuteAsync(Command("UPDATE tokens SET revoked_at = @now WHERE id = @tokenId", new { now, tokenId }, transaction, cancellationToken)).ConfigureAwait(false);
                await audit.AppendAsync(connection, transaction, principal.Actor, "token.revoke", tokenId, "ok", null, cancellationToken).ConfigureAwait(false);
            }

            return token with { RevokedAt = token.RevokedAt ?? now };
        }, cancellationToken);

    /// <summary>The principal a presented token stands for, or null when it is unknown, wrong, expired, revoked, or its user is disabled.</summary>
    public async Task<(UserPrincipal? Principal, string Problem)> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        var id = ApiTokens.IdOf(secret);
        if (id is null)
        {
            return (null, "the token is not an NremNet token (nrn_...)");
        }

        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var token = await connection.QuerySingleOrDefaultAsync<TokenOwner>(Command(
            """
            SELECT t.secret_hash AS SecretHash, t.expires_at AS ExpiresAt, t.revoked_at AS RevokedAt, t.last_used_at AS LastUsedAt, u.id AS UserId, u.username AS Username, u.roles AS Roles, u.disabled AS Disabled
            FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = @id
            """,
            new { id },
            null,
            cancellationToken)).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (token is null || !ApiTokens.Matches(secret!, token.SecretHash))
        {
            return (null, "the token is not known to this node");
        }

        if (token.RevokedAt is not null)
        {
            return (null, "the token was revoked");
        }

        if (token.ExpiresAt <= now)
        {
            return (null, $"the token expired at {token.ExpiresAt:u}");
        }

        if (token.Disabled)
        {
            return (null, "the account is disabled");
        }

        // Last use is kept to the minute, so busy clients do not write on every call.
        if (token.LastUsedAt is null || token.LastUsedAt < now.AddMinutes(-1))
        {
            await connection.ExecuteAsync(Command("UPDATE tokens SET last_used_at = @now WHERE id = @id", new { now, id }, null, cancellationToken)).ConfigureAwait(false);
        }

        var roles = token.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(UserRules.ParseRole).OfType<Role>().ToList();
        return (new UserPrincipal(token.UserId, token.Username, roles, id!), string.Empty);
    }

    private static async Task<(NodeToken Token, string Secret)> InsertTokenAsync(
        SqliteConnection connection, SqliteTransaction transaction, NodeUser user, string name, TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaximumTokenLifetime)
        {
            throw new UserRefusedException(UserRefusalKind.Invalid, $"A token may live from a minute to {MaximumTokenLifetime.Days} days; {lifetime} was asked.");
        }

        var (id, secret, hash) = ApiTokens.Create();
        var token = new NodeToken { Id = id, UserId = user.Id, Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(), SecretHash = hash, CreatedAt = now, ExpiresAt = now + lifetime };
        await connection.ExecuteAsync(Command(
            "INSERT INTO tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES (@Id, @UserId, @Name, @SecretHash, @CreatedAt, @ExpiresAt)",
            token,
            transaction,
            cancellationToken)).ConfigureAwait(false);
        return (token, secret);
    }

    private sealed record TokenOwner
    {
        public string SecretHash { get; init; } = string.Empty;

        public DateTimeOffset ExpiresAt { get; init; }

        public DateTimeOffset? RevokedAt { get; init; }

        public DateTimeOffset? LastUsedAt { get; init; }

        public long UserId { get; init; }

        public string Username { get; init; } = string.Empty;

        public string Roles { get; init; } = string.Empty;

        public bool Disabled { get; init; }
    }

    private sealed record SessionOwner
    {
        public string SecretHash { get; init; } = string.Empty;

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset LastSeenAt { get; init; }

        public DateTimeOffset ExpiresAt { get; init; }

        public DateTimeOffset? PreviousVisitAt { get; init; }

        public DateTimeOffset? EndedAt { get; init; }

        public long UserId { get; init; }

        public string Username { get; init; } = string.Empty;

        public string DisplayName { get; init; } = string.Empty;

        public string Roles { get; init; } = string.Empty;

        public bool Disabled { get; init; }
    }

    private static async Task<NodeUser> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string username, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<NodeUser>(Command($"SELECT {UserColumns} FROM users WHERE username = @username", new { username }, transaction, cancellationToken)).ConfigureAwait(false)
        ?? throw new UserRefusedException(UserRefusalKind.NotFound, $"There is no user named '{username}'; 'nremnet user list' shows them.");

    private static CommandDefinition Command(string sql, object? parameters, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
