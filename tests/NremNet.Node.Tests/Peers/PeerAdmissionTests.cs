using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NremNet.Contracts.Federation.V1;
using NremNet.Node.Audit;
using NremNet.Node.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Node.Tests.Peers;

/// <summary>Who gets onto a node's peer API: active members with their registered certificate, nobody else.</summary>
public sealed class PeerAdmissionTests
{
    [Fact]
    public async Task ActiveMember_IsAdmitted_AndNamedByItsCertificate()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));

        using var channel = nl.PeerChannel(se.Certificate);
        var hello = await new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("NL", hello.Country);
        Assert.Equal("SE", hello.CallerCountry);
        var audit = await nl.App.Services.GetRequiredService<AuditLog>().ListAsync(50, 0, "peer.call", TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.Record.Actor == "peer:SE" && e.Record.Target.EndsWith("/Hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnapprovedNode_IsRefused_AndAudited()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var fi = await network.StartNodeAsync("FI", approve: false);

        using var channel = nl.PeerChannel(fi.Certificate);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("FI is not an active member", ex.Status.Detail, StringComparison.Ordinal);
        var audit = await nl.App.Services.GetRequiredService<AuditLog>().ListAsync(50, 0, "peer.refused", TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.Record.Actor == "peer:FI" && e.Record.Outcome == "denied");
    }

    [Fact]
    public async Task CertificateFromAnotherCa_IsRefusedInTheHandshake_AndAudited()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var impostorCa = NremNet.Domain.Pki.NetworkCertificates.CreateAuthority("NremNet test network CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        var (_, _, impostor) = network.IssueNode("SE", "impostor", impostorCa);

        using var channel = nl.PeerChannel(impostor);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.True(HandshakeRefusals.IsRefusedInHandshake(ex), $"{ex.StatusCode}: {ex.Status.Detail}");
        var audit = nl.App.Services.GetRequiredService<AuditLog>();
        await Eventually.HoldsAsync(
            async () => (await audit.ListAsync(50, 0, "peer.refused", TestContext.Current.CancellationToken)).Any(e => e.Record.Target == "tls" && e.Record.Details.Contains(impostor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparison.Ordinal)),
            "the TLS refusal in the audit log");
    }

    [Fact]
    public async Task ClientWithoutCertificate_IsRefused()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");

        using var channel = nl.PeerChannel(null);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.True(HandshakeRefusals.IsRefusedInHandshake(ex), $"{ex.StatusCode}: {ex.Status.Detail}");
    }

    [Fact]
    public async Task NetworkCertificateForANonMemberCountry_IsRefused()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var (_, _, germany) = network.IssueNode("DE", "de");

        using var channel = nl.PeerChannel(germany);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("DE is not an active member", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersCountryWithAnotherCertificate_IsRefused()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        var (_, _, secondSweden) = network.IssueNode("SE", "se-second");

        using var channel = nl.PeerChannel(secondSweden);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("is not the one the directory lists for SE", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendedMember_IsRefusedOnceTheNextSnapshotArrives()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        using var channel = nl.PeerChannel(se.Certificate);
        var client = new FederationService.FederationServiceClient(channel);
        Assert.Equal("NL", (await client.HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken)).Country);

        await network.SuspendAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.All(m => m.Country != "SE"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("SE is not an active member", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryStopped_NodesKeepTalkingFromTheirCachedSnapshot()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));

        await network.StopDirectoryAsync();
        var link = nl.App.Services.GetRequiredService<NremNet.Node.Membership.DirectoryLink>();
        var checks = nl.App.Services.GetRequiredService<HealthCheckService>();
        HealthReport health = null!;
        // A background refresh that began before the directory stopped may still record its answer: refresh until the
        // node has noticed the directory is gone.
        await Eventually.HoldsAsync(async () =>
        {
            await link.RefreshAsync(TestContext.Current.CancellationToken);
            health = await checks.CheckHealthAsync(TestContext.Current.CancellationToken);
            return health.Entries["directory"].Description?.Contains("is not reachable", StringComparison.Ordinal) == true;
        }, "NL to notice that the directory is down", TimeSpan.FromSeconds(60));

        using var channel = nl.PeerChannel(se.Certificate);
        Assert.Equal("NL", (await new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken)).Country);
        var directory = health.Entries["directory"];
        Assert.True(directory.Status == HealthStatus.Healthy, directory.Description);
        Assert.Contains("is not reachable", directory.Description, StringComparison.Ordinal);
        Assert.Contains("working from directory snapshot", directory.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, health.Entries["snapshot"].Status);
    }

    [Fact]
    public async Task NodeRestartedWithoutDirectory_WorksFromItsDiskCache()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        await network.StopDirectoryAsync();
        await nl.StopAsync();

        var cache = new NremNet.Node.Membership.SnapshotState(
            NremNet.Hosting.Certificates.NetworkCredentials.Load(nl.CertificateFile, nl.KeyFile, network.AuthorityFile, NremNet.Domain.Pki.NetworkRole.Node, "NL", DateTimeOffset.UtcNow),
            Path.Combine(network.Folder, "node-NL", "snapshot.bin"),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<NremNet.Node.Membership.SnapshotState>.Instance);
        cache.LoadCache();

        Assert.True(cache.Trust.Trusted, cache.Trust.Reason);
        Assert.NotNull(cache.Member("SE"));
        Assert.Equal(se.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), cache.Member("SE")!.CertificateThumbprint);
    }
}
