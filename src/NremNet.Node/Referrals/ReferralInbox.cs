using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Peers;

namespace NremNet.Node.Referrals;

/// <summary>
/// Applies the messages of the other side of a referral: each once (a receipt row per message id), in order per referral
/// and side (sequence numbers), and answered with a signed receipt. A submission is acknowledged in the transaction that
/// stores it. What a message may do is decided by the rules (<see cref="ReferralMessageChecks"/>, <see cref="ReferralSteps"/>).
/// </summary>
internal sealed class ReferralInbox(ReferralDatabase database, ReferralOutbox outbox, PeerCertificates peers, IOptions<NodeOptions> options, TimeProvider time, ReferralSignal signal)
{
    /// <summary>The actor of changes the node makes itself (the acknowledgement of a received referral).</summary>
    public const string SystemActor = "system";

    private string Own => peers.OwnCountry;

    /// <summary>
    /// Applies signed messages from <paramref name="callerCountry"/> in one transaction, each once and in order, and
    /// returns a signed receipt or the refusal for each, in the order given. A message is applied under its own
    /// savepoint: a refused one leaves nothing behind and changes nothing for the others. Messages the peer service
    /// already refused (signature, addressing, partnership) arrive with their refusal and are only audited, in the same
    /// transaction.
    /// </summary>
    public async Task<IReadOnlyList<ReceiveResult>> ApplyAsync(string callerCountry, string method, IReadOnlyList<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var outcomes = new (Receipt? Receipt, ReferralRefusal? Refusal)[batch.Count];

        // Opening sealed content (ECDH) is the costliest step of receiving: done before the transaction, it does not
        // hold up other writers, and not for messages received before (re-deliveries after a lost answer are answered
        // from their receipt). Whether it opened is only reported where the message's other checks put it.
        var received = await database.ReceivedBeforeAsync([.. batch.Where(item => item.Message is not null).Select(item => item.Message!.MessageId)], cancellationToken).ConfigureAwait(false);
        var opened = batch.Select(item => item.Refusal is null && item.Message is { } m && !received.Contains(m.MessageId) ? OpenSealed(callerCountry, m) : default).ToArray();
        var applied = await database.InTransactionAsync(async tx =>
        {
            var entries = new List<AuditItem>(batch.Count);
            var now = time.GetUtcNow();
            var appliedAny = false;
            for (var i = 0; i < batch.Count; i++)
            {
                var (signed, message, refusal) = batch[i];
                if (refusal is null && message is not null)
                {
                    try
                    {
                        // A clash with a uniqueness constraint is a message id or sequence this node already holds for
                        // another message (one of its own, say).
                        var index = i;
                        var (receipt, entry) = await database.InSavepointAsync(
                            tx,
                            () => ApplyOneAsync(tx, callerCountry, signed, message, opened[index], now),
                            () => ReferralRefusal.WrongState($"Message {message.MessageId} cannot be stored: its message id or sequence is already used by another message of referral {message.ReferralId}."))
                            .ConfigureAwait(false);
                        outcomes[i] = (receipt, null);
                        entries.Add(entry);
                        appliedAny |= receipt.Outcome == ReceiptOutcome.Applied;
                        continue;
                    }
                    catch (ReferralRefusedException ex)
                    {
                        // This message is refused, the others of the batch still count.
                        refusal = ex.Refusal;
                    }
                }

                refusal ??= ReferralRefusal.Invalid("The request carries no signed message.");
                outcomes[i] = (null, refusal);
                entries.Add(new AuditItem("peer:" + callerCountry, "referral.refused", method, "denied", new
                {
                    code = ReferralRefusals.AuditCode(refusal), reason = refusal.Message, messageId = message?.MessageId, referralId = message?.ReferralId,
                }));
            }

            await database.AuditAsync(tx, entries).ConfigureAwait(false);
            return appliedAny;
        }, cancellationToken).ConfigureAwait(false);
        if (applied)
        {
            signal.Notify();
        }

        return [.. outcomes.Select(o => new ReceiveResult(o.Receipt is null ? null : ReferralCrypto.Sign(o.Receipt, peers.Own), o.Refusal))];
    }

    /// <summary>Applies one checked message (or recognises it as delivered before); throws the refusal.</summary>
    private async Task<(Receipt Receipt, AuditItem Audit)> ApplyOneAsync(
        ReferralTransaction tx, string callerCountry, SignedMessage signed, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var digest = ReferralCrypto.Digest(signed);
        if (await database.ReceiptOfAsync(tx, message.MessageId).ConfigureAwait(false) is { } seen)
        {
            if (!seen.Digest.AsSpan().SequenceEqual(digest))
            {
                throw ReferralRefusal.WrongState($"Message {message.MessageId} was delivered before with other content; a message id is never reused.").ToException();
            }

            return (NewReceipt(message, digest, seen.ReceivedAt, ReceiptOutcome.Duplicate), new AuditItem("peer:" + callerCountry, "referral.received", message.ReferralId, "duplicate", new
            {
                messageId = message.MessageId, kind = ReferralMessageChecks.KindName(message), sequence = message.Sequence,
            }));
        }

        if (message.BodyCase == ReferralMessage.BodyOneofCase.Submission)
        {
            await ReceiveSubmissionAsync(tx, callerCountry, message, opened, now).ConfigureAwait(false);
        }
        else
        {
            await ReceiveChangeAsync(tx, callerCountry, message, opened, now).ConfigureAwait(false);
        }

        await database.InsertReceiptAsync(tx, message, callerCountry, digest, now).ConfigureAwait(false);
        return (NewReceipt(message, digest, now, ReceiptOutcome.Applied), new AuditItem("peer:" + callerCountry, "referral.received", message.ReferralId, "ok", new
        {
            messageId = message.MessageId, kind = ReferralMessageChecks.KindName(message), sequence = message.Sequence,
            to = message.StatusChange is { } change ? ReferralStateMachine.Name(change.To) : null,
        }));
    }

    /// <summary>The sealed content of a submission or note, opened; or why it does not open.</summary>
    private OpenedContent OpenSealed(string from, ReferralMessage message)
    {
        var binding = ReferralCrypto.Binding(message.ReferralId, message.MessageId, from, Own);
        try
        {
            return message.BodyCase switch
            {
                ReferralMessage.BodyOneofCase.Submission => new(ReferralCrypto.Open(message.Submission.Content ?? new SealedContent(), peers.Own, binding, ReferralContent.Parser), null),
                ReferralMessage.BodyOneofCase.Note => new(ReferralCrypto.Open(message.Note.Content ?? new SealedContent(), peers.Own, binding, NoteContent.Parser), null),
                _ => default,
            };
        }
        catch (ReferralCryptoException ex)
        {
            return new(null, ex.Message);
        }
    }

    private async Task ReceiveSubmissionAsync(ReferralTransaction tx, string from, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var header = ReferralMessageChecks.CheckSubmission(message, from, Own, opened.Content as ReferralContent, opened.Problem);
        if (await database.ExistsAsync(tx, message.ReferralId).ConfigureAwait(false))
        {
            throw ReferralRefusal.WrongState($"Referral {message.ReferralId} is already held here, delivered by another message.").ToException();
        }

        // The row as stored, with the acknowledgement's sequence (1) already counted.
        var referral = new ReferralRow
        {
            ReferralId = message.ReferralId, Direction = ReferralRow.Incoming, PeerCountry = from, SenderCountry = from, Header = header.ToByteArray(),
            Content = message.Submission.Content!.ToByteArray(), Status = (int)ReferralStatus.Submitted, CreatedAt = now, UpdatedAt = now, OwnSequence = 1, PeerSequence = 1,
        };
        await database.InsertAsync(tx, referral, header, ReferralRetentionRules.End(header)).ConfigureAwait(false);
        await database.InsertEventAsync(tx, new EventRow
        {
            MessageId = message.ReferralId, ReferralId = message.ReferralId, Country = from, Sequence = 0, Clock = 0, At = header.CreatedAt!.ToDateTimeOffset(),
            Actor = header.CreatedBy, Kind = (int)ReferralEventKind.Created, ToStatus = (int)ReferralStatus.Draft,
        }).ConfigureAwait(false);
        await database.InsertEventAsync(tx, PeerEvent(message, ReferralEventKind.Status, ReferralStatus.Submitted, string.Empty)).ConfigureAwait(false);

        // The receiving node acknowledges at once, in the same transaction: the acknowledgement is queued like any change.
        var step = ReferralSteps.Acknowledgement(message);
        var ack = ReferralSteps.NewMessage(referral.ReferralId, Own, from, step.Sequence, step.Clock, now, SystemActor);
        ack.StatusChange = step.ToStatusChange();
        await outbox.EnqueueAsync(tx, ack, new EventRow
        {
            MessageId = ack.MessageId, ReferralId = ack.ReferralId, Country = Own, Sequence = step.Sequence, Clock = step.Clock, At = now, Actor = SystemActor,
            Kind = (int)ReferralEventKind.Status, ToStatus = (int)step.To,
        }).ConfigureAwait(false);
        await database.RefreshStatusAsync(tx, referral, now, options.Value.Referrals.RetentionPeriod).ConfigureAwait(false);
    }

    private async Task ReceiveChangeAsync(ReferralTransaction tx, string from, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var referral = await database.LoadAsync(tx, message.ReferralId).ConfigureAwait(false);
        if (referral is null || referral.PeerCountry != from)
        {
            // The same answer whether the referral does not exist or belongs to others: nothing leaks to a third country.
            throw ReferralRefusal.NotFound($"This node holds no referral {message.ReferralId} exchanged with {from}.").ToException();
        }

        ReferralMessageChecks.CheckSequence(message, from, referral.PeerSequence);
        EventRow row;
        if (message.BodyCase == ReferralMessage.BodyOneofCase.StatusChange)
        {
            ReferralSteps.CheckPeerChange(message, referral.Side);
            row = PeerEvent(message, ReferralEventKind.Status, message.StatusChange.To, message.StatusChange.Reason);
        }
        else
        {
            ReferralMessageChecks.CheckNote(opened.Content as NoteContent, opened.Problem);
            row = PeerEvent(message, ReferralEventKind.Note, ReferralStatus.Unspecified, string.Empty) with { NoteId = message.Note.NoteId, Note = message.Note.Content!.ToByteArray() };
        }

        await database.InsertEventAsync(tx, row).ConfigureAwait(false);
        await database.SetPeerSequenceAsync(tx, message.ReferralId, (long)message.Sequence, now).ConfigureAwait(false);
        await database.RefreshStatusAsync(tx, referral, now, options.Value.Referrals.RetentionPeriod).ConfigureAwait(false);
    }

    private static EventRow PeerEvent(ReferralMessage message, ReferralEventKind kind, ReferralStatus to, string reason) => new()
    {
        MessageId = message.MessageId, ReferralId = message.ReferralId, Country = message.FromCountry, Sequence = (long)message.Sequence, Clock = (long)message.Clock,
        At = message.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, Actor = message.Actor, Kind = (int)kind, ToStatus = (int)to, Reason = reason,
    };

    private Receipt NewReceipt(ReferralMessage message, byte[] digest, DateTimeOffset receivedAt, ReceiptOutcome outcome) => new()
    {
        MessageId = message.MessageId,
        ReferralId = message.ReferralId,
        ReceiverCountry = Own,
        ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
        MessageDigest = ByteString.CopyFrom(digest),
        Outcome = outcome,
    };
}
