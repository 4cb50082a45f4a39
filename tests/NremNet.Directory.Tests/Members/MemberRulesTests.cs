using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Members;

namespace NremNet.Directory.Tests.Members;

/// <summary>
/// The membership state machine on its own, without a server. Its refusals are the domain's
/// (<see cref="MemberRefusedException"/>); the API's tests check the status codes they become.
/// </summary>
public sealed class MemberRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Register_New_IsPendingAndLeavesTheSnapshotAlone()
    {
        var change = MemberRules.Register(null, Application());

        Assert.Equal((MemberStatus.Pending, MemberRules.Registered, false), (change.Status, change.Event, change.ChangesSnapshot));
    }

    [Theory]
    [InlineData(MemberStatus.Pending, "https://node.example:7443", MemberStatus.Pending, null, false)]
    [InlineData(MemberStatus.Pending, "https://moved.example:7443", MemberStatus.Pending, MemberRules.ApplicationUpdated, false)]
    [InlineData(MemberStatus.Suspended, "https://moved.example:7443", MemberStatus.Suspended, MemberRules.ApplicationUpdated, false)]
    [InlineData(MemberStatus.Active, "https://node.example:7443", MemberStatus.Active, null, false)]
    [InlineData(MemberStatus.Active, "https://moved.example:7443", MemberStatus.Active, MemberRules.ApplicationUpdated, true)]
    public void Register_Again_WithTheSameCertificate(MemberStatus status, string endpoint, MemberStatus expected, string? expectedEvent, bool snapshotChanges)
    {
        var change = MemberRules.Register(Member(status), Application(endpoint: endpoint));

        Assert.Equal((expected, expectedEvent, snapshotChanges), (change.Status, change.Event, change.ChangesSnapshot));
        Assert.Equal(endpoint, change.Application.PeerEndpoint);
    }

    [Fact]
    public void Register_ActiveWithANewCertificate_GoesBackToPending()
    {
        var change = MemberRules.Register(Member(MemberStatus.Active), Application(thumbprint: new string('B', 64)));

        Assert.Equal((MemberStatus.Pending, MemberRules.CertificateChanged, true), (change.Status, change.Event, change.ChangesSnapshot));
    }

    [Fact]
    public void Register_Removed_IsRefusedForItsStatus()
    {
        var ex = Assert.Throws<MemberRefusedException>(() => MemberRules.Register(Member(MemberStatus.Removed, "fraud"), Application()));

        Assert.Equal(MemberRefusalKind.WrongStatus, ex.Kind);
        Assert.Contains("2026-03-01 (fraud)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MemberStatus.Pending, true)]
    [InlineData(MemberStatus.Suspended, true)]
    [InlineData(MemberStatus.Active, false)]
    [InlineData(MemberStatus.Removed, false)]
    public void Approve_OnlyFromPendingOrSuspended(MemberStatus status, bool allowed)
    {
        if (allowed)
        {
            var change = MemberRules.Approve("NL", Member(status));
            Assert.Equal((MemberStatus.Active, true), (change.Status, change.ChangesSnapshot));
        }
        else
        {
            var ex = Assert.Throws<MemberRefusedException>(() => MemberRules.Approve("NL", Member(status)));
            Assert.Equal(MemberRefusalKind.WrongStatus, ex.Kind);
            Assert.Contains(status.ToString().ToUpperInvariant(), ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(MemberStatus.Active, true, true)]
    [InlineData(MemberStatus.Pending, true, false)]
    [InlineData(MemberStatus.Suspended, false, false)]
    [InlineData(MemberStatus.Removed, false, false)]
    public void Suspend_FromActiveOrPending_ChangingTheSnapshotOnlyWhenActive(MemberStatus status, bool allowed, bool snapshotChanges)
    {
        if (allowed)
        {
            var change = MemberRules.Suspend("NL", Member(status), "audit");
            Assert.Equal((MemberStatus.Suspended, "audit", snapshotChanges), (change.Status, change.Reason, change.ChangesSnapshot));
        }
        else
        {
            Assert.Equal(MemberRefusalKind.WrongStatus, Assert.Throws<MemberRefusedException>(() => MemberRules.Suspend("NL", Member(status), "audit")).Kind);
        }
    }

    [Theory]
    [InlineData(MemberStatus.Active, true, true)]
    [InlineData(MemberStatus.Pending, true, false)]
    [InlineData(MemberStatus.Suspended, true, false)]
    [InlineData(MemberStatus.Removed, false, false)]
    public void Remove_FromAnyButRemoved(MemberStatus status, bool allowed, bool snapshotChanges)
    {
        if (allowed)
        {
            var change = MemberRules.Remove("NL", Member(status), "left");
            Assert.Equal((MemberStatus.Removed, snapshotChanges), (change.Status, change.ChangesSnapshot));
        }
        else
        {
            Assert.Equal(MemberRefusalKind.WrongStatus, Assert.Throws<MemberRefusedException>(() => MemberRules.Remove("NL", Member(status), "left")).Kind);
        }
    }

    [Fact]
    public void AdministeringAnUnknownMember_IsRefusedAsNotFound()
    {
        Assert.Equal(MemberRefusalKind.NotFound, Assert.Throws<MemberRefusedException>(() => MemberRules.Approve("NL", null)).Kind);
        Assert.Equal(MemberRefusalKind.NotFound, Assert.Throws<MemberRefusedException>(() => MemberRules.Suspend("NL", null, "x")).Kind);
        Assert.Equal(MemberRefusalKind.NotFound, Assert.Throws<MemberRefusedException>(() => MemberRules.Remove("NL", null, "x")).Kind);
    }

    private static MemberApplication Application(string endpoint = "https://node.example:7443", string? thumbprint = null) => new()
    {
        Country = "NL",
        MechanismName = "Synthetic rapporteur NL",
        MechanismType = MechanismType.NationalRapporteur,
        PeerEndpoint = endpoint,
        CertificateThumbprint = thumbprint ?? new string('A', 64),
    };

    private static MemberRecord Member(MemberStatus status, string reason = "") => new("NL", status, Application(), At, At, null, reason);
}
