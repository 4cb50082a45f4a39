using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralStateMachineTests
{
    private const string Reason = "the person went home";

    // Written out from DESIGN.md ("Transnational referrals"), independently of the table under test, in the table's order.
    private static readonly (ReferralStatus From, ReferralStatus To, TransitionOwner Owner, bool ReasonRequired)[] Expected =
    [
        (ReferralStatus.Draft, ReferralStatus.Submitted, TransitionOwner.Sender, false),
        (ReferralStatus.Submitted, ReferralStatus.Acknowledged, TransitionOwner.Receiver, false),
        (ReferralStatus.Acknowledged, ReferralStatus.UnderAssessment, TransitionOwner.Receiver, false),
        (ReferralStatus.UnderAssessment, ReferralStatus.Accepted, TransitionOwner.Receiver, false),
        (ReferralStatus.UnderAssessment, ReferralStatus.Declined, TransitionOwner.Receiver, true),
        (ReferralStatus.Accepted, ReferralStatus.Active, TransitionOwner.Receiver, false),
        (ReferralStatus.Active, ReferralStatus.FollowUp, TransitionOwner.Receiver, false),
        (ReferralStatus.Active, ReferralStatus.Closed, TransitionOwner.Either, false),
        (ReferralStatus.FollowUp, ReferralStatus.Closed, TransitionOwner.Either, false),
        (ReferralStatus.Draft, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        (ReferralStatus.Submitted, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        (ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        (ReferralStatus.UnderAssessment, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        (ReferralStatus.Accepted, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
    ];

    private static readonly ReferralStatus[] Statuses = [.. Enum.GetValues<ReferralStatus>().Where(s => s != ReferralStatus.Unspecified)];

    public static TheoryData<ReferralStatus, ReferralStatus> AllowedPairs()
    {
        var data = new TheoryData<ReferralStatus, ReferralStatus>();
        foreach (var t in ReferralStateMachine.Transitions)
        {
            data.Add(t.From, t.To);
        }

        return data;
    }

    public static TheoryData<ReferralStatus> AllStatuses() => [.. Statuses];

    [Fact]
    public void Transitions_AreExactlyTheDesignedOnes()
    {
        Assert.Equal(Expected, ReferralStateMachine.Transitions.Select(t => (t.From, t.To, t.Owner, t.ReasonRequired)));
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Refusal_AllowedTransitionByItsOwner_IsNull(ReferralStatus from, ReferralStatus to)
    {
        var transition = ReferralStateMachine.Find(from, to);
        Assert.NotNull(transition);
        var reason = transition.ReasonRequired ? Reason : string.Empty;

        foreach (var side in new[] { ReferralSide.Sender, ReferralSide.Receiver }.Where(s => Owns(transition.Owner, s)))
        {
            Assert.Null(ReferralStateMachine.Refusal(from, to, side, reason));
            Assert.Null(ReferralStateMachine.Refusal(from, to, side, Reason));
            Assert.Contains(to, ReferralStateMachine.Next(from, side));
        }
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Refusal_AllowedTransitionByTheOtherSide_NamesTheOwner(ReferralStatus from, ReferralStatus to)
    {
        var transition = ReferralStateMachine.Find(from, to)!;
        if (transition.Owner == TransitionOwner.Either)
        {
            Assert.Null(ReferralStateMachine.Refusal(from, to, ReferralSide.Sender, Reason));
            Assert.Null(ReferralStateMachine.Refusal(from, to, ReferralSide.Receiver, Reason));
            return;
        }

        var other = transition.Owner == TransitionOwner.Sender ? ReferralSide.Receiver : ReferralSide.Sender;
        var owner = transition.Owner == TransitionOwner.Sender ? "sending side" : "receiving side";

        var refusal = ReferralStateMachine.Refusal(from, to, other, Reason);

        Assert.Equal($"only the {owner} may move a referral from {ReferralStateMachine.Name(from)} to {ReferralStateMachine.Name(to)}", refusal);
        Assert.DoesNotContain(to, ReferralStateMachine.Next(from, other));
    }

    [Fact]
    public void Refusal_SubmitByTheReceiver_SaysOnlyTheSendingSide()
    {
        Assert.Equal("only the sending side may move a referral from DRAFT to SUBMITTED",
            ReferralStateMachine.Refusal(ReferralStatus.Draft, ReferralStatus.Submitted, ReferralSide.Receiver, null));
        Assert.Equal("only the receiving side may move a referral from UNDER_ASSESSMENT to ACCEPTED",
            ReferralStateMachine.Refusal(ReferralStatus.UnderAssessment, ReferralStatus.Accepted, ReferralSide.Sender, null));
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Refusal_PairNotInTheTable_ListsTheAllowedNextStatuses(ReferralStatus from)
    {
        var checkedPairs = 0;
        foreach (var to in Statuses.Where(to => !Expected.Any(e => e.From == from && e.To == to)))
        {
            Assert.Null(ReferralStateMachine.Find(from, to));
            foreach (var side in new[] { ReferralSide.Sender, ReferralSide.Receiver })
            {
                var allowed = Expected.Where(e => e.From == from && Owns(e.Owner, side)).Select(e => ReferralStateMachine.Name(e.To)).ToList();
                var final = from is ReferralStatus.Closed or ReferralStatus.Declined or ReferralStatus.Withdrawn;
                var options = allowed.Count > 0
                    ? string.Join(", ", allowed)
                    : "none: the referral is " + ReferralStateMachine.Name(from) + (final ? ", which is final" : string.Empty);
                var sideName = side == ReferralSide.Sender ? "sending side" : "receiving side";

                var refusal = ReferralStateMachine.Refusal(from, to, side, Reason);

                Assert.Equal(
                    $"a referral cannot go from {ReferralStateMachine.Name(from)} to {ReferralStateMachine.Name(to)} (from {ReferralStateMachine.Name(from)} the {sideName} may go to: {options})",
                    refusal);
                checkedPairs++;
            }
        }

        Assert.True(checkedPairs >= 2 * (Statuses.Length - 3), $"only {checkedPairs} refusals checked from {from}");
    }

    [Fact]
    public void Refusal_ActiveByTheSender_ListsOnlyClosed()
    {
        Assert.Equal("a referral cannot go from ACTIVE to ACCEPTED (from ACTIVE the sending side may go to: CLOSED)",
            ReferralStateMachine.Refusal(ReferralStatus.Active, ReferralStatus.Accepted, ReferralSide.Sender, null));
        Assert.Equal("a referral cannot go from ACTIVE to ACCEPTED (from ACTIVE the receiving side may go to: FOLLOW_UP, CLOSED)",
            ReferralStateMachine.Refusal(ReferralStatus.Active, ReferralStatus.Accepted, ReferralSide.Receiver, null));
    }

    [Theory]
    [InlineData(ReferralStatus.Unspecified)]
    [InlineData((ReferralStatus)99)]
    public void Refusal_NoTargetStatus_IsRefused(ReferralStatus to)
    {
        Assert.Equal("no target status was given", ReferralStateMachine.Refusal(ReferralStatus.Draft, to, ReferralSide.Sender, Reason));
    }

    [Theory]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Declined, ReferralSide.Receiver, null)]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Declined, ReferralSide.Receiver, "")]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Declined, ReferralSide.Receiver, "   ")]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Declined, ReferralSide.Receiver, "\t\r\n")]
    [InlineData(ReferralStatus.Draft, ReferralStatus.Withdrawn, ReferralSide.Sender, null)]
    [InlineData(ReferralStatus.Submitted, ReferralStatus.Withdrawn, ReferralSide.Sender, " ")]
    [InlineData(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, ReferralSide.Sender, "")]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Withdrawn, ReferralSide.Sender, "\n")]
    [InlineData(ReferralStatus.Accepted, ReferralStatus.Withdrawn, ReferralSide.Sender, null)]
    public void Refusal_DeclineOrWithdrawWithoutReason_AsksForOne(ReferralStatus from, ReferralStatus to, ReferralSide side, string? reason)
    {
        Assert.Equal($"a reason is required to move a referral to {ReferralStateMachine.Name(to)}", ReferralStateMachine.Refusal(from, to, side, reason));
        Assert.Null(ReferralStateMachine.Refusal(from, to, side, "x"));
    }

    [Theory]
    [InlineData(ReferralStatus.UnderAssessment, ReferralStatus.Declined, ReferralSide.Receiver)]
    [InlineData(ReferralStatus.Accepted, ReferralStatus.Withdrawn, ReferralSide.Sender)]
    [InlineData(ReferralStatus.Submitted, ReferralStatus.Acknowledged, ReferralSide.Receiver)]
    public void Refusal_ReasonLongerThanTheMaximum_IsRefused(ReferralStatus from, ReferralStatus to, ReferralSide side)
    {
        Assert.Equal(2000, ReferralStateMachine.MaxReasonLength);
        Assert.Null(ReferralStateMachine.Refusal(from, to, side, new string('r', ReferralStateMachine.MaxReasonLength)));

        Assert.Equal("the reason is 2001 characters long; at most 2000 are kept",
            ReferralStateMachine.Refusal(from, to, side, new string('r', ReferralStateMachine.MaxReasonLength + 1)));
    }

    [Theory]
    [InlineData(ReferralStatus.Active)]
    [InlineData(ReferralStatus.FollowUp)]
    [InlineData(ReferralStatus.Closed)]
    [InlineData(ReferralStatus.Declined)]
    [InlineData(ReferralStatus.Withdrawn)]
    public void Refusal_WithdrawOnceActiveOrFinal_IsImpossibleForEitherSide(ReferralStatus from)
    {
        Assert.Null(ReferralStateMachine.Find(from, ReferralStatus.Withdrawn));
        foreach (var side in new[] { ReferralSide.Sender, ReferralSide.Receiver })
        {
            var refusal = ReferralStateMachine.Refusal(from, ReferralStatus.Withdrawn, side, Reason);

            Assert.NotNull(refusal);
            Assert.StartsWith($"a referral cannot go from {ReferralStateMachine.Name(from)} to WITHDRAWN", refusal, StringComparison.Ordinal);
            Assert.DoesNotContain(ReferralStatus.Withdrawn, ReferralStateMachine.Next(from, side));
        }
    }

    [Theory]
    [InlineData(ReferralStatus.Draft, false)]
    [InlineData(ReferralStatus.Submitted, false)]
    [InlineData(ReferralStatus.Acknowledged, false)]
    [InlineData(ReferralStatus.UnderAssessment, false)]
    [InlineData(ReferralStatus.Accepted, false)]
    [InlineData(ReferralStatus.Declined, true)]
    [InlineData(ReferralStatus.Active, false)]
    [InlineData(ReferralStatus.FollowUp, false)]
    [InlineData(ReferralStatus.Closed, true)]
    [InlineData(ReferralStatus.Withdrawn, true)]
    public void IsFinal_OnlyClosedDeclinedWithdrawn_AndNothingLeavesThem(ReferralStatus status, bool final)
    {
        Assert.Equal(final, ReferralStateMachine.IsFinal(status));
        Assert.Equal(final, ReferralStateMachine.Transitions.All(t => t.From != status));
        Assert.Equal(final, ReferralStateMachine.Next(status, ReferralSide.Sender).Count + ReferralStateMachine.Next(status, ReferralSide.Receiver).Count == 0);
    }

    [Theory]
    [InlineData(ReferralStatus.Unspecified, false)]
    [InlineData(ReferralStatus.Draft, false)]
    [InlineData(ReferralStatus.Submitted, false)]
    [InlineData(ReferralStatus.Acknowledged, false)]
    [InlineData(ReferralStatus.UnderAssessment, false)]
    [InlineData(ReferralStatus.Accepted, true)]
    [InlineData(ReferralStatus.Declined, false)]
    [InlineData(ReferralStatus.Active, true)]
    [InlineData(ReferralStatus.FollowUp, true)]
    [InlineData(ReferralStatus.Closed, false)]
    [InlineData(ReferralStatus.Withdrawn, false)]
    public void AllowsNotes_OnlyFromAcceptedUntilClosed(ReferralStatus status, bool allowed)
    {
        Assert.Equal(allowed, ReferralStateMachine.AllowsNotes(status));
    }

    [Theory]
    [InlineData(ReferralStatus.Draft, "DRAFT")]
    [InlineData(ReferralStatus.Submitted, "SUBMITTED")]
    [InlineData(ReferralStatus.Acknowledged, "ACKNOWLEDGED")]
    [InlineData(ReferralStatus.UnderAssessment, "UNDER_ASSESSMENT")]
    [InlineData(ReferralStatus.Accepted, "ACCEPTED")]
    [InlineData(ReferralStatus.Declined, "DECLINED")]
    [InlineData(ReferralStatus.Active, "ACTIVE")]
    [InlineData(ReferralStatus.FollowUp, "FOLLOW_UP")]
    [InlineData(ReferralStatus.Closed, "CLOSED")]
    [InlineData(ReferralStatus.Withdrawn, "WITHDRAWN")]
    public void NameAndParse_RoundTrip_InAnyCaseWithDashOrUnderscore(ReferralStatus status, string name)
    {
        Assert.Equal(name, ReferralStateMachine.Name(status));
        Assert.Equal(status, ReferralStateMachine.Parse(name));
        Assert.Equal(status, ReferralStateMachine.Parse(name.ToLowerInvariant()));
        Assert.Equal(status, ReferralStateMachine.Parse(name.Replace('_', '-').ToLowerInvariant()));
        Assert.Equal(status, ReferralStateMachine.Parse("  " + name.Replace('_', '-') + " "));
    }

    [Theory]
    [InlineData("under-assessment", ReferralStatus.UnderAssessment)]
    [InlineData("Under_Assessment", ReferralStatus.UnderAssessment)]
    [InlineData("follow-up", ReferralStatus.FollowUp)]
    [InlineData("closed", ReferralStatus.Closed)]
    public void Parse_LowerCaseAndDashes_GivesTheStatus(string text, ReferralStatus expected)
    {
        Assert.Equal(expected, ReferralStateMachine.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("UNSPECIFIED")]
    [InlineData("unspecified")]
    [InlineData("underassessment")]
    [InlineData("under assessment")]
    [InlineData("REFERRAL_STATUS_DRAFT")]
    [InlineData("open")]
    public void Parse_UnknownName_IsNull(string text)
    {
        Assert.Null(ReferralStateMachine.Parse(text));
    }

    [Fact]
    public void Name_Unspecified_IsUnspecified()
    {
        Assert.Equal("UNSPECIFIED", ReferralStateMachine.Name(ReferralStatus.Unspecified));
    }

    private static bool Owns(TransitionOwner owner, ReferralSide side) =>
        (owner & (side == ReferralSide.Sender ? TransitionOwner.Sender : TransitionOwner.Receiver)) != 0;
}
