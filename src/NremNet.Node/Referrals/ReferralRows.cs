using Google.Protobuf;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Node.Referrals;

/// <summary>A row of <c>referrals</c>.</summary>
internal sealed class ReferralRow
{
    public const int Outgoing = 1;
    public const int Incoming = 2;

    public string ReferralId { get; init; } = string.Empty;

    public int Direction { get; init; }

    public string PeerCountry { get; init; } = string.Empty;

    public string SenderCountry { get; init; } = string.Empty;

    public byte[] Header { get; init; } = [];

    public byte[]? Content { get; init; }

    public int Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? FinalAt { get; init; }

    public DateTimeOffset? PurgeAt { get; init; }

    public DateTimeOffset? PurgedAt { get; init; }

    public long OwnSequence { get; init; }

    public long PeerSequence { get; init; }

    /// <summary>Messages of this node for the referral still in the outbox.</summary>
    public int Undelivered { get; init; }

    /// <summary>Follow-up notes of the referral.</summary>
    public int Notes { get; init; }

    public ReferralSide Side => Direction == Outgoing ? ReferralSide.Sender : ReferralSide.Receiver;

    public ReferralHeader ParsedHeader() => ReferralHeader.Parser.ParseFrom(Header);
}

/// <summary>A row of <c>referral_events</c>.</summary>
internal sealed record EventRow
{
    public string MessageId { get; init; } = string.Empty;

    public string ReferralId { get; init; } = string.Empty;

    public string Country { get; init; } = string.Empty;

    public long Sequence { get; init; }

    public long Clock { get; init; }

    public DateTimeOffset At { get; init; }

    public string Actor { get; init; } = string.Empty;

    public int Kind { get; init; }

    public int ToStatus { get; init; }

    public string Reason { get; init; } = string.Empty;

    public string? NoteId { get; init; }

    public byte[]? Note { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public ReferralEvent ToEvent() =>
        new(MessageId, Country, Sequence, Clock, At, Actor, (ReferralEventKind)Kind, (ReferralStatus)ToStatus, Reason);
}

/// <summary>A row of <c>referral_outbox</c>.</summary>
internal sealed class OutboxRow
{
    public long Id { get; init; }

    public string MessageId { get; init; } = string.Empty;

    public string ReferralId { get; init; } = string.Empty;

    public string PeerCountry { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public long Sequence { get; init; }

    public byte[] Message { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; init; }

    public string LastError { get; init; } = string.Empty;

    public DateTimeOffset NextAttemptAt { get; init; }
}

/// <summary>A message for <see cref="ReferralInbox.ApplyAsync"/>: opened and checked by the peer service, or already refused there.</summary>
internal readonly record struct IncomingMessage(SignedMessage Signed, ReferralMessage? Message, ReferralRefusal? Refusal);

/// <summary>What became of an incoming message: its signed receipt, or why it was refused.</summary>
internal readonly record struct ReceiveResult(SignedReceipt? Receipt, ReferralRefusal? Refusal);

/// <summary>A message the peer holds: its outbox row, the checked receipt and the receipt as signed.</summary>
internal readonly record struct DeliveredMessage(OutboxRow Row, Receipt Receipt, SignedReceipt Signed);

/// <summary>A message that failed to go out: why, when to try again, and whether the peer was reached (an attempt).</summary>
internal readonly record struct FailedMessage(OutboxRow Row, string Error, DateTimeOffset NextAttemptAt, bool Attempted);

/// <summary>Sealed content opened before a message is applied (a ReferralContent or NoteContent), or why it did not open.</summary>
internal readonly record struct OpenedContent(IMessage? Content, string? Problem);
