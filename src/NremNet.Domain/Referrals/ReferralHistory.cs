using NremNet.Contracts.Referrals.V1;

namespace NremNet.Domain.Referrals;

/// <summary>What an event of a referral's history is.</summary>
public enum ReferralEventKind
{
    /// <summary>The draft was written (status DRAFT).</summary>
    Created,

    /// <summary>A change of status.</summary>
    Status,

    /// <summary>A follow-up note.</summary>
    Note,
}

/// <summary>One change to a referral, as both sides record it.</summary>
/// <param name="MessageId">The message that carried it (for the draft: the referral id).</param>
/// <param name="Country">Country of the side that made it.</param>
/// <param name="Sequence">1, 2, 3, … per referral and side.</param>
/// <param name="Clock">Logical clock (see <see cref="ReferralHistory"/>).</param>
/// <param name="At">When it was made.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="Kind">What it is.</param>
/// <param name="To">The status it moves to (status changes).</param>
/// <param name="Reason">Why (status changes).</param>
public sealed record ReferralEvent(
    string MessageId, string Country, long Sequence, long Clock, DateTimeOffset At, string Actor,
    ReferralEventKind Kind, ReferralStatus To, string Reason);

/// <summary>An event after replay: the status it started from and whether it took effect.</summary>
/// <param name="Event">The event.</param>
/// <param name="From">The status before it.</param>
/// <param name="Applied">Whether it took effect.</param>
/// <param name="Conflict">Why it did not (a change made at the same time on the other side came first).</param>
public sealed record ReplayedEvent(ReferralEvent Event, ReferralStatus From, bool Applied, string? Conflict);

/// <summary>A referral's status and history, replayed from its events.</summary>
/// <param name="Status">Where it stands.</param>
/// <param name="Events">Every event in order.</param>
/// <param name="Clock">The highest clock seen: a new change gets one more.</param>
public sealed record ReplayedHistory(ReferralStatus Status, IReadOnlyList<ReplayedEvent> Events, long Clock);

/// <summary>
/// Both sides of a referral keep every event and derive the status by replaying them in one order: (clock, country,
/// sequence). The clock is a Lamport clock — a side gives a new change one more than the highest clock it knows — so a
/// change made knowing another always comes after it, whatever the two nodes' wall clocks say; changes made at the
/// same time on both sides (a withdrawal crossing an acceptance) are ordered by country, the same way on both nodes.
/// A change that is no longer allowed once the other side's earlier change is applied is kept in the history, marked
/// as not applied. With the same events both sides reach the same status and the same history.
/// </summary>
public static class ReferralHistory
{
    /// <summary>Orders and replays the events of a referral sent by <paramref name="senderCountry"/>.</summary>
    public static ReplayedHistory Replay(IEnumerable<ReferralEvent> events, string senderCountry)
    {
        var ordered = events
            .OrderBy(e => e.Kind == ReferralEventKind.Created ? 0 : 1)
            .ThenBy(e => e.Clock)
            .ThenBy(e => e.Country, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)
            .ToList();
        var status = ReferralStatus.Unspecified;
        var clock = 0L;
        var replayed = new List<ReplayedEvent>(ordered.Count);
        foreach (var e in ordered)
        {
            clock = Math.Max(clock, e.Clock);
            var from = status;
            string? conflict;
            switch (e.Kind)
            {
                case ReferralEventKind.Created:
                    conflict = status == ReferralStatus.Unspecified ? null : "the referral was already created";
                    if (conflict is null)
                    {
                        status = ReferralStatus.Draft;
                    }

                    break;
                case ReferralEventKind.Note:
                    conflict = ReferralStateMachine.AllowsNotes(status) ? null : $"notes are exchanged once ACCEPTED; the referral was {ReferralStateMachine.Name(status)}";
                    break;
                default:
                    var side = e.Country == senderCountry ? ReferralSide.Sender : ReferralSide.Receiver;
                    conflict = ReferralStateMachine.Refusal(status, e.To, side, e.Reason);
                    if (conflict is null)
                    {
                        status = e.To;
                    }

                    break;
            }

            replayed.Add(new ReplayedEvent(e, from, conflict is null, conflict));
        }

        return new ReplayedHistory(status, replayed, clock);
    }
}
