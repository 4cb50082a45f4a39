using System.Security.Cryptography;
using Dapper;
using Google.Protobuf;
using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Referrals;
using NremNet.Node.Tests.Infrastructure;
using NremNet.Testing;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using ReferralPeerClient = NremNet.Contracts.Referrals.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>
/// The peer API of referrals against messages a sending node would never make: altered content, forged or altered
/// signatures, a message relayed or claimed by another country, the same message twice, a third country meddling, and
/// callers that are not admitted members. Every message here is built and signed by the test as a node would.
/// </summary>
public sealed class ReferralPeerSecurityTests
{
    [Fact]
    public async Task Deliver_CiphertextAlteredUnderAValidSignature_InvalidArgument_NothingStored()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var message = Submission("NL", "SE", se.Certificate);
        var ciphertext = message.Submission.Content.Ciphertext.ToByteArray();
        ciphertext[ciphertext.Length / 2] ^= 0x01;
        message.Submission.Content.Ciphertext = ByteString.CopyFrom(ciphertext);

        var ex = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, nl.Certificate, ReferralCrypto.Sign(message, nl.Certificate)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("This node refuses the referral: The sealed content does not open: it was altered, or sealed for another message or node.", ex.Status.Detail);
        await AssertHoldsNothingAsync(se, message.ReferralId);
        var refused = Assert.Single(await AuditAsync(se, "referral.refused"));
        Assert.Equal(("peer:NL", "denied"), (refused.Actor, refused.Outcome));
        Assert.Contains("InvalidArgument", refused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ForgedOrAlteredSignature_PermissionDenied_NothingStored()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        // A certificate of the network CA for NL, but not the one the directory lists for NL's node.
        var (_, _, forger) = network.IssueNode("NL", "nl-forger");
        var message = Submission("NL", "SE", se.Certificate);
        var genuine = ReferralCrypto.Sign(message, nl.Certificate);

        var otherKey = ReferralCrypto.Sign(message, forger);
        var otherKeyClaimingNl = otherKey.Clone();
        otherKeyClaimingNl.SignerThumbprint = genuine.SignerThumbprint;
        var alteredAfterSigning = genuine.Clone();
        var altered = ReferralMessage.Parser.ParseFrom(genuine.Message);
        altered.Submission.Header.Urgency = Urgency.Routine;
        alteredAfterSigning.Message = altered.ToByteString();
        var flippedBit = genuine.Clone();
        var bytes = genuine.Message.ToByteArray();
        bytes[^1] ^= 0x80;
        flippedBit.Message = ByteString.CopyFrom(bytes);
        var unsigned = genuine.Clone();
        unsigned.Signature = ByteString.Empty;

        foreach (var (name, forged) in new[] { ("other key", otherKey), ("other key, NL's thumbprint", otherKeyClaimingNl), ("altered after signing", alteredAfterSigning), ("one bit flipped", flippedBit), ("no signature", unsigned) })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, nl.Certificate, forged));
            Assert.True(ex.StatusCode == StatusCode.PermissionDenied, $"{name}: {ex.StatusCode} {ex.Status.Detail}");
            Assert.Equal("The message is not signed by the node of NL as the directory lists it: it was altered or forged.", ex.Status.Detail);
        }

        await AssertHoldsNothingAsync(se, message.ReferralId);
        Assert.Equal(5, (await AuditAsync(se, "referral.refused")).Count);

        // The genuine message still goes through afterwards: the refusals left nothing behind that blocks it.
        var receipt = Receipt.Parser.ParseFrom((await DeliverAsync(se, nl.Certificate, genuine)).Receipt);
        Assert.Equal(ReceiptOutcome.Applied, receipt.Outcome);
    }

    [Fact]
    public async Task Deliver_MessageOfAnotherCountryOverThisConnection_PermissionDenied()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se, fi) = await StartPartnersAsync(network, "NL", "SE", "FI") switch { var n => (n[0], n[1], n[2]) };

        // SE's node signs a message that says it comes from NL and sends it over its own connection.
        var claimed = Submission("NL", "FI", fi.Certificate);
        var claim = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(fi, se.Certificate, ReferralCrypto.Sign(claimed, se.Certificate)));
        Assert.Equal(StatusCode.PermissionDenied, claim.StatusCode);
        Assert.Equal("The message says it comes from NL, but SE sent it.", claim.Status.Detail);

        // SE relays a message NL really signed: the signature is checked against the caller, SE.
        var relayed = Submission("NL", "FI", fi.Certificate);
        var relay = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(fi, se.Certificate, ReferralCrypto.Sign(relayed, nl.Certificate)));
        Assert.Equal(StatusCode.PermissionDenied, relay.StatusCode);
        Assert.Equal("The message is not signed by the node of SE as the directory lists it: it was altered or forged.", relay.Status.Detail);

        await AssertHoldsNothingAsync(fi, claimed.ReferralId);
        await AssertHoldsNothingAsync(fi, relayed.ReferralId);
        Assert.All(await AuditAsync(fi, "referral.refused"), r => Assert.Equal("peer:SE", r.Actor));
    }

    [Fact]
    public async Task Exchange_MixedBatch_EachMessageItsOwnOutcomeInOrder_RefusedOnesLeaveNothing()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se, fi) = await StartPartnersAsync(network, "NL", "SE", "FI") switch { var n => (n[0], n[1], n[2]) };
        var first = ReferralCrypto.Sign(Submission("NL", "SE", se.Certificate), nl.Certificate);
        var tamperedMessage = Submission("NL", "SE", se.Certificate);
        var ciphertext = tamperedMessage.Submission.Content.Ciphertext.ToByteArray();
        ciphertext[0] ^= 0x01;
        tamperedMessage.Submission.Content.Ciphertext = ByteString.CopyFrom(ciphertext);
        var tampered = ReferralCrypto.Sign(tamperedMessage, nl.Certificate);
        var forged = ReferralCrypto.Sign(Submission("NL", "SE", se.Certificate), fi.Certificate);
        var forFinland = ReferralCrypto.Sign(Submission("NL", "FI", fi.Certificate), nl.Certificate);
        var last = ReferralCrypto.Sign(Submission("NL", "SE", se.Certificate), nl.Certificate);
        var request = new ExchangeRequest { Messages = { first, tampered, forged, first, forFinland, last } };

        ExchangeResponse response;
        using (var channel = se.PeerChannel(nl.Certificate))
        {
            response = await new ReferralPeerClient(channel).ExchangeAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;
        }

        Assert.Equal(6, response.Results.Count);
        var outcomes = response.Results.Select(r => r.Receipt is { } receipt
            ? Receipt.Parser.ParseFrom(receipt.Receipt) switch { var parsed => $"{parsed.MessageId} {parsed.Outcome}" }
            : $"{(StatusCode)r.Refusal.Code}: {r.Refusal.Message}").ToArray();
        string Id(SignedMessage m) => ReferralMessage.Parser.ParseFrom(m.Message).MessageId;
        Assert.Equal(
            [
                $"{Id(first)} Applied",
                "InvalidArgument: This node refuses the referral: The sealed content does not open: it was altered, or sealed for another message or node.",
                "PermissionDenied: The message is not signed by the node of NL as the directory lists it: it was altered or forged.",
                $"{Id(first)} Duplicate",
                $"PermissionDenied: The message is addressed to FI, not to this node (SE).",
                $"{Id(last)} Applied",
            ],
            outcomes);
        Assert.All(response.Results.Where(r => r.Receipt is not null), r => Assert.True(ReferralCrypto.Verify(r.Receipt.Receipt.Span, r.Receipt.Signature.Span, se.Certificate)));

        var officer = await TokenAsync(se, "se-officer", "referral_officer");
        using var console = se.ConsoleChannel();
        var held = await new ReferralClient(console).ListReferralsAsync(new ListReferralsRequest { Direction = ReferralDirection.Incoming }, Auth(officer));
        Assert.Equal(
            new[] { first, last }.Select(m => ReferralMessage.Parser.ParseFrom(m.Message).ReferralId).Order(),
            held.Referrals.Select(r => r.Header.ReferralId).Order());
        foreach (var refusedMessage in new[] { tampered, forged, forFinland })
        {
            await AssertHoldsNothingAsync(se, ReferralMessage.Parser.ParseFrom(refusedMessage.Message).ReferralId);
        }

        Assert.Equal(["ok", "duplicate", "ok"], (await AuditAsync(se, "referral.received")).Select(r => r.Outcome));
        var refusals = await AuditAsync(se, "referral.refused");
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(("peer:NL", "denied", "/nremnet.referrals.v1.ReferralService/Exchange"), (r.Actor, r.Outcome, r.Target)));
    }

    [Fact]
    public async Task Exchange_MessageIdOfAnEventTheReceiverHolds_ThatMessageRefused_TheRestOfTheBatchApplied()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var submission = Submission("NL", "SE", se.Certificate);
        Assert.Equal(ReceiptOutcome.Applied, Receipt.Parser.ParseFrom((await DeliverAsync(se, nl.Certificate, ReferralCrypto.Sign(submission, nl.Certificate))).Receipt).Outcome);

        // A withdrawal whose message id is the id of an event SE already holds (the referral's creation).
        var clash = StatusChange(submission.ReferralId, "NL", "SE", sequence: 2, clock: 3, ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, "synthetic reason");
        clash.MessageId = submission.ReferralId;
        var other = Submission("NL", "SE", se.Certificate);
        ExchangeResponse response;
        using (var channel = se.PeerChannel(nl.Certificate))
        {
            response = await new ReferralPeerClient(channel).ExchangeAsync(new ExchangeRequest
            {
                Messages = { ReferralCrypto.Sign(clash, nl.Certificate), ReferralCrypto.Sign(other, nl.Certificate) },
            }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;
        }

        Assert.Equal(
            ((int)StatusCode.FailedPrecondition, $"Message {submission.ReferralId} cannot be stored: its message id or sequence is already used by another message of referral {submission.ReferralId}."),
            (response.Results[0].Refusal.Code, response.Results[0].Refusal.Message));
        Assert.Equal(ReceiptOutcome.Applied, Receipt.Parser.ParseFrom(response.Results[1].Receipt.Receipt).Outcome);
        var officer = await TokenAsync(se, "se-officer", "referral_officer");
        using var console = se.ConsoleChannel();
        var client = new ReferralClient(console);
        Assert.Equal(ReferralStatus.Acknowledged, (await GetAsync(client, officer, submission.ReferralId)).Status);
        Assert.Equal(ReferralStatus.Acknowledged, (await GetAsync(client, officer, other.ReferralId)).Status);
    }

    [Fact]
    public async Task Exchange_EmptyOrOverTheLimit_InvalidArgument_NothingApplied()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var message = Submission("NL", "SE", se.Certificate);
        var signed = ReferralCrypto.Sign(message, nl.Certificate);
        var tooMany = new ExchangeRequest();
        tooMany.Messages.AddRange(Enumerable.Repeat(signed, 257));
        using var channel = se.PeerChannel(nl.Certificate);
        var client = new ReferralPeerClient(channel);

        var empty = await RefusedAsync(client.ExchangeAsync(new ExchangeRequest(), cancellationToken: TestContext.Current.CancellationToken));
        var over = await RefusedAsync(client.ExchangeAsync(tooMany, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((StatusCode.InvalidArgument, "An exchange carries 1 to 256 messages, this one 0."), (empty.StatusCode, empty.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "An exchange carries 1 to 256 messages, this one 257."), (over.StatusCode, over.Status.Detail));
        await AssertHoldsNothingAsync(se, message.ReferralId);
        Assert.Equal(2, (await AuditAsync(se, "referral.refused")).Count);
    }

    [Fact]
    public async Task Deliver_SameMessageTwice_SecondReceiptDuplicate_OneReferralStored_ReceiptSignedByTheReceiver()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var seChannel = se.ConsoleChannel();
        var receiver = new ReferralClient(seChannel);
        var message = Submission("NL", "SE", se.Certificate);
        var signed = ReferralCrypto.Sign(message, nl.Certificate);

        var first = await DeliverAsync(se, nl.Certificate, signed);
        var second = await DeliverAsync(se, nl.Certificate, signed);

        var receipts = new List<Receipt>();
        foreach (var receipt in new[] { first, second })
        {
            Assert.Equal(NetworkIdentity.Thumbprint(se.Certificate), receipt.SignerThumbprint);
            Assert.True(ReferralCrypto.Verify(receipt.Receipt.Span, receipt.Signature.Span, se.Certificate), "the receipt's signature holds with SE's certificate");
            Assert.False(ReferralCrypto.Verify(receipt.Receipt.Span, receipt.Signature.Span, nl.Certificate), "the receipt's signature does not hold with another certificate");
            receipts.Add(Receipt.Parser.ParseFrom(receipt.Receipt));
        }

        Assert.Equal([ReceiptOutcome.Applied, ReceiptOutcome.Duplicate], receipts.Select(r => r.Outcome));
        Assert.All(receipts, r =>
        {
            Assert.Equal((message.MessageId, message.ReferralId, "SE"), (r.MessageId, r.ReferralId, r.ReceiverCountry));
            Assert.Equal(SHA256.HashData(signed.Message.Span), r.MessageDigest.ToByteArray());
        });
        Assert.Equal(receipts[0].ReceivedAt, receipts[1].ReceivedAt);

        var held = await receiver.ListReferralsAsync(new ListReferralsRequest { Direction = ReferralDirection.Incoming }, Auth(seOfficer));
        Assert.Equal(1, held.Total);
        Assert.Equal(message.ReferralId, held.Referrals[0].Header.ReferralId);
        // Both deliveries are audited: applied once, then the duplicate.
        var received = await AuditAsync(se, "referral.received");
        Assert.Equal(["ok", "duplicate"], received.Select(r => r.Outcome));
        Assert.All(received, r =>
        {
            Assert.Equal(("peer:NL", message.ReferralId), (r.Actor, r.Target));
            Assert.Contains(message.MessageId, r.Details, StringComparison.Ordinal);
        });
        var history = (await GetAsync(receiver, seOfficer, message.ReferralId)).History;
        Assert.Equal(["created", "status", "status"], history.Select(h => h.Kind));
        Assert.Single(history, h => h.MessageId == message.MessageId);

        // The same message id with other content is not a duplicate: it is refused.
        var reused = message.Clone();
        reused.Actor = "someone-else";
        var ex = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, nl.Certificate, ReferralCrypto.Sign(reused, nl.Certificate)));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal($"Message {message.MessageId} was delivered before with other content; a message id is never reused.", ex.Status.Detail);
        Assert.Equal(2, (await AuditAsync(se, "referral.received")).Count);
        Assert.Equal(1, (await receiver.ListReferralsAsync(new ListReferralsRequest(), Auth(seOfficer))).Total);
    }

    [Fact]
    public async Task ThirdCountry_CannotChangeReadOrReceiveAReferralOfTwoOthers()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se, fi) = await StartPartnersAsync(network, "NL", "SE", "FI") switch { var n => (n[0], n[1], n[2]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        var fiOfficer = await TokenAsync(fi, "fi-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        using var fiChannel = fi.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);
        var id = await SubmitAsync(sender, nlOfficer, Form("NL", "SE"));
        await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged);
        var before = History(await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged));

        // FI's node, signing as itself, tries to withdraw or accept the NL-SE referral on either node: the same NOT_FOUND
        // as for a referral that does not exist, so nothing leaks.
        foreach (var (node, change) in new[]
                 {
                     (se, StatusChange(id, "FI", "SE", 2, 3, ReferralStatus.Acknowledged, ReferralStatus.Withdrawn, "meddling (synthetic)")),
                     (nl, StatusChange(id, "FI", "NL", 2, 3, ReferralStatus.UnderAssessment, ReferralStatus.Accepted)),
                 })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ChangeStatusAsync(node, fi.Certificate, ReferralCrypto.Sign(change, fi.Certificate)));
            Assert.Equal(StatusCode.NotFound, ex.StatusCode);
            Assert.Equal($"This node holds no referral {id} exchanged with FI.", ex.Status.Detail);
        }

        Assert.Equal(before, History(await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged)));
        Assert.Equal(before, History(await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged)));

        // The sealed content SE holds opens for SE only: not with FI's key, not even when relabelled for FI's certificate.
        var (sealedBytes, submissionId) = await SealedSubmissionAsync(network, "SE", id);
        var sealedContent = SealedContent.Parser.ParseFrom(sealedBytes);
        var binding = ReferralCrypto.Binding(id, submissionId, "NL", "SE");
        Assert.Equal("Synthetic", ReferralCrypto.Open(sealedContent, se.Certificate, binding, ReferralContent.Parser).PersonalData.GivenName);
        var notForFi = Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(sealedContent, fi.Certificate, binding, ReferralContent.Parser));
        Assert.StartsWith($"The content is sealed for certificate {NetworkIdentity.Thumbprint(se.Certificate)}, not for this node's", notForFi.Message, StringComparison.Ordinal);
        var relabelled = sealedContent.Clone();
        relabelled.RecipientThumbprint = NetworkIdentity.Thumbprint(fi.Certificate);
        Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(relabelled, fi.Certificate, binding, ReferralContent.Parser));
        Assert.Throws<ReferralCryptoException>(() => ReferralCrypto.Open(relabelled, fi.Certificate, ReferralCrypto.Binding(id, submissionId, "NL", "FI"), ReferralContent.Parser));

        // A message NL addressed to SE, handed to FI's node by NL: refused, not stored.
        var misrouted = Submission("NL", "SE", se.Certificate);
        var ex2 = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(fi, nl.Certificate, ReferralCrypto.Sign(misrouted, nl.Certificate)));
        Assert.Equal(StatusCode.PermissionDenied, ex2.StatusCode);
        Assert.Equal("The message is addressed to SE, not to this node (FI).", ex2.Status.Detail);
        Assert.Equal(0, (await new ReferralClient(fiChannel).ListReferralsAsync(new ListReferralsRequest(), Auth(fiOfficer))).Total);
        await AssertHoldsNothingAsync(se, misrouted.ReferralId);
    }

    [Fact]
    public async Task Callers_NotAdmittedAsTheMember_AreRefused_NothingStored()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var message = Submission("NL", "SE", se.Certificate);

        // A certificate for NL from another CA: the TLS handshake fails.
        var otherCa = NetworkCertificates.CreateAuthority("NremNet test network CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        var (_, _, impostor) = network.IssueNode("NL", "nl-impostor", otherCa);
        var tls = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, impostor, ReferralCrypto.Sign(message, impostor)));
        Assert.True(HandshakeRefusals.IsRefusedInHandshake(tls), $"{tls.StatusCode}: {tls.Status.Detail}");

        // No client certificate at all.
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, null, ReferralCrypto.Sign(message, nl.Certificate)));
        Assert.True(HandshakeRefusals.IsRefusedInHandshake(anonymous), $"{anonymous.StatusCode}: {anonymous.Status.Detail}");

        // A certificate of the network CA for NL, but not the one in the directory; and one for a country that is not a member.
        var (_, _, secondNl) = network.IssueNode("NL", "nl-second");
        var notListed = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, secondNl, ReferralCrypto.Sign(message, secondNl)));
        Assert.Equal(StatusCode.PermissionDenied, notListed.StatusCode);
        Assert.Contains("is not the one the directory lists for NL", notListed.Status.Detail, StringComparison.Ordinal);
        var (_, _, germany) = network.IssueNode("DE", "de");
        var fromGermany = Submission("DE", "SE", se.Certificate);
        var nonMember = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, germany, ReferralCrypto.Sign(fromGermany, germany)));
        Assert.Equal(StatusCode.PermissionDenied, nonMember.StatusCode);
        Assert.Contains("DE is not an active member", nonMember.Status.Detail, StringComparison.Ordinal);

        // NL suspended: once SE holds the snapshot without NL, NL's genuine message is refused.
        await network.SuspendAsync("NL");
        await se.WaitForSnapshotAsync(s => s.Members.All(m => m.Country != "NL"));
        var suspended = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(se, nl.Certificate, ReferralCrypto.Sign(message, nl.Certificate)));
        Assert.Equal(StatusCode.PermissionDenied, suspended.StatusCode);
        Assert.Contains("NL is not an active member", suspended.Status.Detail, StringComparison.Ordinal);

        await AssertHoldsNothingAsync(se, message.ReferralId);
        await AssertHoldsNothingAsync(se, fromGermany.ReferralId);
        Assert.Empty(await AuditAsync(se, "referral.received"));
    }

    /// <summary>The node holds no such referral and has applied no message at all.</summary>
    private static async Task AssertHoldsNothingAsync(TestNode node, string referralId)
    {
        var officer = await TokenAsync(node, "auditor-" + Guid.NewGuid().ToString("N")[..8], "referral_officer");
        using var channel = node.ConsoleChannel();
        var client = new ReferralClient(channel);
        var ex = await RefusedAsync(client.GetReferralAsync(new GetReferralRequest { ReferralId = referralId }, Auth(officer)));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.DoesNotContain(await AuditAsync(node, "referral.received"), r => r.Target == referralId);
    }

    /// <summary>The sealed content a node stores for a received referral, and the id of the submission that carried it.</summary>
    private static async Task<(byte[] Sealed, string SubmissionId)> SealedSubmissionAsync(TestNetwork network, string country, string referralId)
    {
        await using var connection = NodeFiles.OpenReadOnly(Path.Combine(network.Folder, "node-" + country));
        var content = await connection.QuerySingleAsync<byte[]>("SELECT content FROM referrals WHERE referral_id = @Id", new { Id = referralId });
        var submissionId = await connection.QuerySingleAsync<string>("SELECT message_id FROM referral_events WHERE referral_id = @Id AND country = 'NL' AND sequence = 1", new { Id = referralId });
        return (content, submissionId);
    }
}
