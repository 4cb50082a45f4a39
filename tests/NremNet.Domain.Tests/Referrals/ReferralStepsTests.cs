using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralStepsTests
{
    private const string ReferralId = "0195c0de-0000-7000-8000-000000000001";

    [Fact]
    public void Plan_SenderSubmitsDraft_OneStepSent_NextSequenceAndClock()
    {
        var change = ReferralSteps.Plan(ReferralId, ReferralStatus.Draft, ReferralSide.Sender, ReferralStatus.Submitted, string.Empty, ownSequence: 0, clock: 0);

        Assert.Equal([new ReferralStep(ReferralStatus.Draft, ReferralStatus.Submitted, string.Empty, 1, 1)], change.Steps);
        Assert.Equal((ReferralStatus.Submitted, true, 1L), (change.To, change.Sent, change.OwnSequence));
    }

    [Theory]
    [InlineData(ReferralStatus.Accepted, "")]
    [InlineData(ReferralStatus.Declined, "no capacity")]
    public void Plan_ReceiverDecidesOnAcknowledged_PassesThroughUnderAssessment_ReasonOnTheLastStep(ReferralStatus to, string reason)
    {
        var change = ReferralSteps.Plan(ReferralId, ReferralStatus.Acknowledged, ReferralSide.Receiver, to, reason, ownSequence: 1, clock: 2);

        Assert.Equal(
            [
                new ReferralStep(ReferralStatus.Acknowledged, ReferralStatus.UnderAssessment, string.Empty, 2, 3),
                new ReferralStep(ReferralStatus.UnderAssessment, to, reason, 3, 4),
            ],
            change.Steps);
        Assert.Equal((to, true, 3L), (change.To, change.Sent, change.OwnSequence));
    }

    [Fact]
    public void Plan_ReceiverDecidesUnderAssessment_OneStep()
    {
        var change = ReferralSteps.Plan(ReferralId, ReferralStatus.UnderAssessment, ReferralSide.Receiver, ReferralStatus.Accepted, string.Empty, ownSequence: 2, clock: 7);

        Assert.Equal([new ReferralStep(ReferralStatus.UnderAssessment, ReferralStatus.Accepted, string.Empty, 3, 8)], change.Steps);
    }

    [Fact]
    public void Plan_DraftWithdrawn_NeverSent_SequenceUnchanged_ClockAdvances()
    {
        var change = ReferralSteps.Plan(ReferralId, ReferralStatus.Draft, ReferralSide.Sender, ReferralStatus.Withdrawn, "written by mistake", ownSequence: 0, clock: 0);

        var step = Assert.Single(change.Steps);
        Assert.Equal(new ReferralStep(ReferralStatus.Draft, ReferralStatus.Withdrawn, "written by mistake", -1, 1), step);
        Assert.Equal((false, false, 0L), (step.Sent, change.Sent, change.OwnSequence));
    }

    [Fact]
    public void Plan_SubmittedReferralWithdrawn_Sent()
    {
        var change = ReferralSteps.Plan(ReferralId, ReferralStatus.Submitted, ReferralSide.Sender, ReferralStatus.Withdrawn, "the person went home", ownSequence: 1, clock: 1);

        Assert.Equal([new ReferralStep(ReferralStatus.Submitted, ReferralStatus.Withdrawn, "the person went home", 2, 2)], change.Steps);
        Assert.True(change.Sent);
    }

    [Fact]
    public void Plan_TransitionTheSideDoesNotOwn_WrongState_NamesTheStatusAndWhatIsAllowed()
    {
        var ex = Assert.Throws<ReferralRefusedException>(() =>
            ReferralSteps.Plan(ReferralId, ReferralStatus.Acknowledged, ReferralSide.Sender, ReferralStatus.Accepted, string.Empty, 1, 2));

        Assert.Equal(ReferralRefusalKind.WrongState, ex.Refusal.Kind);
        Assert.Equal(
            $"Referral {ReferralId} is ACKNOWLEDGED: a referral cannot go from ACKNOWLEDGED to ACCEPTED (from ACKNOWLEDGED the sending side may go to: WITHDRAWN).",
            ex.Message);
    }

    [Fact]
    public void Plan_DeclineWithoutReason_RefusedAtItsSecondStep_MessageNamesTheStatusBefore()
    {
        var ex = Assert.Throws<ReferralRefusedException>(() =>
            ReferralSteps.Plan(ReferralId, ReferralStatus.Acknowledged, ReferralSide.Receiver, ReferralStatus.Declined, string.Empty, 1, 2));

        Assert.Equal(ReferralRefusalKind.WrongState, ex.Refusal.Kind);
        Assert.Equal($"Referral {ReferralId} is ACKNOWLEDGED: a reason is required to move a referral to DECLINED.", ex.Message);
    }

    [Fact]
    public void Plan_FinalReferral_WrongState()
    {
        var ex = Assert.Throws<ReferralRefusedException>(() =>
            ReferralSteps.Plan(ReferralId, ReferralStatus.Closed, ReferralSide.Receiver, ReferralStatus.Active, string.Empty, 4, 9));

        Assert.Equal(
            $"Referral {ReferralId} is CLOSED: a referral cannot go from CLOSED to ACTIVE (from CLOSED the receiving side may go to: none: the referral is CLOSED, which is final).",
            ex.Message);
    }

    [Theory]
    [InlineData("  see the attached assessment  ", "see the attached assessment")]
    [InlineData("x", "x")]
    public void NoteText_Trimmed(string text, string expected)
    {
        Assert.Equal(expected, ReferralSteps.NoteText(text));
    }

    [Theory]
    [InlineData(null, "The note is empty.")]
    [InlineData("   ", "The note is empty.")]
    public void NoteText_Empty_Invalid(string? text, string message)
    {
        var ex = Assert.Throws<ReferralRefusedException>(() => ReferralSteps.NoteText(text));

        Assert.Equal((ReferralRefusalKind.Invalid, message), (ex.Refusal.Kind, ex.Message));
    }

    [Fact]
    public void NoteText_TooLong_Invalid_SaysHowLong()
    {
        Assert.Equal(ReferralSteps.MaxNoteLength, ReferralSteps.NoteText(new string('a', ReferralSteps.MaxNoteLength)).Length);
        var ex = Assert.Throws<ReferralRefusedException>(() => ReferralSteps.NoteText(new string('a', ReferralSteps.MaxNoteLength + 1)));

        Assert.Equal((ReferralRefusalKind.Invalid, "The note is 4001 characters long; at most 4000."), (ex.Refusal.Kind, ex.Message));
    }

    [Theory]
    [InlineData(ReferralStatus.Accepted)]
    [InlineData(ReferralStatus.Active)]
    [InlineData(ReferralStatus.FollowUp)]
    public void PlanNote_WhileNotesAreExchanged_NextSequenceAndClock(ReferralStatus status)
    {
        Assert.Equal((4L, 10L), ReferralSteps.PlanNote(ReferralId, status, ownSequence: 3, clock: 9));
    }

    [Theory]
    [InlineData(ReferralStatus.Draft)]
    [InlineData(ReferralStatus.Submitted)]
    [InlineData(ReferralStatus.UnderAssessment)]
    [InlineData(ReferralStatus.Closed)]
    public void PlanNote_BeforeAcceptedOrAfterClosed_WrongState(ReferralStatus status)
    {
        var ex = Assert.Throws<ReferralRefusedException>(() => ReferralSteps.PlanNote(ReferralId, status, 3, 9));

        Assert.Equal(ReferralRefusalKind.WrongState, ex.Refusal.Kind);
        Assert.Equal(
            $"Referral {ReferralId} is {ReferralStateMachine.Name(status)}: follow-up notes are exchanged once it is ACCEPTED, and until it is closed.",
            ex.Message);
    }

    [Fact]
    public void Acknowledgement_TheReceiversFirstMessage_OneTickAfterTheSubmission()
    {
        var submission = new ReferralMessage { ReferralId = ReferralId, Sequence = 1, Clock = 5 };

        var step = ReferralSteps.Acknowledgement(submission);

        Assert.Equal(new ReferralStep(ReferralStatus.Submitted, ReferralStatus.Acknowledged, string.Empty, 1, 6), step);
        Assert.Equal(new StatusChange { From = ReferralStatus.Submitted, To = ReferralStatus.Acknowledged }, step.ToStatusChange());
    }

    [Theory]
    [InlineData(ReferralSide.Receiver, ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, "the person went home")]
    [InlineData(ReferralSide.Sender, ReferralStatus.UnderAssessment, ReferralStatus.Accepted, "")]
    [InlineData(ReferralSide.Sender, ReferralStatus.Active, ReferralStatus.Closed, "")]
    public void CheckPeerChange_ATransitionTheOtherSideOwns_Allowed(ReferralSide ownSide, ReferralStatus from, ReferralStatus to, string reason)
    {
        ReferralSteps.CheckPeerChange(Change(from, to, reason), ownSide);
    }

    [Fact]
    public void CheckPeerChange_ToSubmitted_WrongState_OnlyADeliverySubmits()
    {
        var ex = Assert.Throws<ReferralRefusedException>(() => ReferralSteps.CheckPeerChange(Change(ReferralStatus.Draft, ReferralStatus.Submitted, string.Empty), ReferralSide.Receiver));

        Assert.Equal(ReferralRefusalKind.WrongState, ex.Refusal.Kind);
        Assert.Equal($"This node refuses the change of referral {ReferralId}: a referral is submitted only by delivering it.", ex.Message);
    }

    [Fact]
    public void CheckPeerChange_ATransitionThisSideOwns_WrongState()
    {
        // The sender may not accept its own referral.
        var ex = Assert.Throws<ReferralRefusedException>(() =>
            ReferralSteps.CheckPeerChange(Change(ReferralStatus.UnderAssessment, ReferralStatus.Accepted, string.Empty), ReferralSide.Receiver));

        Assert.Equal(
            $"This node refuses the change of referral {ReferralId}: only the receiving side may move a referral from UNDER_ASSESSMENT to ACCEPTED.",
            ex.Message);
    }

    [Fact]
    public void NewMessage_EnvelopeOfTheStep_IdDatedNow()
    {
        var now = new DateTimeOffset(2026, 3, 10, 9, 30, 0, TimeSpan.Zero);

        var message = ReferralSteps.NewMessage(ReferralId, "NL", "SE", sequence: 2, clock: 5, now, "officer");

        Assert.Equal((ReferralId, "NL", "SE", 2UL, 5UL, now, "officer"), (message.ReferralId, message.FromCountry, message.ToCountry, message.Sequence, message.Clock, message.CreatedAt.ToDateTimeOffset(), message.Actor));
        Assert.Equal(7, Guid.Parse(message.MessageId).Version);
        Assert.Equal(ReferralMessage.BodyOneofCase.None, message.BodyCase);
    }

    private static ReferralMessage Change(ReferralStatus from, ReferralStatus to, string reason) =>
        new() { ReferralId = ReferralId, MessageId = Guid.NewGuid().ToString(), Sequence = 2, StatusChange = new StatusChange { From = from, To = to, Reason = reason } };
}
