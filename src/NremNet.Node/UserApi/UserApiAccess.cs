using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;
using NremNet.Node.Audit;
using NremNet.Node.Users;
using NremNet.Rpc;

namespace NremNet.Node.UserApi;

/// <summary>
/// Which roles may call each method of the user API. A method with no rule cannot be called at all, and the node
/// refuses to start when a served method has none.
/// </summary>
internal static class UserApiAccess
{
    public static readonly IReadOnlyList<Role> AnyRole = [Role.Rapporteur, Role.ReferralOfficer, Role.Admin];

    public static readonly IReadOnlyList<Role> AdminOnly = [Role.Admin];

    /// <summary>Methods anyone may call, without a token.</summary>
    public static readonly IReadOnlyList<Role> Anonymous = [];

    /// <summary>Referral officers only: referrals carry the most sensitive personal data of the network.</summary>
    public static readonly IReadOnlyList<Role> ReferralOfficer = [Role.ReferralOfficer];

    private static readonly FrozenDictionary<string, IReadOnlyList<Role>> Rules = new Dictionary<string, IReadOnlyList<Role>>(StringComparer.Ordinal)
    {
        ["/nremnet.local.v1.SessionService/Login"] = Anonymous,
        ["/nremnet.local.v1.SessionService/WhoAmI"] = AnyRole,
        ["/nremnet.local.v1.UserService/AddUser"] = AdminOnly,
        ["/nremnet.local.v1.UserService/ListUsers"] = AdminOnly,
        ["/nremnet.local.v1.UserService/DisableUser"] = AdminOnly,
        ["/nremnet.local.v1.UserService/EnableUser"] = AdminOnly,
        ["/nremnet.local.v1.TokenService/CreateToken"] = AnyRole,
        ["/nremnet.local.v1.TokenService/ListTokens"] = AnyRole,
        ["/nremnet.local.v1.TokenService/RevokeToken"] = AnyRole,
        ["/nremnet.local.v1.AuditService/ListAuditEntries"] = AdminOnly,
        ["/nremnet.local.v1.AuditService/VerifyAudit"] = AdminOnly,
        ["/nremnet.local.v1.NodeService/GetNodeStatus"] = AnyRole,
        ["/nremnet.local.v1.StatisticsService/GetCatalogue"] = AnyRole,
        ["/nremnet.local.v1.StatisticsService/FederatedQuery"] = [Role.Rapporteur],
        ["/nremnet.local.v1.StatisticsService/ImportData"] = AdminOnly,
        ["/nremnet.local.v1.StatisticsService/GetDataSummary"] = [Role.Rapporteur, Role.Admin],
        ["/nremnet.local.v1.AgreementService/ListAgreements"] = AdminOnly,
        ["/nremnet.local.v1.AgreementService/SetAgreement"] = AdminOnly,
        ["/nremnet.local.v1.AgreementService/RemoveAgreement"] = AdminOnly,
        ["/nremnet.local.v1.ReferralService/CreateDraft"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/SubmitReferral"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/ListReferrals"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/GetReferral"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/TransitionReferral"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/AddReferralNote"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/ReadPersonalData"] = ReferralOfficer,
        ["/nremnet.local.v1.ReferralService/ListOutbox"] = [Role.ReferralOfficer, Role.Admin],
        ["/grpc.health.v1.Health/Check"] = Anonymous,
        ["/grpc.health.v1.Health/List"] = Anonymous,
        ["/grpc.health.v1.Health/Watch"] = Anonymous,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = AnyRole,
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = AnyRole,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The roles that may call a method (empty: anyone), or null when the method has no rule.</summary>
    public static IReadOnlyList<Role>? For(string method) => Rules.GetValueOrDefault(method);

    /// <summary>Every method path with a rule.</summary>
    public static IEnumerable<string> Methods => Rules.Keys;

    /// <summary>Throws when a served method has no rule, naming every such method.</summary>
    public static void EnsureCovered(IEnumerable<IRpcService> services)
    {
        var missing = services.Select(s => s.BindService().Descriptor)
            .SelectMany(d => d.Methods.Select(m => $"/{d.FullName}/{m.Name}"))
            .Where(path => !Rules.ContainsKey(path))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"These user API methods have no role rule, so nobody could call them: {string.Join(", ", missing)}. Add them to UserApiAccess.");
        }
    }
}

/// <summary>
/// Authenticates every user API call by its bearer token and checks the caller's role against <see cref="UserApiAccess"/>.
/// Refusals for a missing role are audited.
/// </summary>
internal sealed class UserAuthInterceptor(UserStore users, AuditLog audit, ILogger<UserAuthInterceptor> logger) : AdmissionInterceptor
{
    /// <summary>The key under which the caller is kept in the call's user state.</summary>
    public const string PrincipalKey = "nremnet.user";

    protected override async Task AdmitAsync(ServerCallContext context)
    {
        var allowed = UserApiAccess.For(context.Method);
        if (allowed is null)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"No role may call {context.Method} on this node.");
        }

        if (allowed.Count == 0)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Unauthenticated, "Log in first: this call needs a token ('nremnet login --node-url https://...').");
        }

        var (principal, problem) = await users.AuthenticateAsync(header["Bearer ".Length..].Trim(), context.CancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            NodeLog.TokenRefused(logger, context.Method, problem);
            throw new RpcException(StatusCode.Unauthenticated, $"The token was refused: {problem}. Log in again ('nremnet login').");
        }

        if (!allowed.Any(principal.Has))
        {
            var needed = string.Join(" or ", allowed.Select(UserRules.Name));
            var has = principal.Roles.Count == 0 ? "no role" : string.Join(", ", principal.Roles.Select(UserRules.Name));
            await audit.AppendAsync(principal.Actor, "access.denied", context.Method, "denied", new { needed, has }, CancellationToken.None).ConfigureAwait(false);
            throw new RpcException(StatusCode.PermissionDenied, $"{context.Method} needs the {needed} role; {principal.Username} has {has}. Ask the node's admin.");
        }

        context.UserState[PrincipalKey] = principal;
    }
}

/// <summary>The authenticated caller of a user API call.</summary>
internal static class UserContext
{
    public static UserPrincipal Principal(this ServerCallContext context) =>
        context.UserState.TryGetValue(UserAuthInterceptor.PrincipalKey, out var value) && value is UserPrincipal principal
            ? principal
            : throw new RpcException(StatusCode.Unauthenticated, "This call has no authenticated user.");
}
