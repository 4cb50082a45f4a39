using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Clients;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Audit;
using NremNet.Node.Health;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Users;
using NremNet.Rpc;
using AuditEntry = NremNet.Contracts.Local.V1.AuditEntry;
using User = NremNet.Contracts.Local.V1.User;

namespace NremNet.Node.UserApi;

/// <summary>Maps stored accounts and tokens to the contract.</summary>
internal static class UserApiMapping
{
    public static User ToContract(this NodeUser user)
    {
        var result = new User
        {
            Username = user.Username,
            DisplayName = user.DisplayName,
            Disabled = user.Disabled,
            CreatedAt = Timestamp.FromDateTimeOffset(user.CreatedAt),
        };
        result.Roles.AddRange(user.RoleList);
        return result;
    }

    public static Token ToContract(this NodeToken token) => new()
    {
        Id = token.Id,
        Name = token.Name,
        CreatedAt = Timestamp.FromDateTimeOffset(token.CreatedAt),
        ExpiresAt = Timestamp.FromDateTimeOffset(token.ExpiresAt),
        RevokedAt = token.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
        LastUsedAt = token.LastUsedAt is { } used ? Timestamp.FromDateTimeOffset(used) : null,
    };

    public static TimeSpan LifetimeOr(Duration? requested, TimeSpan fallback) => requested is null ? fallback : requested.ToTimeSpan();
}

/// <summary><c>SessionService</c>: login and who-am-I.</summary>
internal sealed class SessionService(UserStore users, IOptions<NodeOptions> options) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(SessionClient.Descriptor)
        .Unary(SessionClient.LoginMethod, LoginAsync)
        .Unary(SessionClient.WhoAmIMethod, WhoAmIAsync)
        .Build();

    private async Task<LoginResponse> LoginAsync(LoginRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            throw RichErrors.InvalidArgument("The login", [("username", "and password are required")]);
        }

        var (user, token, secret) = await users.LoginAsync(request.Username.Trim(), request.Password, request.TokenName, UserApiMapping.LifetimeOr(request.Lifetime, options.Value.TokenLifetime), context.Peer, context.CancellationToken).ConfigureAwait(false);
        return new LoginResponse { Secret = secret, Token = token.ToContract(), User = user.ToContract() };
    }

    private async Task<WhoAmIResponse> WhoAmIAsync(WhoAmIRequest request, ServerCallContext context)
    {
        var principal = context.Principal();
        var user = (await users.ListAsync(context.CancellationToken).ConfigureAwait(false)).Single(u => u.Id == principal.UserId);
        var token = (await users.ListTokensAsync(principal.UserId, context.CancellationToken).ConfigureAwait(false)).Single(t => t.Id == principal.TokenId);
        return new WhoAmIResponse { User = user.ToContract(), Country = options.Value.Country, Token = token.ToContract() };
    }
}

/// <summary><c>UserService</c>: local accounts, for admins.</summary>
internal sealed class UserService(UserStore users) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(UserClient.Descriptor)
        .Unary(UserClient.AddUserMethod, AddAsync)
        .Unary(UserClient.ListUsersMethod, ListAsync)
        .Unary(UserClient.DisableUserMethod, DisableAsync)
        .Unary(UserClient.EnableUserMethod, EnableAsync)
        .Build();

    private async Task<AddUserResponse> AddAsync(AddUserRequest request, ServerCallContext context)
    {
        var (user, generated) = await users.AddAsync(context.Principal().Actor, request.Username, request.DisplayName, request.Roles.ToList(), request.Password, context.CancellationToken).ConfigureAwait(false);
        return new AddUserResponse { User = user.ToContract(), GeneratedPassword = generated ?? string.Empty };
    }

    private async Task<ListUsersResponse> ListAsync(ListUsersRequest request, ServerCallContext context)
    {
        var response = new ListUsersResponse();
        response.Users.AddRange((await users.ListAsync(context.CancellationToken).ConfigureAwait(false)).Select(u => u.ToContract()));
        return response;
    }

    private async Task<DisableUserResponse> DisableAsync(DisableUserRequest request, ServerCallContext context)
    {
        var principal = context.Principal();
        if (string.Equals(request.Username, principal.Username, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.FailedPrecondition, "You cannot disable your own account; ask another admin.");
        }

        var (user, revoked) = await users.DisableAsync(principal.Actor, request.Username, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return new DisableUserResponse { User = user.ToContract(), RevokedTokens = revoked };
    }

    private async Task<EnableUserResponse> EnableAsync(EnableUserRequest request, ServerCallContext context) =>
        new() { User = (await users.EnableAsync(context.Principal().Actor, request.Username, context.CancellationToken).ConfigureAwait(false)).ToContract() };
}

/// <summary><c>TokenService</c>: the caller's own personal API tokens.</summary>
internal sealed class TokenService(UserStore users, IOptions<NodeOptions> options) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(TokenClient.Descriptor)
        .Unary(TokenClient.CreateTokenMethod, CreateAsync)
        .Unary(TokenClient.ListTokensMethod, ListAsync)
        .Unary(TokenClient.RevokeTokenMethod, RevokeAsync)
        .Build();

    private async Task<CreateTokenResponse> CreateAsync(CreateTokenRequest request, ServerCallContext context)
    {
        var (token, secret) = await users.CreateTokenAsync(context.Principal(), request.Name, UserApiMapping.LifetimeOr(request.Lifetime, options.Value.TokenLifetime), context.CancellationToken).ConfigureAwait(false);
        return new CreateTokenResponse { Secret = secret, Token = token.ToContract() };
    }

    private async Task<ListTokensResponse> ListAsync(ListTokensRequest request, ServerCallContext context)
    {
        var response = new ListTokensResponse();
        response.Tokens.AddRange((await users.ListTokensAsync(context.Principal().UserId, context.CancellationToken).ConfigureAwait(false)).Select(t => t.ToContract()));
        return response;
    }

    private async Task<RevokeTokenResponse> RevokeAsync(RevokeTokenRequest request, ServerCallContext context) =>
        new() { Token = (await users.RevokeTokenAsync(context.Principal(), request.Id, context.CancellationToken).ConfigureAwait(false)).ToContract() };
}

/// <summary><c>AuditService</c>: the audit log, for admins.</summary>
internal sealed class AuditService(AuditLog audit) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(AuditClient.Descriptor)
        .Unary(AuditClient.ListAuditEntriesMethod, ListAsync)
        .Unary(AuditClient.VerifyAuditMethod, VerifyAsync)
        .Build();

    private async Task<ListAuditEntriesResponse> ListAsync(ListAuditEntriesRequest request, ServerCallContext context)
    {
        var limit = request.Limit <= 0 ? 100 : Math.Min(request.Limit, 1000);
        var response = new ListAuditEntriesResponse();
        foreach (var entry in await audit.ListAsync(limit, request.BeforeSequence, request.Action, context.CancellationToken).ConfigureAwait(false))
        {
            response.Entries.Add(new AuditEntry
            {
                Sequence = entry.Record.Sequence,
                At = Timestamp.FromDateTimeOffset(entry.Record.At),
                Actor = entry.Record.Actor,
                Action = entry.Record.Action,
                Target = entry.Record.Target,
                Outcome = entry.Record.Outcome,
                Details = entry.Record.Details,
                Hash = entry.Hash,
            });
        }

        return response;
    }

    private async Task<VerifyAuditResponse> VerifyAsync(VerifyAuditRequest request, ServerCallContext context)
    {
        var verdict = await audit.VerifyAsync(context.CancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(context.Principal().Actor, "audit.verify", "audit_log", verdict.Intact ? "ok" : "failed", new { verdict.EntriesChecked, verdict.FirstBadSequence, verdict.Problem }, CancellationToken.None).ConfigureAwait(false);
        return new VerifyAuditResponse { Intact = verdict.Intact, EntriesChecked = verdict.EntriesChecked, FirstBadSequence = verdict.FirstBadSequence, Problem = verdict.Problem };
    }
}

/// <summary><c>NodeService</c>: the node's status, health and view of its peers.</summary>
internal sealed class NodeService(IOptions<NodeOptions> options, NodeHealth health, SnapshotState snapshots, DirectoryLink directory, PeerMonitor peers) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(NodeClient.Descriptor)
        .Unary(NodeClient.GetNodeStatusMethod, GetStatusAsync)
        .Build();

    private async Task<GetNodeStatusResponse> GetStatusAsync(GetNodeStatusRequest request, ServerCallContext context)
    {
        var checks = await health.CheckAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new GetNodeStatusResponse
        {
            Country = options.Value.Country,
            MechanismName = options.Value.MechanismName,
            Healthy = checks.All(c => c.Healthy),
            SnapshotVersion = snapshots.Version,
            SnapshotExpiresAt = snapshots.Current?.ExpiresAt,
            DirectoryReachable = directory.Reachable,
            SoftwareVersion = NodeHost.SoftwareVersion,
            MembershipStatus = directory.MembershipStatus switch
            {
                Contracts.Directory.V1.MemberStatus.Active => "active",
                Contracts.Directory.V1.MemberStatus.Pending => "pending",
                Contracts.Directory.V1.MemberStatus.Suspended => "suspended",
                Contracts.Directory.V1.MemberStatus.Removed => "removed",
                _ => "unknown",
            },
        };
        response.Checks.AddRange(checks.Select(c => new HealthCheck { Name = c.Name, Healthy = c.Healthy, Reason = c.Reason }));
        response.Peers.AddRange(peers.Peers.Select(p => new PeerView
        {
            Country = p.Member.Country,
            MechanismName = p.Member.MechanismName,
            PeerEndpoint = p.Member.PeerEndpoint,
            Reachable = p.Reachable,
            LastContact = p.LastContact is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            RoundTripMs = p.RoundTripMilliseconds,
            LastError = p.LastError,
        }));
        return response;
    }
}
