using System.Collections.Frozen;
using NremNet.Contracts.Referrals.V1;

namespace NremNet.Domain.Referrals;

/// <summary>Which side of a referral a node is on.</summary>
public enum ReferralSide
{
    /// <summary>The node that wrote and sent it.</summary>
    Sender,

    /// <summary>The node it was sent to.</summary>
    Receiver,
}

/// <summary>Who may make a transition.</summary>
[Flags]
public enum TransitionOwner
{
    /// <summary>Only the sending side.</summary>
    Sender = 1,

    /// <summary>Only the receiving side.</summary>
    Receiver = 2,

    /// <summary>Either side.</summary>
    Either = Sender | Receiver,
}

/// <summary>One allowed transition.</summary>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="Owner">Who may make it.</param>
/// <param name="ReasonRequired">Whether a reason must be given.</param>
public sealed record Transition(ReferralStatus From, ReferralStatus To, TransitionOwner Owner, bool ReasonRequired);

/// <summary>
/// The referral status machine (DESIGN.md, "Transnational referrals"): DRAFT → SUBMITTED → ACKNOWLEDGED →
/// UNDER_ASSESSMENT → ACCEPTED | DECLINED (reason); ACCEPTED → ACTIVE → FOLLOW_UP → CLOSED; WITHDRAWN (reason) from any
/// state before ACTIVE. Only the side that owns a transition may make it. Both nodes run the same rules, so a change one
/// side may not make is refused by the other side too.
/// </summary>
public static class ReferralStateMachine
{
    /// <summary>Every allowed transition.</summary>
    public static IReadOnlyList<Transition> Transitions { get; } =
    [
        new(ReferralStatus.Draft, ReferralStatus.Submitted, TransitionOwner.Sender, false),
        new(ReferralStatus.Submitted, ReferralStatus.Acknowledged, TransitionOwner.Receiver, false),
        new(ReferralStatus.Acknowledged, ReferralStatus.UnderAssessment, TransitionOwner.Receiver, false),
        new(ReferralStatus.UnderAssessment, ReferralStatus.Accepted, TransitionOwner.Receiver, false),
        new(ReferralStatus.UnderAssessment, ReferralStatus.Declined, TransitionOwner.Receiver, true),
        new(ReferralStatus.Accepted, ReferralStatus.Active, TransitionOwner.Receiver, false),
        new(ReferralStatus.Active, ReferralStatus.FollowUp, TransitionOwner.Receiver, false),
        new(ReferralStatus.Active, ReferralStatus.Closed, TransitionOwner.Either, false),
        new(ReferralStatus.FollowUp, ReferralStatus.Closed, TransitionOwner.Either, false),
        new(ReferralStatus.Draft, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        new(ReferralStatus.Submitted, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        new(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        new(ReferralStatus.UnderAssessment, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
        new(ReferralStatus.Accepted, ReferralStatus.Withdrawn, TransitionOwner.Sender, true),
    ];

    private static readonly FrozenDictionary<(ReferralStatus, ReferralStatus), Transition> ByStates =
        Transitions.ToFrozenDictionary(t => (t.From, t.To));

    /// <summary>The longest reason kept.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>Statuses after which nothing more happens (personal data is purged after the retention period).</summary>
    public static bool IsFinal(ReferralStatus status) =>
        status is ReferralStatus.Closed or ReferralStatus.Declined or ReferralStatus.Withdrawn;

    /// <summary>Statuses in which follow-up notes may be exchanged.</summary>
    public static bool AllowsNotes(ReferralStatus status) =>
        status is ReferralStatus.Accepted or ReferralStatus.Active or ReferralStatus.FollowUp;

    /// <summary>The transition from one status to another, if there is one.</summary>
    public static Transition? Find(ReferralStatus from, ReferralStatus to) => ByStates.GetValueOrDefault((from, to));

    /// <summary>The statuses <paramref name="side"/> may move a referral to from <paramref name="from"/>.</summary>
    public static IReadOnlyList<ReferralStatus> Next(ReferralStatus from, ReferralSide side) =>
        [.. Transitions.Where(t => t.From == from && Owns(t.Owner, side)).Select(t => t.To)];

    /// <summary>Why <paramref name="side"/> may not move a referral from <paramref name="from"/> to <paramref name="to"/>; null when it may.</summary>
    public static string? Refusal(ReferralStatus from, ReferralStatus to, ReferralSide side, string? reason)
    {
        if (to is ReferralStatus.Unspecified || !Enum.IsDefined(to))
        {
            return "no target status was given";
        }

        var transition = Find(from, to);
        if (transition is null)
        {
            var next = Next(from, side);
            var options = next.Count == 0 ? "none: the referral is " + Describe(from) : string.Join(", ", next.Select(Name));
            return $"a referral cannot go from {Name(from)} to {Name(to)} (from {Name(from)} the {Describe(side)} may go to: {options})";
        }

        if (!Owns(transition.Owner, side))
        {
            return $"only the {Describe(transition.Owner)} may move a referral from {Name(from)} to {Name(to)}";
        }

        if (transition.ReasonRequired && string.IsNullOrWhiteSpace(reason))
        {
            return $"a reason is required to move a referral to {Name(to)}";
        }

        if (reason is { Length: > MaxReasonLength })
        {
            return $"the reason is {reason.Length} characters long; at most {MaxReasonLength} are kept";
        }

        return null;
    }

    /// <summary>The status name as people and the CLI write it, e.g. UNDER_ASSESSMENT.</summary>
    public static string Name(ReferralStatus status) => status switch
    {
        ReferralStatus.Draft => "DRAFT",
        ReferralStatus.Submitted => "SUBMITTED",
        ReferralStatus.Acknowledged => "ACKNOWLEDGED",
        ReferralStatus.UnderAssessment => "UNDER_ASSESSMENT",
        ReferralStatus.Accepted => "ACCEPTED",
        ReferralStatus.Declined => "DECLINED",
        ReferralStatus.Active => "ACTIVE",
        ReferralStatus.FollowUp => "FOLLOW_UP",
        ReferralStatus.Closed => "CLOSED",
        ReferralStatus.Withdrawn => "WITHDRAWN",
        _ => "UNSPECIFIED",
    };

    /// <summary>Parses a status name (case-insensitive, '-' or '_').</summary>
    public static ReferralStatus? Parse(string text)
    {
        var wanted = text.Trim().Replace('-', '_').ToUpperInvariant();
        foreach (var status in Enum.GetValues<ReferralStatus>())
        {
            if (status != ReferralStatus.Unspecified && Name(status) == wanted)
            {
                return status;
            }
        }

        return null;
    }

    private static bool Owns(TransitionOwner owner, ReferralSide side) =>
        owner.HasFlag(side == ReferralSide.Sender ? TransitionOwner.Sender : TransitionOwner.Receiver);

    private static string Describe(ReferralSide side) => side == ReferralSide.Sender ? "sending side" : "receiving side";

    private static string Describe(TransitionOwner owner) => owner switch
    {
        TransitionOwner.Sender => "sending side",
        TransitionOwner.Receiver => "receiving side",
        _ => "either side",
    };

    private static string Describe(ReferralStatus status) => IsFinal(status) ? Name(status) + ", which is final" : Name(status);
}
