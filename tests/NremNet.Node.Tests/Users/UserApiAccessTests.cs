using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Hosting;
using NremNet.Node.Tests.Infrastructure;
using UserApiAccess = NremNet.Node.Users.UserApiAccess;

namespace NremNet.Node.Tests.Users;

/// <summary>Every method of the user API checks who calls and with what role.</summary>
public sealed class UserApiAccessTests
{
    [Fact]
    public async Task EveryMethod_RefusesCallsWithoutAToken_AndCallersWithoutTheRole()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", approve: false);
        var tokens = await TokensAsync(nl, ("nl-admin", "admin"), ("nl-rapporteur", "rapporteur"), ("nl-officer", "referral_officer"));
        using var channel = nl.ConsoleChannel();
        var checkedMethods = 0;

        // The rules as the node serves them on its console listener: read from the endpoints' authorization metadata.
        var rules = UserApiAccess.Rules(nl.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<NodeListenerMetadata>()?.Listener == NodeListener.Console));
        foreach (var (path, rule) in rules.Where(r => r.Key.StartsWith("/nremnet.", StringComparison.Ordinal)))
        {
            Assert.True(rule is not null, $"{path} has no rule");
            var allowed = rule;
            if (allowed.Count == 0)
            {
                continue;
            }

            var anonymous = await CallAsync(channel, path, token: null);
            Assert.True(anonymous == StatusCode.Unauthenticated, $"{path} without a token answered {anonymous}");

            var forged = await CallAsync(channel, path, "nrn_0123456789ab_" + new string('A', 43));
            Assert.True(forged == StatusCode.Unauthenticated, $"{path} with a forged token answered {forged}");

            foreach (var (role, token) in tokens)
            {
                var outcome = await CallAsync(channel, path, token);
                var mayCall = allowed.Any(r => NremNet.Domain.Users.UserRules.Name(r) == role);
                Assert.True(
                    mayCall ? outcome is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated) : outcome == StatusCode.PermissionDenied,
                    $"{path} as {role} answered {outcome}");
            }

            checkedMethods++;
        }

        Assert.True(checkedMethods >= 11, $"only {checkedMethods} methods were checked");
        var denials = await nl.App.Services.GetRequiredService<NremNet.Node.Audit.AuditLog>().ListAsync(1000, 0, "access.denied", TestContext.Current.CancellationToken);
        Assert.Contains(denials, e => e.Record.Actor == "user:nl-rapporteur" && e.Record.Target == "/nremnet.local.v1.UserService/AddUser");
    }

    [Fact]
    public async Task RevokedTokenAndDisabledAccount_AreRefused()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", approve: false);
        var tokens = await TokensAsync(nl, ("nl-admin", "admin"), ("nl-officer", "referral_officer"));
        using var channel = nl.ConsoleChannel();
        var admin = Authenticated(channel, tokens["admin"]);
        var officer = Authenticated(channel, tokens["referral_officer"]);

        var created = await new TokenService.TokenServiceClient(officer).CreateTokenAsync(new CreateTokenRequest { Name = "second" }, cancellationToken: TestContext.Current.CancellationToken);
        var second = Authenticated(channel, created.Secret);
        Assert.Equal("nl-officer", (await new SessionService.SessionServiceClient(second).WhoAmIAsync(new WhoAmIRequest(), cancellationToken: TestContext.Current.CancellationToken)).User.Username);
        await new TokenService.TokenServiceClient(officer).RevokeTokenAsync(new RevokeTokenRequest { Id = created.Token.Id }, cancellationToken: TestContext.Current.CancellationToken);
        var revoked = await Assert.ThrowsAsync<RpcException>(() => new SessionService.SessionServiceClient(second).WhoAmIAsync(new WhoAmIRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.Contains("revoked", revoked.Status.Detail, StringComparison.Ordinal);

        var disabled = await new UserService.UserServiceClient(admin).DisableUserAsync(new DisableUserRequest { Username = "nl-officer", Reason = "left the office" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(disabled.User.Disabled);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new SessionService.SessionServiceClient(officer).WhoAmIAsync(new WhoAmIRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task Login_GivesAWorkingToken_AndTenWrongPasswordsLockTheAccount()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", approve: false);
        var setup = await NodeSetup.OpenAsync(Path.Combine(network.Folder, "node-NL"), nl.CertificateFile, nl.KeyFile, TestContext.Current.CancellationToken);
        var password = await setup.AddUserAsync("nl-rapporteur", "Analyst (synthetic)", ["rapporteur"], null, TestContext.Current.CancellationToken);
        using var channel = nl.ConsoleChannel();
        var session = new SessionService.SessionServiceClient(channel);

        var login = await session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = password }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([Role.Rapporteur], login.User.Roles);
        Assert.Equal("NL", (await new SessionService.SessionServiceClient(Authenticated(channel, login.Secret)).WhoAmIAsync(new WhoAmIRequest(), cancellationToken: TestContext.Current.CancellationToken)).Country);

        for (var i = 0; i < 10; i++)
        {
            var wrong = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = "not the password!" }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = password }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, locked.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nobody-here", Password = password }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(unknown.Status.Detail, locked.Status.Detail);
        var audit = await nl.App.Services.GetRequiredService<NremNet.Node.Audit.AuditLog>().ListAsync(5, 0, "session.login", TestContext.Current.CancellationToken);
        Assert.Contains("locked until", audit[1].Record.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCovered_MethodsWithoutARuleOrWithAnUnknownPolicy_FailNamingEach()
    {
        Endpoint[] endpoints =
        [
            Grpc("Login", new AllowAnonymousAttribute()),
            Grpc("AddUser", new AuthorizeAttribute(UserApiAccess.Admin)),
            Grpc("ListUsers"),
            Grpc("DisableUser", new AuthorizeAttribute("admins")),
            Grpc("EnableUser", new AuthorizeAttribute { Roles = "admin" }),
        ];

        var ex = Assert.Throws<InvalidOperationException>(() => UserApiAccess.EnsureCovered(endpoints));

        Assert.StartsWith("These user API methods have no role rule, so nobody could call them: /test.Service/DisableUser, /test.Service/EnableUser, /test.Service/ListUsers.", ex.Message, StringComparison.Ordinal);
        var rules = UserApiAccess.Rules(endpoints);
        Assert.Empty(rules["/test.Service/Login"]!);
        Assert.Equal([Role.Admin], rules["/test.Service/AddUser"]);
    }

    [Fact]
    public void Rules_SeveralPolicies_AdmitOnlyTheRolesEveryOneAdmits()
    {
        var endpoint = Grpc("Summary", new AuthorizeAttribute(UserApiAccess.RapporteurOrAdmin), new AuthorizeAttribute(UserApiAccess.ReferralOfficerOrAdmin));

        Assert.Equal([Role.Admin], UserApiAccess.Rules([endpoint])["/test.Service/Summary"]);
    }

    /// <summary>An endpoint as Grpc.AspNetCore maps a method, with the attributes of its implementation as metadata.</summary>
    private static Endpoint Grpc(string name, params object[] metadata)
    {
        var raw = Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes);
        return new Endpoint(null, new EndpointMetadataCollection([new GrpcMethodMetadata(typeof(object), new Method<byte[], byte[]>(MethodType.Unary, "test.Service", name, raw, raw)), .. metadata]), name);
    }

    private static async Task<Dictionary<string, string>> TokensAsync(TestNode node, params (string User, string Role)[] users)
    {
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, TestContext.Current.CancellationToken);
        var tokens = new Dictionary<string, string>();
        foreach (var (user, role) in users)
        {
            await setup.AddUserAsync(user, user, [role], null, TestContext.Current.CancellationToken);
            tokens[role] = await setup.CreateTokenAsync(user, "test", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        }

        return tokens;
    }

    private static CallInvoker Authenticated(GrpcChannel channel, string token) => channel.CreateCallInvoker().Intercept(new Bearer(token));

    /// <summary>Calls a user API method with an empty request; authorization is decided before the request is looked at.</summary>
    private static async Task<StatusCode> CallAsync(GrpcChannel channel, string path, string? token)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var raw = Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes);
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], raw, raw);
        var options = token is null ? default : new CallOptions(new Metadata { { "authorization", "Bearer " + token } });
        try
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(method, null, options, []).ResponseAsync;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private sealed class Bearer(string token) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(new Metadata { { "authorization", "Bearer " + token } })));
    }
}
