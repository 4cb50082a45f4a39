using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Api;

public sealed class HeartbeatTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Heartbeat_RecordsTheTime_AndAnswersTheSnapshotVersionAndStatus()
    {
        using var network = TestNetwork.Create();
        var time = new FakeTimeProvider(network.Now);
        await using var server = await DirectoryServer.StartAsync(network, time);
        await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));
        time.Advance(TimeSpan.FromMinutes(5));

        var pending = await server.Node("NL").HeartbeatAsync(new HeartbeatRequest { Country = "NL", SnapshotVersion = 0 }, new(cancellationToken: Cancel));
        await server.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel));
        var active = await server.Node("NL").HeartbeatAsync(new HeartbeatRequest { Country = "NL", SnapshotVersion = 1 }, new(cancellationToken: Cancel));

        Assert.Equal((1UL, MemberStatus.Pending), (pending.SnapshotVersion, pending.Status));
        Assert.Equal((2UL, MemberStatus.Active), (active.SnapshotVersion, active.Status));
        var member = Assert.Single((await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel))).Members);
        Assert.Equal(network.Now + TimeSpan.FromMinutes(5), member.LastHeartbeat.ToDateTimeOffset());
        Assert.Equal(network.Now, member.RegisteredAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task Heartbeat_UnknownCountry_IsNotFound()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").HeartbeatAsync(new HeartbeatRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("Register", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_ForAnotherCountry_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "SE");

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").HeartbeatAsync(new HeartbeatRequest { Country = "SE" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        var member = Assert.Single((await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel))).Members);
        Assert.Null(member.LastHeartbeat);
    }

    [Fact]
    public async Task Heartbeat_BySecretariat_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Secretariat().HeartbeatAsync(new HeartbeatRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }
}
