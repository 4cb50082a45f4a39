using Grpc.Core;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Domain.Pki;
using NremNet.Hosting.Grpc;

namespace NremNet.Directory.Tests.Api;

public sealed class RegistrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_NewMember_StaysPendingAndIsAbsentFromTheSnapshot()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var response = await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Pending, response.Member.Status);
        Assert.Equal(network.Application("NL"), response.Member.Application);
        Assert.NotNull(response.Member.RegisteredAt);
        Assert.Null(response.Member.LastHeartbeat);
        var snapshot = await Flows.VerifiedSnapshotAsync(server.Node("NL"), network);
        Assert.Equal(1UL, snapshot.Version);
        Assert.Empty(snapshot.Members);
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Equal(MemberStatus.Pending, Assert.Single(listed.Members).Status);
    }

    [Fact]
    public async Task Register_InvalidApplication_ListsEveryFieldProblemInBadRequestDetails()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var application = network.Application("NL");
        application.MechanismName = " ";
        application.MechanismType = MechanismType.Unspecified;
        application.PeerEndpoint = "http://node-nl.example:7443";
        application.CertificateThumbprint = "abc";
        application.Services.Add("not a service");
        application.FocalPoints.Add(new FocalPoint { Name = "", Email = "nobody" });

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").RegisterAsync(new RegisterRequest { Application = application }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(
            [
                "application.mechanism_name",
                "application.mechanism_type",
                "application.peer_endpoint",
                "application.certificate_thumbprint",
                "application.services[1]",
                "application.focal_points[1].name",
                "application.focal_points[1].email",
            ],
            ex.GetFieldViolations().Select(v => v.Field));
        Assert.Contains("7 problems", ex.Status.Detail, StringComparison.Ordinal);
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Empty(listed.Members);
    }

    [Fact]
    public async Task Register_WithoutApplication_IsInvalidArgument()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").RegisterAsync(new RegisterRequest(), new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("application", Assert.Single(ex.GetFieldViolations()).Field);
    }

    [Fact]
    public async Task Register_AnotherCountry_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var application = network.Application("SE", certificate: network.Node("NL"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").RegisterAsync(new RegisterRequest { Application = application }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("only its own country", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.EventName == "CallRefused" && e.Message.Contains("PermissionDenied", StringComparison.Ordinal));
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Empty(listed.Members);
    }

    [Fact]
    public async Task Register_SomeoneElsesThumbprint_IsPermissionDeniedNamingBoth()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var otherCertificate = network.IssueNode("NL");
        var application = network.Application("NL", certificate: otherCertificate);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").RegisterAsync(new RegisterRequest { Application = application }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains(NetworkIdentity.Thumbprint(otherCertificate), ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(NetworkIdentity.Thumbprint(network.Node("NL")), ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithItsCertificate_PublishesIt_AnotherCertificateIsInvalidArgument()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var node = server.Node("NL");

        var wrong = network.Application("NL");
        wrong.Certificate = Google.Protobuf.ByteString.CopyFrom(network.IssueNode("NL").RawData);
        var ex = await Assert.ThrowsAsync<RpcException>(() => node.RegisterAsync(new RegisterRequest { Application = wrong }, new(cancellationToken: Cancel)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("certificate", ex.Status.Detail, StringComparison.Ordinal);

        var right = network.Application("NL");
        right.Certificate = Google.Protobuf.ByteString.CopyFrom(network.Node("NL").RawData);
        var response = await node.RegisterAsync(new RegisterRequest { Application = right }, new(cancellationToken: Cancel));
        Assert.Equal(network.Node("NL").RawData, response.Member.Application.Certificate.ToByteArray());
    }

    [Fact]
    public async Task Register_BySecretariat_IsPermissionDenied()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Secretariat().RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("Only a country node", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AgainWhilePending_UpdatesTheApplicationAndStaysPending()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var node = server.Node("NL");
        await node.RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        var again = await node.RegisterAsync(new RegisterRequest { Application = network.Application("NL", endpoint: "https://new.example:7443") }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Pending, again.Member.Status);
        Assert.Equal("https://new.example:7443", again.Member.Application.PeerEndpoint);
        Assert.Equal(1UL, (await Flows.VerifiedSnapshotAsync(node, network)).Version);
    }

    [Fact]
    public async Task Register_AgainWhileActive_WithChangedEndpoint_StaysActiveAndPublishesTheChange()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        var node = server.Node("NL");

        var again = await node.RegisterAsync(new RegisterRequest { Application = network.Application("NL", endpoint: "https://moved.example:7443") }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Active, again.Member.Status);
        var snapshot = await Flows.VerifiedSnapshotAsync(node, network);
        Assert.Equal(3UL, snapshot.Version);
        Assert.Equal("https://moved.example:7443", Assert.Single(snapshot.Members).PeerEndpoint);
    }

    [Fact]
    public async Task Register_AgainWhileActive_Unchanged_KeepsTheSnapshotVersion()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        var before = await server.Node("NL").GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel));

        var again = await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Active, again.Member.Status);
        var after = await server.Node("NL").GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel));
        Assert.Equal(before.Snapshot, after.Snapshot);
        Assert.Equal(2UL, Flows.Verified(after.Snapshot, network).Version);
    }

    [Fact]
    public async Task Register_AgainWhileActive_WithNewCertificate_GoesBackToPendingAndLeavesTheSnapshot()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        var renewed = network.IssueNode("NL");

        var again = await server.Client(renewed).RegisterAsync(new RegisterRequest { Application = network.Application("NL", certificate: renewed) }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Pending, again.Member.Status);
        var snapshot = await Flows.VerifiedSnapshotAsync(server.Client(renewed), network);
        Assert.Equal(3UL, snapshot.Version);
        Assert.Empty(snapshot.Members);
        var history = await MemberHistory.ReadAsync(network, "NL");
        var changed = history[^1];
        Assert.Equal("certificate_changed", changed.Event);
        Assert.Equal("PENDING", changed.Status);
        Assert.Contains(NetworkIdentity.Thumbprint(renewed), changed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AgainWhileSuspended_StaysSuspended()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        await server.Secretariat().SuspendMemberAsync(new SuspendMemberRequest { Country = "NL", Reason = "annual report overdue" }, new(cancellationToken: Cancel));

        var again = await server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL", endpoint: "https://moved.example:7443") }, new(cancellationToken: Cancel));

        Assert.Equal(MemberStatus.Suspended, again.Member.Status);
        Assert.Equal("annual report overdue", again.Member.StatusReason);
        Assert.Empty((await Flows.VerifiedSnapshotAsync(server.Node("NL"), network)).Members);
    }

    [Fact]
    public async Task Register_AfterRemoval_IsFailedPrecondition()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        await Flows.AdmitAsync(server, network, "NL");
        await server.Secretariat().RemoveMemberAsync(new RemoveMemberRequest { Country = "NL", Reason = "left the network" }, new(cancellationToken: Cancel));

        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Node("NL").RegisterAsync(new RegisterRequest { Application = network.Application("NL") }, new(cancellationToken: Cancel)).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("removed from the network", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("left the network", ex.Status.Detail, StringComparison.Ordinal);
        var listed = await server.Secretariat().ListMembersAsync(new ListMembersRequest(), new(cancellationToken: Cancel));
        Assert.Equal(MemberStatus.Removed, Assert.Single(listed.Members).Status);
    }
}
