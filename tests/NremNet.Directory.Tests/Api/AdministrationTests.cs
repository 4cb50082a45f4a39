using Grpc.Core;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Hosting.Grpc;

namespace NremNet.Directory.Tests.Api;

public sealed class AdministrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApproveMember_BySecretariat_PutsTheMemberInANewSignedSnapshot()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        var approved = await server.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Active, approved.Member.Status);
        var signed = (await server.Node("SE").GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel))).Snapshot;
        Assert.Equal(NetworkIdentity.Thumbprint(network.DirectoryCertificate), signed.SignerThumbprint);
        var snapshot = Flows.Verified(signed, network);
        Assert.Equal(2UL, snapshot.Version);
        Assert.Equal(network.Application("NL"), Assert.Single(snapshot.Members));
        Assert.Equal(TimeSpan.FromHours(24), snapshot.ExpiresAt.ToDateTimeOffset() - snapshot.IssuedAt.ToDateTimeOffset());

        // The signature covers the exact bytes: a changed snapshot no longer verifies.
        var tampered = signed.Clone();
        var altered = Snapshot.Parser.ParseFrom(signed.Snapshot);
        altered.Members[0].PeerEndpoint = "https://attacker.example:7443";
        tampered.Snapshot = Google.Protobuf.ByteString.CopyFrom(Google.Protobuf.MessageExtensions.ToByteArray(altered));
        Assert.Equal(SnapshotTrust.Invalid, SnapshotSigning.Verify(tampered, network.Authority, DateTimeOffset.UtcNow).Trust);
    }

    [Fact]
    public async Task Snapshot_ListsActiveMembersSortedByCountry()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        foreach (var country in new[] { "SE", "AT", "NL" })
        {
            await Flows.AdmitAsync(server, network, country);
        }

        await server.Node("BE").RegisterAsync(new RegisterRequest { Application = network.Application("BE") }, new(cancellationToken: Cancel));

        var snapshot = await Flows.VerifiedSnapshotAsync(server.Node("BE"), network);
        Assert.Equal(4UL, snapshot.Version);
        Assert.Equal(["AT", "NL", "SE"], snapshot.Members.Select(m => m.Country));
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Equal(["AT", "BE", "NL", "SE"], listed.Members.Select(m => m.Application.Country));
    }

    [Fact]
    public async Task ApproveMember_ByNode_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("only the network secretariat may approve members", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1UL, (await Flows.VerifiedSnapshotAsync(server.Node("NL"), network)).Version);
    }

    [Fact]
    public async Task ListMembers_ByNode_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("only the network secretariat may list members", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("SuspendMember")]
    [InlineData("RemoveMember")]
    public async Task SuspendOrRemove_ByNode_IsPermissionDenied(string method)
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "SE");
        var node = server.Node("NL");

        var ex = await Assert.ThrowsAsync<RpcException>(() => method == "SuspendMember"
            ? node.SuspendMemberAsync(new SuspendMemberRequest { Country = "SE", Reason = "spite" }, new(cancellationToken: Cancel)).ResponseAsync
            : node.RemoveMemberAsync(new RemoveMemberRequest { Country = "SE", Reason = "spite" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Single((await Flows.VerifiedSnapshotAsync(node, network)).Members);
    }

    [Fact]
    public async Task ApproveMember_Unknown_IsNotFound_AndAlreadyActive_IsFailedPreconditionNamingTheStatus()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var secretariat = server.Secretariat();

        var unknown = await Assert.ThrowsAsync<RpcException>(() => secretariat.ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);
        await Flows.AdmitAsync(server, network, "NL");
        var twice = await Assert.ThrowsAsync<RpcException>(() => secretariat.ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        Assert.Contains("ACTIVE", twice.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(2UL, (await Flows.VerifiedSnapshotAsync(secretariat, network)).Version);
    }

    [Fact]
    public async Task SuspendMember_WithoutReasonAndBadCountry_ListsBothProblems()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Secretariat().SuspendMemberAsync(new SuspendMemberRequest { Country = "nl", Reason = "  " }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["country", "reason"], ex.GetFieldViolations().Select(v => v.Field));
    }

    [Fact]
    public async Task RemoveMember_WithoutReason_IsInvalidArgument_AndChangesNothing()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Secretariat().RemoveMemberAsync(new RemoveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("reason", Assert.Single(ex.GetFieldViolations()).Field);
        Assert.Single((await Flows.VerifiedSnapshotAsync(server.Secretariat(), network)).Members);
    }

    [Fact]
    public async Task SuspendMember_Active_PublishesANewVersionWithoutIt_ToWatchers()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        await Flows.AdmitAsync(server, network, "SE");
        using var watch = server.Node("SE").WatchSnapshot(new WatchSnapshotRequest { KnownVersion = 3 }, new(cancellationToken: Cancel));
        // Known version 3 is current: nothing is sent until the next change. The response headers prove the watch is
        // subscribed before the suspension.
        await Flows.Soon(watch.ResponseHeadersAsync);

        var suspended = await server.Secretariat().SuspendMemberAsync(new SuspendMemberRequest { Country = "NL", Reason = "certificate compromised" }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Suspended, suspended.Member.Status);
        Assert.Equal("certificate compromised", suspended.Member.StatusReason);
        Assert.True(await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)));
        var pushed = Flows.Verified(watch.ResponseStream.Current.Snapshot, network);
        Assert.Equal(4UL, pushed.Version);
        Assert.Equal(["SE"], pushed.Members.Select(m => m.Country));
        Assert.Equal(pushed, await Flows.VerifiedSnapshotAsync(server.Node("SE"), network));
    }

    [Fact]
    public async Task SuspendMember_Pending_DoesNotChangeTheSnapshot_ThenApproveAdmitsIt()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        var suspended = await server.Secretariat().SuspendMemberAsync(new SuspendMemberRequest { Country = "NL", Reason = "identity not confirmed" }, new(cancellationToken: Cancel));
        var versionAfterSuspension = (await Flows.VerifiedSnapshotAsync(server.Secretariat(), network)).Version;
        var approved = await server.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Suspended, suspended.Member.Status);
        Assert.Equal(1UL, versionAfterSuspension);
        Assert.Equal(MemberStatus.Active, approved.Member.Status);
        var snapshot = await Flows.VerifiedSnapshotAsync(server.Secretariat(), network);
        Assert.Equal(2UL, snapshot.Version);
        Assert.Single(snapshot.Members);
    }

    [Fact]
    public async Task RemoveMember_IsFinal_AndEveryStatusChangeIsInTheHistory()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        var secretariat = server.Secretariat();
        await secretariat.SuspendMemberAsync(new SuspendMemberRequest { Country = "NL", Reason = "audit" }, new(cancellationToken: Cancel));
        await secretariat.ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel));

        var removed = await secretariat.RemoveMemberAsync(new RemoveMemberRequest { Country = "NL", Reason = "left the network" }, new(cancellationToken: Cancel));
        var approveAgain = await Assert.ThrowsAsync<RpcException>(() => secretariat.ApproveMemberAsync(new ApproveMemberRequest { Country = "NL" }, new(cancellationToken: Cancel)).ResponseAsync);
        var removeAgain = await Assert.ThrowsAsync<RpcException>(() => secretariat.RemoveMemberAsync(new RemoveMemberRequest { Country = "NL", Reason = "twice" }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(MemberStatus.Removed, removed.Member.Status);
        Assert.Equal(StatusCode.FailedPrecondition, approveAgain.StatusCode);
        Assert.Contains("REMOVED", approveAgain.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, removeAgain.StatusCode);
        var snapshot = await Flows.VerifiedSnapshotAsync(secretariat, network);
        Assert.Equal(5UL, snapshot.Version);
        Assert.Empty(snapshot.Members);

        var history = await MemberHistory.ReadAsync(network, "NL");
        Assert.Equal(
            [("registered", "PENDING", ""), ("approved", "ACTIVE", ""), ("suspended", "SUSPENDED", "audit"), ("approved", "ACTIVE", ""), ("removed", "REMOVED", "left the network")],
            history.Select(e => (e.Event, e.Status, e.Reason)));
        Assert.All(history.Skip(1), e => Assert.StartsWith("secretariat (NremNet secretariat (Test Secretariat), " + NetworkIdentity.Thumbprint(network.Secretariat), e.Actor, StringComparison.Ordinal));
        Assert.StartsWith("node NL", history[0].Actor, StringComparison.Ordinal);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task ConcurrentApprovals_IssueEveryVersionOnceAndInOrder()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        string[] countries = ["AT", "BE", "DE", "FR", "IT", "NL", "PL", "SE"];
        await Task.WhenAll(countries.Select(c => server.Node(c).RegisterAsync(new RegisterRequest { Application = network.Application(c) }, new(cancellationToken: Cancel)).ResponseAsync));
        using var watch = server.Node("NL").WatchSnapshot(new WatchSnapshotRequest { KnownVersion = 1 }, new(cancellationToken: Cancel));
        await Flows.Soon(watch.ResponseHeadersAsync);

        await Task.WhenAll(countries.Select(c => server.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = c }, new(cancellationToken: Cancel)).ResponseAsync));

        var seen = new List<ulong>();
        while (seen.Count < countries.Length && await Flows.Soon(watch.ResponseStream.MoveNext(Cancel)))
        {
            var snapshot = Flows.Verified(watch.ResponseStream.Current.Snapshot, network);
            seen.Add(snapshot.Version);
            Assert.Equal((int)snapshot.Version - 1, snapshot.Members.Count);
        }

        Assert.Equal([2UL, 3UL, 4UL, 5UL, 6UL, 7UL, 8UL, 9UL], seen);
        Assert.Equal(countries, (await Flows.VerifiedSnapshotAsync(server.Secretariat(), network)).Members.Select(m => m.Country));
    }
}
