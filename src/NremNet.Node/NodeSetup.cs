using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Users;
using NremNet.Hosting.Certificates;
using NremNet.Node.Audit;
using NremNet.Node.Statistics;
using NremNet.Node.Storage;
using NremNet.Node.Users;

namespace NremNet.Node;

/// <summary>
/// Setting a node up from its own host, before or beside the running node: the first admin, and demo accounts and
/// tokens for a local federation. Works on the node's data folder directly, with the node's own registrations of
/// storage, audit, users and statistics, and audits as <c>setup</c>.
/// </summary>
public sealed class NodeSetup
{
    private readonly NodeDatabase _database;
    private readonly UserStore _users;
    private readonly DataImporter _importer;
    private readonly Agreements _agreements;

    private NodeSetup(IServiceProvider services)
    {
        _database = services.GetRequiredService<NodeDatabase>();
        _users = services.GetRequiredService<UserStore>();
        _importer = services.GetRequiredService<DataImporter>();
        _agreements = services.GetRequiredService<Agreements>();
    }

    /// <summary>Opens a node's data folder (creating and migrating its database when needed) with the node's own key for the audit log.</summary>
    public static async Task<NodeSetup> OpenAsync(string dataDirectory, string certificateFile, string keyFile, CancellationToken cancellationToken)
    {
        var certificate = PemFiles.LoadWithKey(certificateFile, keyFile);
        var identity = NetworkIdentity.Read(certificate);
        if (identity.Role != NetworkRole.Node)
        {
            throw new InvalidOperationException($"The certificate {certificateFile} is not a node certificate.");
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<NodeOptions>().Configure(options =>
        {
            options.Country = identity.Country ?? string.Empty;
            options.DataDirectory = dataDirectory;
        });
        services.AddSingleton(new AuditKey(certificate));
        services.AddNodeStorage().AddAudit().AddUsers().AddStatistics();

        // Resolved once; the setup lives as long as the caller keeps it, like the node's own singletons.
        var setup = new NodeSetup(services.BuildServiceProvider());
        await setup._database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return setup;
    }

    /// <summary>Whether an account exists.</summary>
    public async Task<bool> UserExistsAsync(string username, CancellationToken cancellationToken) =>
        (await _users.ListAsync(cancellationToken).ConfigureAwait(false)).Any(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates an account; returns its password (the given one, or a generated one).</summary>
    /// <exception cref="Grpc.Core.RpcException">The name, roles or password are not acceptable, or the account exists; the message says why.</exception>
    public async Task<string> AddUserAsync(string username, string displayName, IEnumerable<string> roles, string? password, CancellationToken cancellationToken)
    {
        var parsed = roles.Select(r => UserRules.ParseRole(r) ?? throw new ArgumentException($"'{r}' is not a role; use rapporteur, referral_officer or admin.", nameof(roles))).ToList();
        try
        {
            var (_, generated) = await _users.AddAsync("setup", username, displayName, parsed, password, cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(password) ? generated! : password;
        }
        catch (UserRefusedException ex)
        {
            // Answered as the user API answers it, so the CLI reports it the same way whether it set up a node or asked one.
            throw UserRefusals.ToRpcException(ex);
        }
    }

    /// <summary>Creates a personal API token for an account; returns its secret.</summary>
    /// <exception cref="InvalidOperationException">There is no such account.</exception>
    /// <exception cref="Grpc.Core.RpcException">The lifetime is not acceptable; the message says why.</exception>
    public async Task<string> CreateTokenAsync(string username, string name, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var user = (await _users.ListAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"There is no user named '{username}'.");
        try
        {
            var (_, secret) = await _users.CreateTokenAsync(new UserPrincipal(user.Id, user.Username, user.RoleList, string.Empty), name, lifetime, cancellationToken).ConfigureAwait(false);
            return secret;
        }
        catch (UserRefusedException ex)
        {
            throw UserRefusals.ToRpcException(ex);
        }
    }

    /// <summary>
    /// Imports a CSV file of case records (<paramref name="caseRecords"/>) or published statistics, as <c>nremnet data
    /// import</c> does through the node: validated whole, stored in one transaction or not at all.
    /// </summary>
    /// <returns>(rows changed, rows unchanged).</returns>
    /// <exception cref="InvalidOperationException">The file has problems; the message names the first ones.</exception>
    public async Task<(int Changed, int Unchanged)> ImportDataAsync(string path, bool caseRecords, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(path);
        var result = await _importer.ImportAsync("setup", caseRecords ? DataKind.CaseRecords : DataKind.PublishedStatistics, Path.GetFileName(path), content, content.Length, null, cancellationToken).ConfigureAwait(false);
        if (!result.Imported)
        {
            throw new InvalidOperationException($"{path} has {result.ProblemCount} problems: {string.Join("; ", result.Problems.Take(5).Select(p => $"line {p.Line} {p.Column}: {p.Message}"))}");
        }

        return (result.Changed, result.Unchanged);
    }

    /// <summary>Sets the sharing agreement with a peer country (grants as indicator → dimensions, "*" for all).</summary>
    public Task SetAgreementAsync(string country, IEnumerable<(string Indicator, IEnumerable<string> Dimensions)> grants, string protection, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var agreement = new Agreement
        {
            Country = country,
            Reference = reference,
            Protection = protection switch
            {
                "perturbation" => Protection.CellKeyPerturbation,
                "dp" => Protection.DifferentialPrivacy,
                _ => Protection.Suppression,
            },
        };
        if (agreement.Protection == Protection.DifferentialPrivacy)
        {
            agreement.EpsilonPerYear = 5;
            agreement.EpsilonPerQuery = 0.5;
        }

        foreach (var (indicator, dimensions) in grants)
        {
            var grant = new Grant { Indicator = indicator };
            grant.Dimensions.Add(dimensions);
            agreement.Grants.Add(grant);
        }

        return _agreements.SetAsync("setup", agreement, cancellationToken);
    }

    /// <summary>The node's database file.</summary>
    public string DatabasePath => _database.Database.Path;
}
