using Grpc.Core;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Domain.Pki;
using NremNet.Testing;

namespace NremNet.Directory.Tests.Api;

public sealed class AuthenticationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientCertificateFromAnotherCa_IsRefusedAtTls_AndTheRefusalIsLogged()
    {
        using var network = TestNetwork.Create();
        using var impostorNetwork = TestNetwork.Create();
        var impostor = impostorNetwork.Node("NL");
        await using var server = await DirectoryServer.StartAsync(network);

        // Register is not idempotent in the proto, so the channel's retry policy leaves it alone: one attempt, one refusal.
        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Client(impostor)
            .RegisterAsync(new RegisterRequest { Application = network.Application("NL", certificate: impostor) }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.True(HandshakeRefusals.IsRefusedInHandshake(ex), ex.ToString());
        Assert.Contains(server.Logs.Entries, e => e.EventName == "ClientCertificateRefused" && e.Message.Contains(NetworkIdentity.Thumbprint(impostor), StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Entries, e => e.EventName is "MemberRegistered" or "CallRefused");
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Empty(listed.Members);
    }

    [Fact]
    public async Task CertificateWithoutNetworkIdentity_IsUnauthenticated()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        // Chains to the network CA and may authenticate TLS clients, but names no urn:nremnet: identity.
        var stranger = TestPki.IssueClient(network.Authority, "stranger.example");

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Client(stranger).GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("names no NremNet identity", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchSnapshot_WithCertificateWithoutNetworkIdentity_IsUnauthenticated()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var stranger = TestPki.IssueClient(network.Authority, "stranger.example");

        using var watch = server.Client(stranger).WatchSnapshot(new WatchSnapshotRequest(), new(cancellationToken: Cancel));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task GetSnapshot_IsOpenToEveryNetworkIdentity()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var directoryItself = server.Client(network.DirectoryCertificate);

        foreach (var client in new[] { server.Node("NL"), server.Secretariat(), directoryItself })
        {
            var snapshot = await Flows.VerifiedSnapshotAsync(client, network);
            Assert.Equal(1UL, snapshot.Version);
        }

        Assert.Equal(NetworkRole.Directory, NetworkIdentity.Read(network.DirectoryCertificate).Role);
    }
}
