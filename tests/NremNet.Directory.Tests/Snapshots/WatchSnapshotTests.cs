using Grpc.Core;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Snapshots;

public sealed class WatchSnapshotTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    public async Task WatchSnapshot_KnowingAnOlderVersionOrNone_GetsTheCurrentOneAtOnce(ulong known)
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");

        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest { KnownVersion = known }, new(cancellationToken: Cancel));

        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        var snapshot = Flows.Verified(watch.ResponseStream.Current.Snapshot, network);
        Assert.Equal(2UL, snapshot.Version);
        Assert.Equal("NL", Assert.Single(snapshot.Members).Country);
    }

    [Fact]
    public async Task WatchSnapshot_KnowingTheCurrentVersion_GetsOnlyTheNextOne()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest { KnownVersion = 1 }, new(cancellationToken: Cancel));
        await Flows.Soon(watch.ResponseHeadersAsync);

        await Flows.AdmitAsync(server, network, "NL");
        await Flows.AdmitAsync(server, network, "AT");

        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        Assert.Equal(2UL, Flows.Verified(watch.ResponseStream.Current.Snapshot, network).Version);
        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        Assert.Equal(3UL, Flows.Verified(watch.ResponseStream.Current.Snapshot, network).Version);
    }

    [Fact]
    public async Task WatchSnapshot_EndsCleanlyWhenTheDirectoryStops()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest(), new(cancellationToken: Cancel));
        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));

        await server.StopAsync();

        Assert.False(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
    }

    [Fact]
    public async Task WatchSnapshot_CancelledByTheCaller_EndsTheCallOnTheServer()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest(), new(cancellationToken: cancel.Token));
        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));

        await cancel.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        // The directory keeps serving, and new watches get the current snapshot.
        using var again = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest(), new(cancellationToken: Cancel));
        Assert.True(await Flows.Soon(again.ResponseStream.MoveNext(Cancel)));
    }
}
