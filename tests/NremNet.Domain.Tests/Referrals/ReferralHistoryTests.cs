using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Replay_HappyPath_EndsClosedWithEveryEventApplied()
    {
        var events = HappyPath("NL", "SE");

        var history = ReferralHistory.Replay(events, "NL");

        Assert.Equal(ReferralStatus.Closed, history.Status);
        Assert.Equal(10, history.Clock);
        Assert.Equal(events, history.Events.Select(e => e.Event));
        Assert.All(history.Events, e => Assert.True(e.Applied, $"{e.Event.MessageId}: {e.Conflict}"));
        Assert.All(history.Events, e => Assert.Null(e.Conflict));
        Assert.Equal(
            [
                ReferralStatus.Unspecified, ReferralStatus.Draft, ReferralStatus.Submitted, ReferralStatus.Acknowledged,
                ReferralStatus.UnderAssessment, ReferralStatus.Accepted, ReferralStatus.Accepted, ReferralStatus.Active,
                ReferralStatus.FollowUp, ReferralStatus.FollowUp,
            ],
            history.Events.Select(e => e.From));
    }

    [Fact]
    public void Replay_EventsInAnyOrder_GiveTheSameHistory()
    {
        // A crossing pair, then changes and notes refused because of it: the order matters for every one of them.
        List<ReferralEvent> events =
        [
            .. UpToUnderAssessment("NL", "SE"),
            Change("SE", 3, 5, ReferralStatus.Accepted),
            Change("NL", 3, 5, ReferralStatus.Withdrawn, "duplicate referral"),
            Note("NL", 4, 6),
            Change("SE", 4, 6, ReferralStatus.Active),
            Note("SE", 5, 7),
        ];
        var expected = ReferralHistory.Replay(events, "NL");
        var random = new Random(20260302);

        for (var i = 0; i < 200; i++)
        {
            var shuffled = events.ToArray();
            random.Shuffle(shuffled);

            var history = ReferralHistory.Replay(shuffled, "NL");

            Assert.Equal(expected.Status, history.Status);
            Assert.Equal(expected.Clock, history.Clock);
            Assert.Equal(expected.Events, history.Events);
        }

        Assert.Equal(ReferralStatus.Withdrawn, expected.Status);
        Assert.Equal(7, expected.Clock);
        Assert.Equal(["NL-3", "SE-3", "NL-4", "SE-4", "SE-5"], expected.Events.Skip(4).Select(e => e.Event.MessageId));
        Assert.Equal([true, false, false, false, false], expected.Events.Skip(4).Select(e => e.Applied));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Replay_WithdrawalCrossingAcceptance_SameClock_EndsTheSameWhicheverArrivesFirst(bool acceptanceFirst)
    {
        // NL (sender) sorts before SE (receiver): the withdrawal is applied first; the acceptance comes too late.
        var withdrawal = Change("NL", 3, 5, ReferralStatus.Withdrawn, "the person went home");
        var acceptance = Change("SE", 3, 5, ReferralStatus.Accepted);
        var events = UpToUnderAssessment("NL", "SE");
        events.AddRange(acceptanceFirst ? [acceptance, withdrawal] : [withdrawal, acceptance]);

        var history = ReferralHistory.Replay(events, "NL");

        Assert.Equal(ReferralStatus.Withdrawn, history.Status);
        Assert.Equal(5, history.Clock);
        var last = history.Events.TakeLast(2).ToList();
        Assert.Equal(withdrawal, last[0].Event);
        Assert.True(last[0].Applied);
        Assert.Equal(ReferralStatus.UnderAssessment, last[0].From);
        Assert.Equal(acceptance, last[1].Event);
        Assert.False(last[1].Applied);
        Assert.Equal(ReferralStatus.Withdrawn, last[1].From);
        Assert.Equal("a referral cannot go from WITHDRAWN to ACCEPTED (from WITHDRAWN the receiving side may go to: none: the referral is WITHDRAWN, which is final)", last[1].Conflict);
    }

    [Theory]
    [InlineData("NL", "SE", ReferralStatus.Withdrawn)]
    [InlineData("SE", "NL", ReferralStatus.Declined)]
    [InlineData("DE", "AT", ReferralStatus.Declined)]
    [InlineData("AT", "DE", ReferralStatus.Withdrawn)]
    public void Replay_WithdrawalCrossingDecline_SameClock_TheCountryFirstInOrderWins(string sender, string receiver, ReferralStatus expected)
    {
        var withdrawal = Change(sender, 3, 5, ReferralStatus.Withdrawn, "the person went home");
        var decline = Change(receiver, 3, 5, ReferralStatus.Declined, "no shelter place");
        var baseEvents = UpToUnderAssessment(sender, receiver);

        var one = ReferralHistory.Replay([.. baseEvents, withdrawal, decline], sender);
        var other = ReferralHistory.Replay([.. baseEvents, decline, withdrawal], sender);

        Assert.Equal(expected, one.Status);
        Assert.Equal(expected, other.Status);
        Assert.Equal(one.Events, other.Events);
        var winner = expected == ReferralStatus.Withdrawn ? withdrawal : decline;
        var loser = expected == ReferralStatus.Withdrawn ? decline : withdrawal;
        Assert.Equal([winner, loser], one.Events.TakeLast(2).Select(e => e.Event));
        Assert.Equal([true, false], one.Events.TakeLast(2).Select(e => e.Applied));
        Assert.StartsWith($"a referral cannot go from {ReferralStateMachine.Name(expected)} to", one.Events[^1].Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_ActivationCrossingWithdrawal_ReceiverCountryFirst_StaysActive()
    {
        // Sender SE, receiver DE: DE sorts first, so the activation stands and the withdrawal is refused.
        var events = UpToUnderAssessment("SE", "DE");
        events.Add(Change("DE", 3, 5, ReferralStatus.Accepted));
        var activation = Change("DE", 4, 6, ReferralStatus.Active);
        var withdrawal = Change("SE", 3, 6, ReferralStatus.Withdrawn, "found a place at home");

        var history = ReferralHistory.Replay([withdrawal, .. events, activation], "SE");

        Assert.Equal(ReferralStatus.Active, history.Status);
        Assert.Equal(withdrawal, history.Events[^1].Event);
        Assert.False(history.Events[^1].Applied);
        Assert.Equal("a referral cannot go from ACTIVE to WITHDRAWN (from ACTIVE the sending side may go to: CLOSED)", history.Events[^1].Conflict);
    }

    [Fact]
    public void Replay_ChangeMadeKnowingAnother_ComesAfterIt_EvenWithAnEarlierWallClock()
    {
        // SE's clock runs ten minutes behind NL's; NL withdraws knowing SE's acceptance (clock 6 > 5).
        var events = UpToUnderAssessment("NL", "SE");
        var acceptance = Change("SE", 3, 5, ReferralStatus.Accepted, at: T0.AddHours(3));
        var withdrawal = Change("NL", 3, 6, ReferralStatus.Withdrawn, "the person went home", at: T0.AddHours(3).AddMinutes(-10));

        foreach (var arrival in new List<ReferralEvent>[] { [.. events, acceptance, withdrawal], [withdrawal, acceptance, .. events] })
        {
            var history = ReferralHistory.Replay(arrival, "NL");

            Assert.Equal(ReferralStatus.Withdrawn, history.Status);
            Assert.Equal(6, history.Clock);
            Assert.Equal([acceptance, withdrawal], history.Events.TakeLast(2).Select(e => e.Event));
            Assert.Equal(ReferralStatus.Accepted, history.Events[^1].From);
            Assert.All(history.Events, e => Assert.True(e.Applied, e.Conflict));
        }
    }

    [Fact]
    public void Replay_AcknowledgementStampedBeforeTheSubmission_StillComesAfterIt()
    {
        var created = Created("NL", 1);
        var submission = Change("NL", 2, 2, ReferralStatus.Submitted, at: T0.AddMinutes(30));
        var acknowledgement = Change("SE", 1, 3, ReferralStatus.Acknowledged, at: T0.AddMinutes(5));

        var history = ReferralHistory.Replay([acknowledgement, created, submission], "NL");

        Assert.Equal(ReferralStatus.Acknowledged, history.Status);
        Assert.Equal([created, submission, acknowledgement], history.Events.Select(e => e.Event));
        Assert.All(history.Events, e => Assert.True(e.Applied, e.Conflict));
    }

    [Fact]
    public void Replay_ChangeNotAllowedAfterReplay_IsKeptNotAppliedWithTheConflict()
    {
        var events = UpToUnderAssessment("NL", "SE");
        var senderAccepts = Change("NL", 3, 5, ReferralStatus.Accepted);
        var skipsAhead = Change("SE", 3, 6, ReferralStatus.Active);
        var accepts = Change("SE", 4, 7, ReferralStatus.Accepted);

        var history = ReferralHistory.Replay([.. events, senderAccepts, skipsAhead, accepts], "NL");

        Assert.Equal(ReferralStatus.Accepted, history.Status);
        Assert.Equal(7, history.Clock);
        Assert.Equal(events.Count + 3, history.Events.Count);
        var replayed = history.Events.TakeLast(3).ToList();
        Assert.Equal(new ReplayedEvent(senderAccepts, ReferralStatus.UnderAssessment, false, "only the receiving side may move a referral from UNDER_ASSESSMENT to ACCEPTED"), replayed[0]);
        Assert.Equal(new ReplayedEvent(skipsAhead, ReferralStatus.UnderAssessment, false, "a referral cannot go from UNDER_ASSESSMENT to ACTIVE (from UNDER_ASSESSMENT the receiving side may go to: ACCEPTED, DECLINED)"), replayed[1]);
        Assert.Equal(new ReplayedEvent(accepts, ReferralStatus.UnderAssessment, true, null), replayed[2]);
    }

    [Fact]
    public void Replay_WithdrawalWithoutReason_IsNotApplied()
    {
        var events = UpToUnderAssessment("NL", "SE");
        var withdrawal = Change("NL", 3, 5, ReferralStatus.Withdrawn, "  ");

        var history = ReferralHistory.Replay([.. events, withdrawal], "NL");

        Assert.Equal(ReferralStatus.UnderAssessment, history.Status);
        Assert.False(history.Events[^1].Applied);
        Assert.Equal("a reason is required to move a referral to WITHDRAWN", history.Events[^1].Conflict);
    }

    [Fact]
    public void Replay_NoteBeforeAccepted_IsNotApplied_AfterwardsItIs()
    {
        var early = Note("SE", 2, 4);
        var late = Note("NL", 3, 7);
        var events = new List<ReferralEvent>
        {
            Created("NL", 1),
            Change("NL", 2, 2, ReferralStatus.Submitted),
            Change("SE", 1, 3, ReferralStatus.Acknowledged),
            early,
            Change("SE", 3, 5, ReferralStatus.UnderAssessment),
            Change("SE", 4, 6, ReferralStatus.Accepted),
            late,
        };

        var history = ReferralHistory.Replay(events, "NL");

        Assert.Equal(ReferralStatus.Accepted, history.Status);
        var replayedEarly = Assert.Single(history.Events, e => e.Event == early);
        Assert.False(replayedEarly.Applied);
        Assert.Equal(ReferralStatus.Acknowledged, replayedEarly.From);
        Assert.Equal("notes are exchanged once ACCEPTED; the referral was ACKNOWLEDGED", replayedEarly.Conflict);
        var replayedLate = Assert.Single(history.Events, e => e.Event == late);
        Assert.True(replayedLate.Applied);
        Assert.Equal(ReferralStatus.Accepted, replayedLate.From);
        Assert.Null(replayedLate.Conflict);
    }

    [Fact]
    public void Replay_Clock_IsTheHighestClockSeen_EvenOfAnEventNotApplied()
    {
        var events = UpToUnderAssessment("NL", "SE");
        events.Add(Change("NL", 3, 42, ReferralStatus.Closed));

        var history = ReferralHistory.Replay(events, "NL");

        Assert.Equal(42, history.Clock);
        Assert.False(history.Events[^1].Applied);
        Assert.Equal(ReferralStatus.UnderAssessment, history.Status);
    }

    [Fact]
    public void Replay_NoEvents_IsUnspecifiedAtClockZero()
    {
        var history = ReferralHistory.Replay([], "NL");

        Assert.Equal(ReferralStatus.Unspecified, history.Status);
        Assert.Equal(0, history.Clock);
        Assert.Empty(history.Events);
    }

    [Fact]
    public void Replay_SecondCreation_IsNotApplied()
    {
        var first = Created("NL", 1);
        var second = first with { MessageId = "other", Clock = 2, Sequence = 2 };

        var history = ReferralHistory.Replay([second, first, Change("NL", 3, 3, ReferralStatus.Submitted)], "NL");

        Assert.Equal(ReferralStatus.Submitted, history.Status);
        Assert.Equal(new ReplayedEvent(first, ReferralStatus.Unspecified, true, null), history.Events[0]);
        Assert.Equal(new ReplayedEvent(second, ReferralStatus.Draft, false, "the referral was already created"), history.Events[1]);
    }

    private static List<ReferralEvent> UpToUnderAssessment(string sender, string receiver) =>
    [
        Created(sender, 1),
        Change(sender, 2, 2, ReferralStatus.Submitted),
        Change(receiver, 1, 3, ReferralStatus.Acknowledged),
        Change(receiver, 2, 4, ReferralStatus.UnderAssessment),
    ];

    private static List<ReferralEvent> HappyPath(string sender, string receiver) =>
    [
        .. UpToUnderAssessment(sender, receiver),
        Change(receiver, 3, 5, ReferralStatus.Accepted),
        Note(sender, 3, 6),
        Change(receiver, 4, 7, ReferralStatus.Active),
        Change(receiver, 5, 8, ReferralStatus.FollowUp),
        Note(receiver, 6, 9),
        Change(sender, 4, 10, ReferralStatus.Closed),
    ];

    private static ReferralEvent Created(string country, long clock) =>
        new("0195c0de-0000-7000-8000-000000000001", country, 1, clock, T0, "anna", ReferralEventKind.Created, ReferralStatus.Draft, string.Empty);

    private static ReferralEvent Change(string country, long sequence, long clock, ReferralStatus to, string reason = "", DateTimeOffset? at = null) =>
        new($"{country}-{sequence}", country, sequence, clock, at ?? T0.AddMinutes(clock), "officer-" + country, ReferralEventKind.Status, to, reason);

    private static ReferralEvent Note(string country, long sequence, long clock) =>
        new($"{country}-{sequence}", country, sequence, clock, T0.AddMinutes(clock), "officer-" + country, ReferralEventKind.Note, ReferralStatus.Unspecified, string.Empty);
}
