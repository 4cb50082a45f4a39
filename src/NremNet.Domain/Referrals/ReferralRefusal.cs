namespace NremNet.Domain.Referrals;

/// <summary>Why the referral rules refuse an officer's request or a peer's message; the node's API turns each kind into its status code.</summary>
public enum ReferralRefusalKind
{
    /// <summary>The request or message itself is wrong (malformed, incomplete, inconsistent): sent again as it is, it is refused again.</summary>
    Invalid,

    /// <summary>This node holds no such referral (for this caller).</summary>
    NotFound,

    /// <summary>
    /// The referral's state does not allow it (a transition, a note, a purged referral), or the network's does not (not a
    /// partner, no certificate to seal for), or the message clashes with what this node holds (sequence, message id).
    /// </summary>
    WrongState,

    /// <summary>The message is not signed by, sent by or addressed as it says.</summary>
    Forbidden,
}

/// <summary>
/// A refusal of the referral rules: its kind and a message a person can act on. A refusal of a form
/// (<see cref="ReferralRefusalKind.Invalid"/> with <see cref="Problems"/>) names what was refused in
/// <see cref="Message"/> ("The referral form") and every field at fault in <see cref="Problems"/>.
/// </summary>
/// <param name="Kind">Why it is refused.</param>
/// <param name="Message">What a person reads; with <see cref="Problems"/>, what was refused.</param>
public sealed record ReferralRefusal(ReferralRefusalKind Kind, string Message)
{
    /// <summary>The fields at fault, each with what is wrong; empty unless a form was refused.</summary>
    public IReadOnlyList<FormProblem> Problems { get; init; } = [];

    /// <summary>A form refused for <paramref name="problems"/>.</summary>
    public static ReferralRefusal InvalidForm(string what, IReadOnlyList<FormProblem> problems) => new(ReferralRefusalKind.Invalid, what) { Problems = problems };

    /// <summary>A request or message that is wrong in itself.</summary>
    public static ReferralRefusal Invalid(string message) => new(ReferralRefusalKind.Invalid, message);

    /// <summary>A referral this node does not hold.</summary>
    public static ReferralRefusal NotFound(string message) => new(ReferralRefusalKind.NotFound, message);

    /// <summary>A request or message the state of the referral or the network does not allow.</summary>
    public static ReferralRefusal WrongState(string message) => new(ReferralRefusalKind.WrongState, message);

    /// <summary>A message not signed, sent or addressed as it says.</summary>
    public static ReferralRefusal Forbidden(string message) => new(ReferralRefusalKind.Forbidden, message);

    /// <summary>An id that is no referral id.</summary>
    public static ReferralRefusal NotAReferralId(string id) => Invalid($"'{id}' is not a referral id (a UUID such as 0193f3c4-...).");

    /// <summary>This refusal as an exception, to throw.</summary>
    public ReferralRefusedException ToException() => new(this);
}

/// <summary>
/// A refusal of the referral rules, thrown. Thrown inside a change's transaction, it leaves nothing of the change behind;
/// the node's API maps it to a status code in one place (the rules know nothing of gRPC).
/// </summary>
/// <param name="refusal">The refusal.</param>
public sealed class ReferralRefusedException(ReferralRefusal refusal) : Exception(refusal?.Message)
{
    /// <summary>The refusal.</summary>
    public ReferralRefusal Refusal { get; } = refusal ?? throw new ArgumentNullException(nameof(refusal));
}
