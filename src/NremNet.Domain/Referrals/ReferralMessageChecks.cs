using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;

namespace NremNet.Domain.Referrals;

/// <summary>What a referral message carries, as the peer API's methods take them.</summary>
public enum ReferralMessageKind
{
    /// <summary>Any kind (the Exchange method).</summary>
    Any,

    /// <summary>A submission: the referral itself.</summary>
    Submission,

    /// <summary>The receiving side's acknowledgement of a submission.</summary>
    Acknowledgement,

    /// <summary>Any other change of status.</summary>
    StatusChange,

    /// <summary>A follow-up note.</summary>
    Note,
}

/// <summary>
/// Header checks of the referral messages one node sends another: the envelope (signed by the sending node as the
/// directory lists it, from the caller, to this node, well-formed, of the kind asked for), a submission's header against
/// its envelope and sealed content, the order of a side's messages, and the receipts that answer them. Pure: the node
/// passes in the certificates and what it holds.
/// </summary>
public static class ReferralMessageChecks
{
    /// <summary>
    /// Opens a signed message that <paramref name="caller"/>'s node sent this node (<paramref name="ownCountry"/>):
    /// checks its signature against <paramref name="callerCertificate"/>, parses it, and checks its addressing, its ids and
    /// its kind.
    /// </summary>
    /// <param name="signed">The message as it arrived.</param>
    /// <param name="caller">The country that sent it (its node's certificate was admitted on the call).</param>
    /// <param name="callerCertificate">The certificate the directory lists for <paramref name="caller"/>'s node; null when there is none.</param>
    /// <param name="certificateProblem">Why there is none.</param>
    /// <param name="ownCountry">This node's country.</param>
    /// <param name="expected">The kind the method takes (<see cref="ReferralMessageKind.Any"/> for all).</param>
    /// <exception cref="ReferralRefusedException">Forbidden: not signed, sent or addressed as it says; Invalid: empty, malformed, or not of the kind expected.</exception>
    public static ReferralMessage Open(SignedMessage signed, string caller, X509Certificate2? callerCertificate, string? certificateProblem, string ownCountry, ReferralMessageKind expected)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (signed.Message.IsEmpty)
        {
            throw ReferralRefusal.Invalid("The request carries no signed message.").ToException();
        }

        if (callerCertificate is null)
        {
            throw ReferralRefusal.Forbidden($"The signature of {caller} cannot be checked: {certificateProblem}.").ToException();
        }

        if (!string.Equals(signed.SignerThumbprint, NetworkIdentity.Thumbprint(callerCertificate), StringComparison.OrdinalIgnoreCase)
            || !ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, callerCertificate))
        {
            throw ReferralRefusal.Forbidden($"The message is not signed by the node of {caller} as the directory lists it: it was altered or forged.").ToException();
        }

        ReferralMessage message;
        try
        {
            message = ReferralMessage.Parser.ParseFrom(signed.Message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw ReferralRefusal.Invalid($"The signed message is not a ReferralMessage: {ex.Message}").ToException();
        }

        if (message.FromCountry != caller)
        {
            throw ReferralRefusal.Forbidden($"The message says it comes from {message.FromCountry}, but {caller} sent it.").ToException();
        }

        if (message.ToCountry != ownCountry)
        {
            throw ReferralRefusal.Forbidden($"The message is addressed to {message.ToCountry}, not to this node ({ownCountry}).").ToException();
        }

        if (!Guid.TryParse(message.MessageId, out _) || !Guid.TryParse(message.ReferralId, out _) || message.Sequence == 0 || message.CreatedAt is null)
        {
            throw ReferralRefusal.Invalid("The message lacks a valid message id, referral id, sequence or creation time.").ToException();
        }

        var kind = KindOf(message) ?? throw ReferralRefusal.Invalid("The message carries nothing (no submission, status change or note).").ToException();
        if (expected != ReferralMessageKind.Any && kind != expected)
        {
            throw ReferralRefusal.Invalid($"This method takes a {Describe(expected)}, the message is a {Describe(kind)}.").ToException();
        }

        return message;
    }

    /// <summary>What a message carries; null when it carries nothing.</summary>
    public static ReferralMessageKind? KindOf(ReferralMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.BodyCase switch
        {
            ReferralMessage.BodyOneofCase.Submission => ReferralMessageKind.Submission,
            ReferralMessage.BodyOneofCase.Note => ReferralMessageKind.Note,
            ReferralMessage.BodyOneofCase.StatusChange when message.StatusChange.To == ReferralStatus.Acknowledged => ReferralMessageKind.Acknowledgement,
            ReferralMessage.BodyOneofCase.StatusChange => ReferralMessageKind.StatusChange,
            _ => null,
        };
    }

    /// <summary>The kind of a message as the outbox and the audit log name it: submission, acknowledgement, status or note.</summary>
    public static string KindName(ReferralMessage message) => KindOf(message) switch
    {
        ReferralMessageKind.Submission => "submission",
        ReferralMessageKind.Note => "note",
        ReferralMessageKind.Acknowledgement => "acknowledgement",
        _ => "status",
    };

    /// <summary>
    /// Checks a submission <paramref name="from"/> the sending country to this node (<paramref name="ownCountry"/>): its
    /// header agrees with its envelope, is complete, carries a consent that covers this country and the data declared, and
    /// the sealed content (opened by this node before) carries exactly the kinds of data the header declares.
    /// </summary>
    /// <param name="message">The submission's message.</param>
    /// <param name="from">The sending country.</param>
    /// <param name="ownCountry">This node's country.</param>
    /// <param name="content">The sealed content, opened; null when it did not open.</param>
    /// <param name="openProblem">Why it did not open.</param>
    /// <returns>The submission's header.</returns>
    /// <exception cref="ReferralRefusedException">Invalid: what is wrong, all of the header's problems at once.</exception>
    public static ReferralHeader CheckSubmission(ReferralMessage message, string from, string ownCountry, ReferralContent? content, string? openProblem)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = message.Submission?.Header ?? throw ReferralRefusal.Invalid("The submission carries no header.").ToException();
        var problems = new List<string>();
        if (header.ReferralId != message.ReferralId)
        {
            problems.Add($"the header's referral id {header.ReferralId} is not the message's {message.ReferralId}");
        }

        if (header.SenderCountry != from || header.ReceiverCountry != ownCountry)
        {
            problems.Add($"the header says {header.SenderCountry} → {header.ReceiverCountry}, but the message goes {from} → {ownCountry}");
        }

        if (message.Sequence != 1)
        {
            problems.Add($"a submission is the sender's first message (sequence 1), not {message.Sequence}");
        }

        if (!Guid.TryParse(message.ReferralId, out _))
        {
            problems.Add($"the referral id '{message.ReferralId}' is not a UUID");
        }

        if (header.Phase == Phase.Unspecified || header.Purpose == Purpose.Unspecified || header.Urgency == Urgency.Unspecified || header.CreatedAt is null)
        {
            problems.Add("the header lacks its phase, purpose, urgency or creation time");
        }

        problems.AddRange(ReferralForms.ConsentProblems(header.Consent, ownCountry, header.DataCategories).Select(p => p.ToString()));
        if (problems.Count > 0)
        {
            throw ReferralRefusal.Invalid("This node refuses the referral: " + string.Join("; ", problems) + ".").ToException();
        }

        if (content is null)
        {
            throw ReferralRefusal.Invalid($"This node refuses the referral: {openProblem}").ToException();
        }

        var carried = ReferralForms.DistinctCategories(content.PersonalData);
        if (!carried.SequenceEqual(header.DataCategories.Distinct().Order()))
        {
            throw ReferralRefusal.Invalid(
                $"This node refuses the referral: its sealed content carries {string.Join(", ", carried.Select(ReferralForms.CategoryName))}, the header declares {string.Join(", ", header.DataCategories.Select(ReferralForms.CategoryName))}.").ToException();
        }

        return header;
    }

    /// <summary>
    /// Checks that a status change or note from <paramref name="from"/> is that side's next message of the referral:
    /// each side numbers its messages 1, 2, 3, … and the other applies them in that order, each once.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="from">The sending country.</param>
    /// <param name="peerSequence">The number of that side's last message this node applied.</param>
    /// <exception cref="ReferralRefusedException">WrongState: the number was used before, or messages before it are missing.</exception>
    public static void CheckSequence(ReferralMessage message, string from, long peerSequence)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Sequence <= (ulong)peerSequence)
        {
            throw ReferralRefusal.WrongState(
                $"Message {message.MessageId} has sequence {message.Sequence}, which {from} already used for another message of referral {message.ReferralId}.").ToException();
        }

        if (message.Sequence != (ulong)peerSequence + 1)
        {
            throw ReferralRefusal.WrongState(
                $"Message {message.MessageId} is out of order: referral {message.ReferralId} expects message {peerSequence + 1} from {from} first, this is {message.Sequence}.").ToException();
        }
    }

    /// <summary>Checks that a note's sealed content opened.</summary>
    /// <exception cref="ReferralRefusedException">Invalid: it did not, and why.</exception>
    public static void CheckNote(NoteContent? note, string? openProblem)
    {
        if (note is null)
        {
            throw ReferralRefusal.Invalid($"This node refuses the note: {openProblem}").ToException();
        }
    }

    /// <summary>
    /// Checks the other side's signed receipt for a message this node delivered: signed by that side's node as the
    /// directory lists it, and for exactly the message sent.
    /// </summary>
    /// <param name="messageId">The message delivered.</param>
    /// <param name="peerCountry">The country it went to.</param>
    /// <param name="sent">The message as signed and sent.</param>
    /// <param name="signedReceipt">The receipt as the other side answered it.</param>
    /// <param name="peerCertificate">The certificate the directory lists for that side's node; null when there is none.</param>
    /// <param name="certificateProblem">Why there is none.</param>
    /// <returns>The receipt when it holds, else the problem.</returns>
    public static (Receipt? Receipt, string? Problem) CheckReceipt(
        string messageId, string peerCountry, SignedMessage sent, SignedReceipt? signedReceipt, X509Certificate2? peerCertificate, string? certificateProblem)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (peerCertificate is null)
        {
            return (null, $"the receipt cannot be checked: {certificateProblem}");
        }

        signedReceipt ??= new SignedReceipt();
        if (!string.Equals(signedReceipt.SignerThumbprint, NetworkIdentity.Thumbprint(peerCertificate), StringComparison.OrdinalIgnoreCase)
            || !ReferralCrypto.Verify(signedReceipt.Receipt.Span, signedReceipt.Signature.Span, peerCertificate))
        {
            return (null, $"the receipt is not signed by {peerCountry}'s node");
        }

        Receipt receipt;
        try
        {
            receipt = Receipt.Parser.ParseFrom(signedReceipt.Receipt);
        }
        catch (InvalidProtocolBufferException)
        {
            return (null, "the receipt is not a valid Receipt");
        }

        return receipt.MessageId != messageId || receipt.ReceiverCountry != peerCountry || !receipt.MessageDigest.Span.SequenceEqual(ReferralCrypto.Digest(sent))
            ? (null, $"the receipt is for another message ({receipt.MessageId}, {receipt.ReceiverCountry})")
            : (receipt, null);
    }

    private static string Describe(ReferralMessageKind kind) => kind switch
    {
        ReferralMessageKind.Submission => "submission",
        ReferralMessageKind.Acknowledgement => "acknowledgement",
        ReferralMessageKind.StatusChange => "status change",
        _ => "note",
    };
}
