using NremNet.Domain.Pki;
using NremNet.Domain.Users;
using NremNet.Hosting.Certificates;
using NremNet.Node.Audit;
using NremNet.Node.Storage;
using NremNet.Node.Users;

namespace NremNet.Node;

/// <summary>
/// Setting a node up from its own host, before or beside the running node: the first admin, and demo accounts and
/// tokens for a local federation. Works on the node's data folder directly and audits as <c>setup</c>.
/// </summary>
public sealed class NodeSetup
{
    private readonly NodeDatabase _database;
    private readonly UserStore _users;

    private NodeSetup(NodeDatabase database, UserStore users)
    {
        _database = database;
        _users = users;
    }

    /// <summary>Opens a node's data folder (creating and migrating its database when needed) with the node's own key for the audit log.</summary>
    public static async Task<NodeSetup> OpenAsync(string dataDirectory, string certificateFile, string keyFile, CancellationToken cancellationToken)
    {
        var certificate = PemFiles.LoadWithKey(certificateFile, keyFile);
        if (NetworkIdentity.Read(certificate).Role != NetworkRole.Node)
        {
            throw new InvalidOperationException($"The certificate {certificateFile} is not a node certificate.");
        }

        var database = new NodeDatabase(dataDirectory);
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var time = TimeProvider.System;
        return new NodeSetup(database, new UserStore(database, new AuditLog(database, certificate, time), time));
    }

    /// <summary>Whether an account exists.</summary>
    public async Task<bool> UserExistsAsync(string username, CancellationToken cancellationToken) =>
        (await _users.ListAsync(cancellationToken).ConfigureAwait(false)).Any(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates an account; returns its password (the given one, or a generated one).</summary>
    /// <exception cref="Rpc.RpcException">The name, roles or password are not acceptable, or the account exists; the message says why.</exception>
    public async Task<string> AddUserAsync(string username, string displayName, IEnumerable<string> roles, string? password, CancellationToken cancellationToken)
    {
        var parsed = roles.Select(r => UserRules.ParseRole(r) ?? throw new ArgumentException($"'{r}' is not a role; use rapporteur, referral_officer or admin.", nameof(roles))).ToList();
        var (_, generated) = await _users.AddAsync("setup", username, displayName, parsed, password, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(password) ? generated! : password;
    }

    /// <summary>Creates a personal API token for an account; returns its secret.</summary>
    public async Task<string> CreateTokenAsync(string username, string name, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var user = (await _users.ListAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"There is no user named '{username}'.");
        var (_, secret) = await _users.CreateTokenAsync(new UserPrincipal(user.Id, user.Username, user.RoleList, string.Empty), name, lifetime, cancellationToken).ConfigureAwait(false);
        return secret;
    }

    /// <summary>The node's database file.</summary>
    public string DatabasePath => _database.Database.Path;
}
