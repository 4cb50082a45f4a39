using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Hosting;

public sealed class RestartTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WithTheSameDataFolder_KeepsMembersAndSnapshotVersion()
    {
        using var network = TestNetwork.Create();
        SignedSnapshot before;
        await using (var first = await DirectoryServer.StartAsync(network))
        {
            await Flows.AdmitAsync(first, network, "NL");
            await Flows.AdmitAsync(first, network, "SE");
            await first.Node("AT").RegisterAsync(new RegisterRequest { Application = network.Application("AT") }, new(cancellationToken: Cancel));
            await first.Secretariat().SuspendMemberAsync(new SuspendMemberRequest { Country = "SE", Reason = "audit" }, new(cancellationToken: Cancel));
            before = (await first.Node("NL").GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel))).Snapshot;
        }

        await using var second = await DirectoryServer.StartAsync(network);

        var after = (await second.Node("NL").GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel))).Snapshot;
        Assert.Equal(before, after);
        Assert.Equal(4UL, Flows.Verified(after, network).Version);
        var members = (await second.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel))).Members;
        Assert.Equal([("AT", MemberStatus.Pending), ("NL", MemberStatus.Active), ("SE", MemberStatus.Suspended)], members.Select(m => (m.Application.Country, m.Status)));
        Assert.Equal("audit", members[2].StatusReason);

        // Versions keep growing from where they were.
        await second.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = "AT" }, new(cancellationToken: Cancel));
        var next = await Flows.VerifiedSnapshotAsync(second.Node("NL"), network);
        Assert.Equal(5UL, next.Version);
        Assert.Equal(["AT", "NL"], next.Members.Select(m => m.Country));
    }

    [Fact]
    public async Task FirstStart_IssuesVersionOne_EvenWithoutMembers_AndCreatesTheDatabase()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var snapshot = await Flows.VerifiedSnapshotAsync(server.Node("NL"), network);

        Assert.Equal(1UL, snapshot.Version);
        Assert.Empty(snapshot.Members);
        Assert.True(File.Exists(Path.Combine(network.DataDirectory, "directory.db")));
    }
}
