using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Referrals.V1;

namespace NremNet.Domain.Referrals;

/// <summary>One change of status a side makes, as it is recorded and (when <see cref="Sequence"/> is positive) sent.</summary>
/// <param name="From">The status before the step.</param>
/// <param name="To">The status after it.</param>
/// <param name="Reason">The reason it carries.</param>
/// <param name="Sequence">The side's message number for the step (1, 2, 3, … per referral); -1 for a step the other side never learns of.</param>
/// <param name="Clock">The step's logical clock (see <see cref="ReferralHistory"/>).</param>
public sealed record ReferralStep(ReferralStatus From, ReferralStatus To, string Reason, long Sequence, long Clock)
{
    /// <summary>Whether the step goes to the other side.</summary>
    public bool Sent => Sequence > 0;

    /// <summary>The body of the message that carries the step (a submission carries the referral instead).</summary>
    public StatusChange ToStatusChange() => new() { From = From, To = To, Reason = Reason };
}

/// <summary>What an officer's change of a referral amounts to: the steps, in order, and the side's sequence after them.</summary>
/// <param name="Steps">One step, or two when a receiver decides on a referral it has only acknowledged.</param>
/// <param name="OwnSequence">The side's last message number once the steps are made.</param>
public sealed record ReferralChange(IReadOnlyList<ReferralStep> Steps, long OwnSequence)
{
    /// <summary>The status the change moves the referral to.</summary>
    public ReferralStatus To => Steps[^1].To;

    /// <summary>Whether the other side learns of the change (all but the withdrawal of a draft never sent).</summary>
    public bool Sent => Steps[0].Sent;
}

/// <summary>
/// Step planning: which changes a side may make to a referral, and what each produces (its status steps, their message
/// numbers and clocks, the messages that carry them); and whether a change the other side sent may be applied. Pure:
/// the node loads the referral, asks here, and stores what comes back.
/// </summary>
public static class ReferralSteps
{
    /// <summary>The longest follow-up note, in characters.</summary>
    public const int MaxNoteLength = 4000;

    /// <summary>
    /// Plans an officer's move of a referral to <paramref name="to"/>. A receiver accepting or declining a referral it
    /// has only acknowledged passes through UNDER_ASSESSMENT: both steps are recorded and sent. A draft withdrawn before
    /// it was ever submitted is never sent (the other side never knew of it).
    /// </summary>
    /// <param name="referralId">The referral, for the refusal's message.</param>
    /// <param name="current">Its status now.</param>
    /// <param name="side">The side making the change.</param>
    /// <param name="to">The status asked for.</param>
    /// <param name="reason">The reason given (trimmed), carried by the last step.</param>
    /// <param name="ownSequence">The side's last message number so far.</param>
    /// <param name="clock">The highest clock of the referral's history.</param>
    /// <exception cref="ReferralRefusedException">WrongState: a step is not allowed to this side, or lacks its reason.</exception>
    public static ReferralChange Plan(string referralId, ReferralStatus current, ReferralSide side, ReferralStatus to, string reason, long ownSequence, long clock)
    {
        ReferralStatus[] targets = side == ReferralSide.Receiver && current == ReferralStatus.Acknowledged && to is ReferralStatus.Accepted or ReferralStatus.Declined
            ? [ReferralStatus.UnderAssessment, to]
            : [to];
        var sent = !(current == ReferralStatus.Draft && to == ReferralStatus.Withdrawn);
        var steps = new List<ReferralStep>(targets.Length);
        var from = current;
        foreach (var target in targets)
        {
            var stepReason = target == to ? reason : string.Empty;
            if (ReferralStateMachine.Refusal(from, target, side, stepReason) is { } refusal)
            {
                throw ReferralRefusal.WrongState($"Referral {referralId} is {ReferralStateMachine.Name(current)}: {refusal}.").ToException();
            }

            steps.Add(new ReferralStep(from, target, stepReason, sent ? ownSequence + steps.Count + 1 : -1, clock + steps.Count + 1));
            from = target;
        }

        return new ReferralChange(steps, sent ? steps[^1].Sequence : ownSequence);
    }

    /// <summary>The text of a follow-up note, trimmed.</summary>
    /// <exception cref="ReferralRefusedException">Invalid: the note is empty or longer than <see cref="MaxNoteLength"/>.</exception>
    public static string NoteText(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length is 0 or > MaxNoteLength
            ? throw ReferralRefusal.Invalid(trimmed.Length == 0 ? "The note is empty." : $"The note is {trimmed.Length} characters long; at most {MaxNoteLength}.").ToException()
            : trimmed;
    }

    /// <summary>Plans a follow-up note: its message number and clock.</summary>
    /// <exception cref="ReferralRefusedException">WrongState: notes are not exchanged in <paramref name="current"/>.</exception>
    public static (long Sequence, long Clock) PlanNote(string referralId, ReferralStatus current, long ownSequence, long clock) =>
        ReferralStateMachine.AllowsNotes(current)
            ? (ownSequence + 1, clock + 1)
            : throw ReferralRefusal.WrongState(
                $"Referral {referralId} is {ReferralStateMachine.Name(current)}: follow-up notes are exchanged once it is ACCEPTED, and until it is closed.").ToException();

    /// <summary>The receiving side's acknowledgement of a submission: its first message, one tick after the submission.</summary>
    public static ReferralStep Acknowledgement(ReferralMessage submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return new ReferralStep(ReferralStatus.Submitted, ReferralStatus.Acknowledged, string.Empty, 1, (long)submission.Clock + 1);
    }

    /// <summary>
    /// Checks a status change the other side sent (its sequence already checked, <see cref="ReferralMessageChecks.CheckSequence"/>):
    /// a transition that side may make, never a submission (a referral is submitted only by delivering it).
    /// </summary>
    /// <param name="message">The message, with a status change.</param>
    /// <param name="ownSide">The side of this node.</param>
    /// <exception cref="ReferralRefusedException">WrongState: the other side may not make the change.</exception>
    public static void CheckPeerChange(ReferralMessage message, ReferralSide ownSide)
    {
        ArgumentNullException.ThrowIfNull(message);
        var change = message.StatusChange ?? new StatusChange();
        var peerSide = ownSide == ReferralSide.Sender ? ReferralSide.Receiver : ReferralSide.Sender;
        var refusal = change.To == ReferralStatus.Submitted
            ? "a referral is submitted only by delivering it"
            : ReferralStateMachine.Refusal(change.From, change.To, peerSide, change.Reason);
        if (refusal is not null)
        {
            throw ReferralRefusal.WrongState($"This node refuses the change of referral {message.ReferralId}: {refusal}.").ToException();
        }
    }

    /// <summary>A new message of <paramref name="from"/> about a referral, without its body.</summary>
    /// <param name="referralId">The referral.</param>
    /// <param name="from">The sending side's country.</param>
    /// <param name="to">The other side's country.</param>
    /// <param name="sequence">The sending side's message number.</param>
    /// <param name="clock">The logical clock.</param>
    /// <param name="now">When it is made (also dates its message id, a version 7 UUID).</param>
    /// <param name="actor">Who made it.</param>
    public static ReferralMessage NewMessage(string referralId, string from, string to, long sequence, long clock, DateTimeOffset now, string actor) => new()
    {
        MessageId = Guid.CreateVersion7(now).ToString(),
        ReferralId = referralId,
        FromCountry = from,
        ToCountry = to,
        Sequence = (ulong)sequence,
        Clock = (ulong)clock,
        CreatedAt = Timestamp.FromDateTimeOffset(now),
        Actor = actor,
    };
}
