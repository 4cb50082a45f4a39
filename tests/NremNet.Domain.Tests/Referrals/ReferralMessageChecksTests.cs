using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralMessageChecksTests(ReferralNodes nodes) : IClassFixture<ReferralNodes>
{
    private const string ReferralId = "0195c0de-0000-7000-8000-000000000001";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Open_SignedByTheCallersNode_AddressedHere_TheMessage()
    {
        var message = StatusChange(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn);

        var opened = Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.StatusChange);

        Assert.Equal(message, opened);
    }

    [Fact]
    public void Open_AnyKind_TakesEveryKind()
    {
        foreach (var message in new[] { Submission(), StatusChange(ReferralStatus.Submitted, ReferralStatus.Acknowledged), Note() })
        {
            Assert.Equal(message, Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.Any));
        }
    }

    [Fact]
    public void Open_Empty_Invalid()
    {
        AssertRefused(ReferralRefusalKind.Invalid, "The request carries no signed message.", () => Open(new SignedMessage(), ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_NoCertificateForTheCaller_Forbidden_SaysWhy()
    {
        var signed = ReferralCrypto.Sign(Note(), nodes.Netherlands);

        AssertRefused(
            ReferralRefusalKind.Forbidden,
            "The signature of NL cannot be checked: NL is not an active member.",
            () => ReferralMessageChecks.Open(signed, "NL", null, "NL is not an active member", "SE", ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_SignedByAnotherNode_Forbidden()
    {
        var signed = ReferralCrypto.Sign(Note(), nodes.Denmark);

        AssertRefused(ReferralRefusalKind.Forbidden, "The message is not signed by the node of NL as the directory lists it: it was altered or forged.", () => Open(signed, ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_AnotherNodesSignatureClaimingTheCallersThumbprint_Forbidden()
    {
        var signed = ReferralCrypto.Sign(Note(), nodes.Denmark);
        signed.SignerThumbprint = NetworkIdentity.Thumbprint(nodes.Netherlands);

        AssertRefused(ReferralRefusalKind.Forbidden, "The message is not signed by the node of NL as the directory lists it: it was altered or forged.", () => Open(signed, ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_AlteredAfterSigning_Forbidden()
    {
        var signed = ReferralCrypto.Sign(StatusChange(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn), nodes.Netherlands);
        var altered = ReferralMessage.Parser.ParseFrom(signed.Message);
        altered.StatusChange.Reason = "changed on the way";
        signed.Message = altered.ToByteString();

        AssertRefused(ReferralRefusalKind.Forbidden, "The message is not signed by the node of NL as the directory lists it: it was altered or forged.", () => Open(signed, ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_SignedBytesThatAreNoMessage_Invalid()
    {
        var signed = ReferralCrypto.Sign(Note(), nodes.Netherlands);
        var garbage = new byte[] { 0xFF, 0xFF, 0xFF };
        signed.Message = ByteString.CopyFrom(garbage);
        signed.Signature = SignBytes(garbage);

        var ex = Assert.Throws<ReferralRefusedException>(() => Open(signed, ReferralMessageKind.Any));

        Assert.Equal(ReferralRefusalKind.Invalid, ex.Refusal.Kind);
        Assert.StartsWith("The signed message is not a ReferralMessage: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SaysItComesFromAnotherCountry_Forbidden()
    {
        var message = Note();
        message.FromCountry = "DK";

        AssertRefused(ReferralRefusalKind.Forbidden, "The message says it comes from DK, but NL sent it.", () => Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_AddressedToAnotherNode_Forbidden()
    {
        var message = Note();
        message.ToCountry = "DK";

        AssertRefused(ReferralRefusalKind.Forbidden, "The message is addressed to DK, not to this node (SE).", () => Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.Any));
    }

    [Theory]
    [InlineData("message id")]
    [InlineData("referral id")]
    [InlineData("sequence")]
    [InlineData("creation time")]
    public void Open_WithoutAValidIdSequenceOrTime_Invalid(string lacking)
    {
        var message = Note();
        switch (lacking)
        {
            case "message id":
                message.MessageId = "42";
                break;
            case "referral id":
                message.ReferralId = string.Empty;
                break;
            case "sequence":
                message.Sequence = 0;
                break;
            default:
                message.CreatedAt = null;
                break;
        }

        AssertRefused(ReferralRefusalKind.Invalid, "The message lacks a valid message id, referral id, sequence or creation time.", () => Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.Any));
    }

    [Fact]
    public void Open_CarriesNothing_Invalid()
    {
        var message = Note();
        message.ClearBody();

        AssertRefused(ReferralRefusalKind.Invalid, "The message carries nothing (no submission, status change or note).", () => Open(ReferralCrypto.Sign(message, nodes.Netherlands), ReferralMessageKind.Any));
    }

    [Theory]
    [InlineData(ReferralMessageKind.Note, "This method takes a note, the message is a status change.")]
    [InlineData(ReferralMessageKind.Acknowledgement, "This method takes a acknowledgement, the message is a status change.")]
    [InlineData(ReferralMessageKind.Submission, "This method takes a submission, the message is a status change.")]
    public void Open_NotTheKindTheMethodTakes_Invalid(ReferralMessageKind expected, string refusal)
    {
        var signed = ReferralCrypto.Sign(StatusChange(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn), nodes.Netherlands);

        AssertRefused(ReferralRefusalKind.Invalid, refusal, () => Open(signed, expected));
    }

    [Fact]
    public void KindOfAndKindName_EveryBody()
    {
        var none = Note();
        none.ClearBody();

        Assert.Equal(
            [
                (ReferralMessageKind.Submission, "submission"), (ReferralMessageKind.Acknowledgement, "acknowledgement"), (ReferralMessageKind.StatusChange, "status"),
                (ReferralMessageKind.Note, "note"),
            ],
            new[] { Submission(), StatusChange(ReferralStatus.Submitted, ReferralStatus.Acknowledged), StatusChange(ReferralStatus.Acknowledged, ReferralStatus.Withdrawn), Note() }
                .Select(m => (ReferralMessageChecks.KindOf(m)!.Value, ReferralMessageChecks.KindName(m))));
        Assert.Null(ReferralMessageChecks.KindOf(none));
    }

    [Fact]
    public void CheckSubmission_HeaderAgreesWithEnvelopeAndContent_TheHeader()
    {
        var (message, content) = SubmissionWithContent();

        Assert.Equal(message.Submission.Header, ReferralMessageChecks.CheckSubmission(message, "NL", "SE", content, null));
    }

    [Fact]
    public void CheckSubmission_NoHeader_Invalid()
    {
        var (message, content) = SubmissionWithContent();
        message.Submission.Header = null;

        AssertRefused(ReferralRefusalKind.Invalid, "The submission carries no header.", () => ReferralMessageChecks.CheckSubmission(message, "NL", "SE", content, null));
    }

    [Fact]
    public void CheckSubmission_EveryProblemOfTheHeaderAtOnce()
    {
        var (message, content) = SubmissionWithContent();
        message.Sequence = 2;
        message.Submission.Header.ReceiverCountry = "DK";
        message.Submission.Header.Urgency = Urgency.Unspecified;
        message.Submission.Header.Consent.WithdrawalExplained = false;

        AssertRefused(
            ReferralRefusalKind.Invalid,
            "This node refuses the referral: the header says NL → DK, but the message goes NL → SE; a submission is the sender's first message (sequence 1), not 2; "
            + "the header lacks its phase, purpose, urgency or creation time; consent.withdrawal_explained: the person must have been told they may withdraw consent at any time.",
            () => ReferralMessageChecks.CheckSubmission(message, "NL", "SE", content, null));
    }

    [Fact]
    public void CheckSubmission_ContentDidNotOpen_Invalid_SaysWhy()
    {
        var (message, _) = SubmissionWithContent();

        AssertRefused(
            ReferralRefusalKind.Invalid,
            "This node refuses the referral: The sealed content does not open.",
            () => ReferralMessageChecks.CheckSubmission(message, "NL", "SE", null, "The sealed content does not open."));
    }

    [Fact]
    public void CheckSubmission_ContentCarriesOtherDataThanDeclared_Invalid()
    {
        var (message, content) = SubmissionWithContent();
        content.PersonalData.Contact = string.Empty;

        AssertRefused(
            ReferralRefusalKind.Invalid,
            "This node refuses the referral: its sealed content carries identity, date_of_birth, languages, the header declares identity, date_of_birth, contact, languages.",
            () => ReferralMessageChecks.CheckSubmission(message, "NL", "SE", content, null));
    }

    [Fact]
    public void CheckSequence_TheNextMessage_Allowed()
    {
        ReferralMessageChecks.CheckSequence(Note(sequence: 4), "NL", peerSequence: 3);
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(1UL)]
    public void CheckSequence_UsedBefore_WrongState(ulong sequence)
    {
        var message = Note(sequence);

        AssertRefused(
            ReferralRefusalKind.WrongState,
            $"Message {message.MessageId} has sequence {sequence}, which NL already used for another message of referral {ReferralId}.",
            () => ReferralMessageChecks.CheckSequence(message, "NL", peerSequence: 3));
    }

    [Fact]
    public void CheckSequence_MessagesMissingBefore_WrongState()
    {
        var message = Note(sequence: 6);

        AssertRefused(
            ReferralRefusalKind.WrongState,
            $"Message {message.MessageId} is out of order: referral {ReferralId} expects message 4 from NL first, this is 6.",
            () => ReferralMessageChecks.CheckSequence(message, "NL", peerSequence: 3));
    }

    [Fact]
    public void CheckNote_Opened_Allowed_NotOpened_Invalid()
    {
        ReferralMessageChecks.CheckNote(new NoteContent { Text = "fine" }, null);

        AssertRefused(ReferralRefusalKind.Invalid, "This node refuses the note: it was sealed for another node.", () => ReferralMessageChecks.CheckNote(null, "it was sealed for another node."));
    }

    [Fact]
    public void CheckReceipt_SignedByThePeerForTheMessageSent_TheReceipt()
    {
        var sent = ReferralCrypto.Sign(Note(), nodes.Netherlands);
        var receipt = ReceiptFor(sent);

        var (checkedReceipt, problem) = ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, ReferralCrypto.Sign(receipt, nodes.Sweden), nodes.Sweden, null);

        Assert.Equal((receipt, (string?)null), (checkedReceipt, problem));
    }

    [Fact]
    public void CheckReceipt_EveryWayItCanBeWrong_TheProblem()
    {
        var sent = ReferralCrypto.Sign(Note(), nodes.Netherlands);
        var receipt = ReceiptFor(sent);
        var other = ReceiptFor(ReferralCrypto.Sign(Note(), nodes.Netherlands));
        var notAReceipt = ReferralCrypto.Sign(receipt, nodes.Sweden);
        notAReceipt.Receipt = ByteString.CopyFrom(0xFF, 0xFF);
        notAReceipt.Signature = SignBytes([0xFF, 0xFF], nodes.Sweden);

        Assert.Equal(
            [
                "the receipt cannot be checked: SE is not an active member",
                "the receipt is not signed by SE's node",
                "the receipt is not signed by SE's node",
                "the receipt is not a valid Receipt",
                $"the receipt is for another message ({other.MessageId}, SE)",
            ],
            new[]
            {
                ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, ReferralCrypto.Sign(receipt, nodes.Sweden), null, "SE is not an active member"),
                ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, ReferralCrypto.Sign(receipt, nodes.Denmark), nodes.Sweden, null),
                ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, null, nodes.Sweden, null),
                ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, notAReceipt, nodes.Sweden, null),
                ReferralMessageChecks.CheckReceipt(receipt.MessageId, "SE", sent, ReferralCrypto.Sign(other, nodes.Sweden), nodes.Sweden, null),
            }.Select(r => r.Problem));
    }

    private ReferralMessage Open(SignedMessage signed, ReferralMessageKind expected) =>
        ReferralMessageChecks.Open(signed, "NL", nodes.Netherlands, null, "SE", expected);

    private static void AssertRefused(ReferralRefusalKind kind, string message, Action check)
    {
        var ex = Assert.Throws<ReferralRefusedException>(check);
        Assert.Equal((kind, message), (ex.Refusal.Kind, ex.Message));
    }

    private static void AssertRefused<T>(ReferralRefusalKind kind, string message, Func<T> check) => AssertRefused(kind, message, () => { check(); });

    /// <summary>Bytes signed the way nodes sign messages and receipts, whatever they hold.</summary>
    private ByteString SignBytes(byte[] data, X509Certificate2? signer = null)
    {
        using var key = (signer ?? nodes.Netherlands).GetECDsaPrivateKey()!;
        return ByteString.CopyFrom(key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static ReferralMessage Envelope(ulong sequence = 2) => new()
    {
        MessageId = Guid.CreateVersion7(Now).ToString(),
        ReferralId = ReferralId,
        FromCountry = "NL",
        ToCountry = "SE",
        Sequence = sequence,
        Clock = sequence + 1,
        CreatedAt = Timestamp.FromDateTimeOffset(Now),
        Actor = "officer",
    };

    private static ReferralMessage Note(ulong sequence = 2)
    {
        var message = Envelope(sequence);
        message.Note = new Note { NoteId = Guid.CreateVersion7(Now).ToString(), Content = new SealedContent() };
        return message;
    }

    private static ReferralMessage StatusChange(ReferralStatus from, ReferralStatus to)
    {
        var message = Envelope();
        message.StatusChange = new StatusChange { From = from, To = to, Reason = to == ReferralStatus.Withdrawn ? "the person went home" : string.Empty };
        return message;
    }

    private static ReferralMessage Submission() => SubmissionWithContent().Message;

    /// <summary>A submission as a sending node makes it from a valid form, and the content it seals.</summary>
    private static (ReferralMessage Message, ReferralContent Content) SubmissionWithContent()
    {
        var form = ReferralFormsTests.ValidForm();
        var header = new ReferralHeader
        {
            ReferralId = ReferralId, SenderCountry = "NL", ReceiverCountry = "SE", Phase = form.Phase, Purpose = form.Purpose, Urgency = form.Urgency,
            Consent = form.Consent, RetentionUntil = form.RetentionUntil, CreatedAt = Timestamp.FromDateTimeOffset(Now), CreatedBy = "officer",
        };
        header.DataCategories.AddRange(ReferralForms.DistinctCategories(form.PersonalData));
        var message = Envelope(sequence: 1);
        message.Submission = new Submission { Header = header, Content = new SealedContent() };
        return (message, new ReferralContent { PersonalData = form.PersonalData });
    }

    private static Receipt ReceiptFor(SignedMessage sent) => new()
    {
        MessageId = ReferralMessage.Parser.ParseFrom(sent.Message).MessageId,
        ReferralId = ReferralId,
        ReceiverCountry = "SE",
        ReceivedAt = Timestamp.FromDateTimeOffset(Now),
        MessageDigest = ByteString.CopyFrom(ReferralCrypto.Digest(sent)),
        Outcome = ReceiptOutcome.Applied,
    };
}
