using System.Collections.Frozen;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Node.Users;

/// <summary>
/// Who may call the user API: one authorization policy per group of roles, declared on each method of each user-API
/// service (<c>[Authorize(Policy = UserApiAccess.Admin)]</c>, or <c>[AllowAnonymous]</c>), enforced by ASP.NET Core's
/// authorization before the method runs. The node refuses to start when a user-API method declares no rule, so nobody
/// could call it, or names a policy that is not one of these. The web console's pages declare the same policies
/// (<c>@attribute [Authorize(Policy = UserApiAccess.Admin)]</c>): each policy admits a token for gRPC methods and a
/// console session cookie for pages, each scheme at its own door only (<see cref="UserDoors"/>).
/// </summary>
internal static class UserApiAccess
{
    /// <summary>Any of the node's people, whatever their role.</summary>
    public const string AnyRole = "any-role";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Rapporteurs only.</summary>
    public const string Rapporteur = "rapporteur";

    /// <summary>Referral officers only: referrals carry the most sensitive personal data of the network.</summary>
    public const string ReferralOfficer = "referral-officer";

    /// <summary>Rapporteurs and admins.</summary>
    public const string RapporteurOrAdmin = "rapporteur-or-admin";

    /// <summary>Referral officers and admins.</summary>
    public const string ReferralOfficerOrAdmin = "referral-officer-or-admin";

    /// <summary>Each policy and the roles it admits (any one of them).</summary>
    public static readonly FrozenDictionary<string, IReadOnlyList<Role>> Policies = new Dictionary<string, IReadOnlyList<Role>>(StringComparer.Ordinal)
    {
        [AnyRole] = [Role.Rapporteur, Role.ReferralOfficer, Role.Admin],
        [Admin] = [Role.Admin],
        [Rapporteur] = [Role.Rapporteur],
        [ReferralOfficer] = [Role.ReferralOfficer],
        [RapporteurOrAdmin] = [Role.Rapporteur, Role.Admin],
        [ReferralOfficerOrAdmin] = [Role.ReferralOfficer, Role.Admin],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Adds every policy: an authenticated caller with one of its roles — by the <see cref="UserTokenAuthentication"/>
    /// scheme on a gRPC method, by the <see cref="ConsoleSessionAuthentication"/> scheme on a console page.
    /// </summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, roles) in Policies)
        {
            options.AddPolicy(name, policy => policy
                .AddAuthenticationSchemes(UserTokenAuthentication.SchemeName, ConsoleSessionAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(roles.Select(UserRules.Name)));
        }
    }

    /// <summary>
    /// The rule each gRPC method among <paramref name="endpoints"/> declares: the roles that may call it (empty: anyone),
    /// or null when it declares none or names an unknown policy. Keyed by method path (<c>/package.Service/Method</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Role>?> Rules(IEnumerable<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var rules = new Dictionary<string, IReadOnlyList<Role>?>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
            {
                rules[grpc.Method.FullName] = RuleOf(endpoint.Metadata);
            }
        }

        return rules;
    }

    /// <summary>Throws when a user-API method among <paramref name="endpoints"/> has no rule, naming every such method.</summary>
    /// <exception cref="InvalidOperationException">Some methods have no rule; the message names them.</exception>
    public static void EnsureCovered(IEnumerable<Endpoint> endpoints)
    {
        var missing = Rules(endpoints).Where(r => r.Value is null).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"These user API methods have no role rule, so nobody could call them: {string.Join(", ", missing)}. " +
                $"Declare [Authorize(Policy = UserApiAccess.<policy>)] or [AllowAnonymous] on their implementation; the policies are {string.Join(", ", Policies.Keys.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>As ASP.NET Core's authorization reads the metadata: anonymous wins; otherwise every policy named must admit the caller.</summary>
    private static IReadOnlyList<Role>? RuleOf(EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return [];
        }

        var declared = metadata.GetOrderedMetadata<IAuthorizeData>();
        if (declared.Count == 0 || declared.Any(d => d.Policy is null || !Policies.ContainsKey(d.Policy) || d.Roles is not null || d.AuthenticationSchemes is not null))
        {
            return null;
        }

        IEnumerable<Role> roles = Policies[declared[0].Policy!];
        foreach (var more in declared.Skip(1))
        {
            roles = roles.Intersect(Policies[more.Policy!]);
        }

        var admitted = roles.ToList();
        return admitted.Count == 0 ? null : admitted;
    }
}
