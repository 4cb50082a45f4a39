using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Health;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Storage;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Health;
using NremNet.Rpc.Health;
using NremNet.Rpc.Health.V1;
using NremNet.Testing;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Directory.Tests.Health;

public sealed class DirectoryHealthTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_WhenEverythingIsFine_IsServing_WithEveryCheckNamed()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var monitor = server.Service<HealthMonitor>();

        await monitor.RefreshAsync(Cancel);

        Assert.Equal(["database", "certificate", "snapshot"], monitor.Latest.Select(c => c.Name));
        Assert.All(monitor.Latest, c => Assert.True(c.Healthy, c.Reason));
        var health = await new HealthClient(server.Channel(network.Node("NL"))).CheckAsync(new HealthCheckRequest(), new(cancellationToken: Cancel));
        Assert.Equal(ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Health_WithTheCertificateExpiringWithinFourteenDays_IsNotServing()
    {
        using var network = TestNetwork.Create(directoryLifetime: TimeSpan.FromDays(10));
        await using var server = await DirectoryServer.StartAsync(network);
        var monitor = server.Service<HealthMonitor>();

        await monitor.RefreshAsync(Cancel);

        var certificate = Assert.Single(monitor.Latest, c => c.Name == "certificate");
        Assert.False(certificate.Healthy);
        Assert.Contains("nremnet pki", certificate.Reason, StringComparison.Ordinal);
        var health = await new HealthClient(server.Channel(network.Node("NL"))).CheckAsync(new HealthCheckRequest(), new(cancellationToken: Cancel));
        Assert.Equal(ServingStatus.NotServing, health.Status);
        Assert.Contains(server.Logs.Entries, e => e.EventName == "HealthCheckFailing" && e.Message.Contains("certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SnapshotCheck_FailsWithoutASnapshot_AndWhenItWasNotRenewedInTime()
    {
        using var network = TestNetwork.Create();
        var options = Options.Create(new DirectoryOptions { DataDirectory = network.DataDirectory });
        var time = new ManualTimeProvider(network.Now);
        var credentials = NetworkCredentials.Load(network.CertificateFile, network.KeyFile, network.CaFile, NetworkRole.Directory, null, network.Now);
        using var database = new DirectoryDatabase(options);
        var feed = new SnapshotFeed();
        var health = new DirectoryHealth(database, credentials, feed, options, time);

        var none = Snapshot(await health.CheckAsync(Cancel));
        feed.Publish(Signed(credentials, network.Now, TimeSpan.FromHours(24)));
        var fresh = Snapshot(await health.CheckAsync(Cancel));
        time.Advance(TimeSpan.FromHours(19));
        var late = Snapshot(await health.CheckAsync(Cancel));
        time.Advance(TimeSpan.FromHours(6));
        var expired = Snapshot(await health.CheckAsync(Cancel));

        Assert.False(none.Healthy);
        Assert.True(fresh.Healthy, fresh.Reason);
        Assert.False(late.Healthy);
        Assert.Contains("not been re-signed", late.Reason, StringComparison.Ordinal);
        Assert.False(expired.Healthy);
        Assert.Contains("expired", expired.Reason, StringComparison.Ordinal);
    }

    private static HealthCheckResult Snapshot(IReadOnlyList<HealthCheckResult> results) => Assert.Single(results, r => r.Name == "snapshot");

    private static PublishedSnapshot Signed(NetworkCredentials credentials, DateTimeOffset issued, TimeSpan lifetime)
    {
        var snapshot = new Snapshot { Version = 1, IssuedAt = SnapshotSigning.ToTimestamp(issued), ExpiresAt = SnapshotSigning.ToTimestamp(issued + lifetime) };
        return new PublishedSnapshot(snapshot, SnapshotSigning.Sign(snapshot, credentials.Certificate));
    }
}
