using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Snapshots;

public sealed class SnapshotRenewalTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PassingTheRenewalPoint_ResignsTheSameVersionWithALaterExpiry()
    {
        using var network = TestNetwork.Create();
        var time = new FakeTimeProvider(network.Now);
        await using var server = await DirectoryServer.StartAsync(network, time, new Dictionary<string, string?>
        {
            ["Directory:SnapshotLifetime"] = "1.00:00:00",
            ["Directory:SnapshotRenewBefore"] = "12:00:00",
        });
        await Flows.AdmitAsync(server, network, "NL");
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest(), new(cancellationToken: Cancel));
        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        var first = Flows.Verified(watch.ResponseStream.Current.Snapshot, network, time.GetUtcNow());
        Assert.Equal(network.Now + TimeSpan.FromHours(24), first.ExpiresAt.ToDateTimeOffset());

        time.Advance(TimeSpan.FromHours(11));
        var beforeDue = await Flows.VerifiedSnapshotAsync(server.Node("SE"), network, time.GetUtcNow());
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        var renewed = Flows.Verified(watch.ResponseStream.Current.Snapshot, network, time.GetUtcNow());
        Assert.Equal(first, beforeDue);
        Assert.Equal(first.Version, renewed.Version);
        Assert.Equal(first.Members, renewed.Members);
        // Re-signed at the first check past the renewal point (12 h), which the clock passed on its way to 12 h 1 min.
        Assert.InRange(renewed.IssuedAt.ToDateTimeOffset(), network.Now + TimeSpan.FromHours(12), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromHours(24), renewed.ExpiresAt.ToDateTimeOffset() - renewed.IssuedAt.ToDateTimeOffset());
        Assert.True(renewed.ExpiresAt.ToDateTimeOffset() > first.ExpiresAt.ToDateTimeOffset());
        Assert.Equal(renewed, await Flows.VerifiedSnapshotAsync(server.Node("SE"), network, time.GetUtcNow()));
        Assert.Contains(server.Logs.Entries, e => e.EventName == "SnapshotRenewed");
    }

    [Fact]
    public async Task ANewVersion_MovesTheRenewalPoint()
    {
        using var network = TestNetwork.Create();
        var time = new FakeTimeProvider(network.Now);
        await using var server = await DirectoryServer.StartAsync(network, time);
        time.Advance(TimeSpan.FromHours(10));
        await Flows.AdmitAsync(server, network, "NL");
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest { KnownVersion = 2 }, new(cancellationToken: Cancel));
        await Flows.Soon(watch.ResponseHeadersAsync);

        // Past the first snapshot's renewal point, but version 2 was issued at 10 h and is due only at 22 h.
        time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(network.Now + TimeSpan.FromHours(10), (await Flows.VerifiedSnapshotAsync(server.Node("SE"), network, time.GetUtcNow())).IssuedAt.ToDateTimeOffset());
        time.Advance(TimeSpan.FromHours(9));

        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        var renewed = Flows.Verified(watch.ResponseStream.Current.Snapshot, network, time.GetUtcNow());
        Assert.Equal(2UL, renewed.Version);
        Assert.Equal(network.Now + TimeSpan.FromHours(22), renewed.IssuedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task AtStart_AnExpiredSnapshotIsResignedBeforeItIsServed()
    {
        using var network = TestNetwork.Create();
        var time = new FakeTimeProvider(network.Now);
        await using (var first = await DirectoryServer.StartAsync(network, time))
        {
            await Flows.AdmitAsync(first, network, "NL");
        }

        // Two days later: the stored snapshot has expired.
        var later = new FakeTimeProvider(network.Now + TimeSpan.FromDays(2));
        await using var second = await DirectoryServer.StartAsync(network, later);

        var feed = second.Service<SnapshotFeed>().Current!;
        Assert.Equal(2UL, feed.Version);
        Assert.Equal(later.GetUtcNow(), feed.IssuedAt);
        var served = await Flows.VerifiedSnapshotAsync(second.Node("SE"), network, later.GetUtcNow());
        Assert.Equal(2UL, served.Version);
        Assert.Equal("NL", Assert.Single(served.Members).Country);
    }
}
