using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Clients;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Tests.Infrastructure;
using NremNet.Node.UserApi;
using NremNet.Rpc;

namespace NremNet.Node.Tests.UserApi;

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

        foreach (var path in UserApiAccess.Methods.Where(p => p.StartsWith("/nremnet.", StringComparison.Ordinal)))
        {
            var allowed = UserApiAccess.For(path)!;
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

        var created = await new TokenClient(officer).CreateTokenAsync(new CreateTokenRequest { Name = "second" });
        var second = Authenticated(channel, created.Secret);
        Assert.Equal("nl-officer", (await new SessionClient(second).WhoAmIAsync(new WhoAmIRequest())).User.Username);
        await new TokenClient(officer).RevokeTokenAsync(new RevokeTokenRequest { Id = created.Token.Id });
        var revoked = await Assert.ThrowsAsync<RpcException>(() => new SessionClient(second).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.Contains("revoked", revoked.Status.Detail, StringComparison.Ordinal);

        var disabled = await new UserClient(admin).DisableUserAsync(new DisableUserRequest { Username = "nl-officer", Reason = "left the office" });
        Assert.True(disabled.User.Disabled);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new SessionClient(officer).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
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
        var session = new SessionClient(channel);

        var login = await session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = password });
        Assert.Equal([Role.Rapporteur], login.User.Roles);
        Assert.Equal("NL", (await new SessionClient(Authenticated(channel, login.Secret)).WhoAmIAsync(new WhoAmIRequest())).Country);

        for (var i = 0; i < 10; i++)
        {
            var wrong = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = "not the password!" }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nl-rapporteur", Password = password }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, locked.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => session.LoginAsync(new LoginRequest { Username = "nobody-here", Password = password }).ResponseAsync);
        Assert.Equal(unknown.Status.Detail, locked.Status.Detail);
        var audit = await nl.App.Services.GetRequiredService<NremNet.Node.Audit.AuditLog>().ListAsync(5, 0, "session.login", TestContext.Current.CancellationToken);
        Assert.Contains("locked until", audit[1].Record.Details, StringComparison.Ordinal);
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

    private static CallInvoker Authenticated(RpcChannel channel, string token) => channel.CreateCallInvoker().Intercept(new Bearer(token));

    /// <summary>Calls a user API method with an empty request; authorization is decided before the request is looked at.</summary>
    private static async Task<StatusCode> CallAsync(RpcChannel channel, string path, string? token)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], Raw.Instance, Raw.Instance);
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
            continuation(request, context with { Options = context.Options.WithHeaders(new Metadata { { "authorization", "Bearer " + token } }) });
    }

    private sealed class Raw : Marshaller<byte[]>
    {
        public static readonly Raw Instance = new();

        public override int GetSerializedSize(byte[] message) => message.Length;

        public override void Serialize(byte[] message, int serializedSize, IBufferWriter<byte> destination) => destination.Write(message);

        public override byte[] Deserialize(ReadOnlySequence<byte> payload) => payload.ToArray();
    }
}
