using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Hosting.Grpc;
using NremNet.Node.Audit;
using NremNet.Node.Peers;
using NremNet.Node.Storage;
using NremNet.Node.Users;

namespace NremNet.Node.Referrals;

/// <summary>
/// The node's referrals in SQLite. Every change is one transaction: the referral, its event, the signed message for the
/// other side in the outbox, and the audit record are stored together or not at all. Received messages are applied
/// once (a receipt row per message id), in order per referral and side (sequence numbers), and answered with a signed
/// receipt.
/// </summary>
internal sealed class ReferralStore(NodeDatabase database, AuditLog audit, PeerCertificates peers, IOptions<NodeOptions> options, TimeProvider time, ReferralSignal signal)
{
    /// <summary>The actor of changes the node makes itself (the acknowledgement of a received referral).</summary>
    public const string SystemActor = "system";

    private const string OwnCopy = "own-copy";
    private const string Savepoint = "referral_message";
    private const int SqliteConstraint = 19;
    private const string Columns = """
        referral_id AS ReferralId, direction AS Direction, peer_country AS PeerCountry, sender_country AS SenderCountry, header AS Header,
        content AS Content, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt, final_at AS FinalAt, purge_at AS PurgeAt,
        purged_at AS PurgedAt, own_sequence AS OwnSequence, peer_sequence AS PeerSequence,
        (SELECT COUNT(*) FROM referral_outbox o WHERE o.referral_id = referrals.referral_id) AS Undelivered,
        (SELECT COUNT(*) FROM referral_events e WHERE e.referral_id = referrals.referral_id AND e.kind = 2 /* ReferralEventKind.Note */) AS Notes
        """;

    private const string EventColumns = """
        message_id AS MessageId, referral_id AS ReferralId, country AS Country, sequence AS Sequence, clock AS Clock, at AS At, actor AS Actor,
        kind AS Kind, to_status AS ToStatus, reason AS Reason, note_id AS NoteId, note AS Note, delivered_at AS DeliveredAt
        """;

    /// <summary>
    /// The countries with messages in the outbox, one index seek each (SQLite skips through an index only with
    /// statistics). The delivery loop asks which peers have messages due, and when the next falls due, on every pass,
    /// many times a second while it delivers: as scans of the outbox the two questions cost about 2 ms of CPU per pass
    /// with 10,000 messages waiting after an outage, as seeks a few microseconds.
    /// </summary>
    private const string OutboxPeers = """
        WITH RECURSIVE peers(country) AS (
            SELECT MIN(peer_country) FROM referral_outbox
            UNION ALL
            SELECT (SELECT MIN(peer_country) FROM referral_outbox WHERE peer_country > country) FROM peers WHERE country IS NOT NULL)

        """;

    private ReferralOptions Options => options.Value.Referrals;

    private string Own => peers.OwnCountry;

    /// <summary>The attachment limits of this node.</summary>
    public ReferralLimits Limits => new(Options.MaxAttachments, Options.MaxAttachmentBytes, Options.MaxTotalAttachmentBytes);

    // ----------------------------------------------------------------------------------------------------------------
    // Changes made by this node's officers
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Writes a new draft from a form; every invalid field is reported at once.</summary>
    public async Task<Referral> CreateDraftAsync(UserPrincipal user, ReferralForm form, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var problems = ReferralForms.Validate(form, Own, DateOnly.FromDateTime(now.UtcDateTime), Limits);
        if (problems.Count > 0)
        {
            throw RichErrors.InvalidArgument("The referral form", problems.Select(p => (p.Field, p.Problem)));
        }

        RequirePartner(form.ReceiverCountry);
        var referralId = Guid.CreateVersion7(now).ToString();
        var header = new ReferralHeader
        {
            ReferralId = referralId,
            SenderCountry = Own,
            ReceiverCountry = form.ReceiverCountry,
            Phase = form.Phase,
            Purpose = form.Purpose,
            Urgency = form.Urgency,
            SendingOrganisation = form.SendingOrganisation.Clone(),
            ReceivingOrganisation = form.ReceivingOrganisation.Clone(),
            PersonReference = form.PersonReference,
            Consent = form.Consent.Clone(),
            LegalBasis = form.LegalBasis,
            RetentionUntil = form.RetentionUntil,
            CreatedAt = Timestamp.FromDateTimeOffset(now),
            CreatedBy = user.Username,
        };
        header.SendingOrganisation.Country = Own;
        header.ReceivingOrganisation.Country = form.ReceiverCountry;
        header.DataCategories.AddRange(ReferralForms.DistinctCategories(form.PersonalData));
        var content = new ReferralContent { PersonalData = form.PersonalData?.Clone() ?? new PersonalData() };
        content.Needs.AddRange(form.Needs);
        content.SafetyRisks.AddRange(form.SafetyRisks);
        content.Attachments.AddRange(form.Attachments);
        var sealedForSelf = ReferralCrypto.Seal(content, peers.Own, ReferralCrypto.Binding(referralId, OwnCopy, Own, Own));

        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO referrals (referral_id, direction, peer_country, sender_country, header, content, status, purpose, urgency, created_at, updated_at, purge_at)
                VALUES (@ReferralId, @Direction, @Peer, @Own, @Header, @Content, @Status, @Purpose, @Urgency, @Now, @Now, @PurgeAt)
                """,
                new
                {
                    ReferralId = referralId, Direction = ReferralRow.Outgoing, Peer = form.ReceiverCountry, Own, Header = header.ToByteArray(),
                    Content = sealedForSelf.ToByteArray(), Status = (int)ReferralStatus.Draft, Purpose = (int)form.Purpose, Urgency = (int)form.Urgency, Now = now,
                    PurgeAt = RetentionEnd(header),
                },
                transaction).ConfigureAwait(false);
            await InsertEventAsync(connection, transaction, new EventRow
            {
                MessageId = referralId, ReferralId = referralId, Country = Own, Sequence = 0, Clock = 0, At = now, Actor = user.Username,
                Kind = (int)ReferralEventKind.Created, ToStatus = (int)ReferralStatus.Draft,
            }).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, user.Actor, "referral.draft", referralId, "ok", new
            {
                receiver = form.ReceiverCountry, purpose = ReferralForms.EnumName(form.Purpose.ToString()), dataCategories = header.DataCategories.Select(ReferralForms.CategoryName).ToArray(),
                attachments = form.Attachments.Count,
            }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return await GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submits a draft: seals its content for the receiving node, signs, and queues it for delivery.</summary>
    public Task<Referral> SubmitAsync(UserPrincipal user, string referralId, CancellationToken cancellationToken) =>
        ChangeAsync(user, referralId, ReferralStatus.Submitted, string.Empty, cancellationToken);

    /// <summary>
    /// Moves a referral to <paramref name="to"/>, if this side owns that transition. A receiver accepting or declining
    /// a referral it has only acknowledged passes through UNDER_ASSESSMENT (both steps are recorded and sent).
    /// </summary>
    public async Task<Referral> ChangeAsync(UserPrincipal user, string referralId, ReferralStatus to, string reason, CancellationToken cancellationToken)
    {
        reason = (reason ?? string.Empty).Trim();
        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var referral = await LoadForOfficerAsync(connection, transaction, referralId).ConfigureAwait(false);
            var history = await ReplayAsync(connection, transaction, referral).ConfigureAwait(false);
            var steps = new List<ReferralStatus>();
            if (referral.Side == ReferralSide.Receiver && history.Status == ReferralStatus.Acknowledged && to is ReferralStatus.Accepted or ReferralStatus.Declined)
            {
                steps.Add(ReferralStatus.UnderAssessment);
            }

            steps.Add(to);
            var current = history.Status;
            foreach (var step in steps)
            {
                var refusal = ReferralStateMachine.Refusal(current, step, referral.Side, step == to ? reason : string.Empty);
                if (refusal is not null)
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Referral {referralId} is {ReferralStateMachine.Name(history.Status)}: {refusal}."));
                }

                current = step;
            }

            var header = referral.ParsedHeader();
            X509Certificate2? peerCertificate = null;
            if (to == ReferralStatus.Submitted)
            {
                RequirePartner(referral.PeerCountry);
                var consent = ReferralForms.ConsentProblems(header.Consent, referral.PeerCountry, header.DataCategories);
                if (consent.Count > 0)
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition,
                        $"Referral {referralId} cannot be submitted: " + string.Join("; ", consent.Select(p => p.ToString())) + "."));
                }
            }

            if (!(history.Status == ReferralStatus.Draft && to == ReferralStatus.Withdrawn))
            {
                peerCertificate = RequirePeerCertificate(referral.PeerCountry);
            }

            var now = time.GetUtcNow();
            var sequence = referral.OwnSequence;
            var clock = history.Clock;
            foreach (var step in steps)
            {
                var stepReason = step == to ? reason : string.Empty;
                if (peerCertificate is null)
                {
                    // A draft withdrawn before it was ever sent: the other side never knew of it.
                    await InsertEventAsync(connection, transaction, new EventRow
                    {
                        MessageId = Guid.CreateVersion7(now).ToString(), ReferralId = referralId, Country = Own, Sequence = -1, Clock = ++clock, At = now,
                        Actor = user.Username, Kind = (int)ReferralEventKind.Status, ToStatus = (int)step, Reason = stepReason, DeliveredAt = now,
                    }).ConfigureAwait(false);
                    continue;
                }

                var message = NewMessage(referral, ++sequence, ++clock, now, user.Username);
                if (step == ReferralStatus.Submitted)
                {
                    var content = OpenContent(referral);
                    message.Submission = new Submission
                    {
                        Header = header,
                        Content = ReferralCrypto.Seal(content, peerCertificate, ReferralCrypto.Binding(referralId, message.MessageId, Own, referral.PeerCountry)),
                    };
                }
                else
                {
                    message.StatusChange = new StatusChange { From = PreviousOf(steps, step, history.Status), To = step, Reason = stepReason };
                }

                await EnqueueAsync(connection, transaction, message, step == ReferralStatus.Submitted ? "submission" : "status", new EventRow
                {
                    MessageId = message.MessageId, ReferralId = referralId, Country = Own, Sequence = (long)message.Sequence, Clock = (long)message.Clock, At = now,
                    Actor = user.Username, Kind = (int)ReferralEventKind.Status, ToStatus = (int)step, Reason = stepReason,
                }).ConfigureAwait(false);
            }

            await connection.ExecuteAsync("UPDATE referrals SET own_sequence = @Sequence WHERE referral_id = @ReferralId", new { Sequence = sequence, ReferralId = referralId }, transaction).ConfigureAwait(false);
            var after = await RefreshStatusAsync(connection, transaction, referral, now).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, user.Actor, to == ReferralStatus.Submitted ? "referral.submit" : "referral.transition", referralId, "ok", new
            {
                from = ReferralStateMachine.Name(history.Status), to = ReferralStateMachine.Name(after), steps = steps.Select(ReferralStateMachine.Name).ToArray(), reason,
                peer = referral.PeerCountry,
            }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return await GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a follow-up note, sealed for the other side (and for this node's own copy).</summary>
    public async Task<(Referral Referral, string NoteId)> AddNoteAsync(UserPrincipal user, string referralId, string text, CancellationToken cancellationToken)
    {
        text = (text ?? string.Empty).Trim();
        if (text.Length is 0 or > 4000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, text.Length == 0 ? "The note is empty." : $"The note is {text.Length} characters long; at most 4000."));
        }

        var noteId = string.Empty;
        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var referral = await LoadForOfficerAsync(connection, transaction, referralId).ConfigureAwait(false);
            var history = await ReplayAsync(connection, transaction, referral).ConfigureAwait(false);
            if (!ReferralStateMachine.AllowsNotes(history.Status))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Referral {referralId} is {ReferralStateMachine.Name(history.Status)}: follow-up notes are exchanged once it is ACCEPTED, and until it is closed."));
            }

            var peerCertificate = RequirePeerCertificate(referral.PeerCountry);
            var now = time.GetUtcNow();
            var message = NewMessage(referral, referral.OwnSequence + 1, history.Clock + 1, now, user.Username);
            noteId = Guid.CreateVersion7(now).ToString();
            var note = new NoteContent { Text = text };
            message.Note = new Note { NoteId = noteId, Content = ReferralCrypto.Seal(note, peerCertificate, ReferralCrypto.Binding(referralId, message.MessageId, Own, referral.PeerCountry)) };
            var ownCopy = ReferralCrypto.Seal(note, peers.Own, ReferralCrypto.Binding(referralId, noteId, Own, Own));
            await EnqueueAsync(connection, transaction, message, "note", new EventRow
            {
                MessageId = message.MessageId, ReferralId = referralId, Country = Own, Sequence = (long)message.Sequence, Clock = (long)message.Clock, At = now,
                Actor = user.Username, Kind = (int)ReferralEventKind.Note, NoteId = noteId, Note = ownCopy.ToByteArray(),
            }).ConfigureAwait(false);
            await connection.ExecuteAsync("UPDATE referrals SET own_sequence = @Sequence, updated_at = @Now WHERE referral_id = @ReferralId", new { Sequence = (long)message.Sequence, Now = now, ReferralId = referralId }, transaction).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, user.Actor, "referral.note", referralId, "ok", new { noteId, peer = referral.PeerCountry }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return (await GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false), noteId);
    }

    /// <summary>Decrypts the sealed part and the notes for a referral officer; the read is audited first.</summary>
    public async Task<ReadPersonalDataResponse> ReadPersonalDataAsync(UserPrincipal user, string referralId, CancellationToken cancellationToken)
    {
        DateTimeOffset? purgedAt = null;
        var read = await database.Database.InTransactionAsync<ReadPersonalDataResponse?>(async (connection, transaction) =>
        {
            var referral = await LoadForOfficerAsync(connection, transaction, referralId).ConfigureAwait(false);
            if (referral.PurgedAt is { } purged)
            {
                // The refusal is answered after the commit: thrown here, it would roll its own audit record back.
                purgedAt = purged;
                await audit.AppendAsync(connection, transaction, user.Actor, "referral.read", referralId, "refused", new { reason = "purged" }).ConfigureAwait(false);
                return null;
            }

            var response = new ReadPersonalDataResponse { Content = await OpenReceivedOrOwnContentAsync(connection, transaction, referral).ConfigureAwait(false) };
            var events = await EventsAsync(connection, transaction, referralId).ConfigureAwait(false);
            foreach (var e in events.Where(e => e.Kind == (int)ReferralEventKind.Note && e.Note is not null).OrderBy(e => e.Clock).ThenBy(e => e.Country, StringComparer.Ordinal))
            {
                var sealedNote = SealedContent.Parser.ParseFrom(e.Note);
                var binding = e.Country == Own
                    ? ReferralCrypto.Binding(referralId, e.NoteId!, Own, Own)
                    : ReferralCrypto.Binding(referralId, e.MessageId, e.Country, Own);
                var note = ReferralCrypto.Open(sealedNote, peers.Own, binding, NoteContent.Parser);
                response.Notes.Add(new NoteView { NoteId = e.NoteId ?? string.Empty, Country = e.Country, Author = e.Actor, At = Timestamp.FromDateTimeOffset(e.At), Text = note.Text });
            }

            await audit.AppendAsync(connection, transaction, user.Actor, "referral.read", referralId, "ok", new
            {
                peer = referral.PeerCountry,
                dataCategories = ReferralForms.DistinctCategories(response.Content.PersonalData).Select(ReferralForms.CategoryName).ToArray(),
                attachments = response.Content.Attachments.Count,
                notes = response.Notes.Count,
            }).ConfigureAwait(false);
            return response;
        }, cancellationToken).ConfigureAwait(false);
        return read ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"The personal data, attachments and notes of referral {referralId} were purged on {purgedAt.GetValueOrDefault():yyyy-MM-dd} under the retention rules; its history remains."));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Messages from the other side
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Applies signed messages from <paramref name="callerCountry"/> in one transaction, each once and in order, and
    /// returns a signed receipt or the refusal for each, in the order given. A message is applied under its own
    /// savepoint: a refused one leaves nothing behind and changes nothing for the others. Messages the peer service
    /// already refused (signature, addressing, partnership) arrive with their refusal and are only audited.
    /// </summary>
    public async Task<IReadOnlyList<ReceiveResult>> ApplyAsync(string callerCountry, string method, IReadOnlyList<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var outcomes = new (Receipt? Receipt, RpcException? Refusal)[batch.Count];

        // Opening sealed content (ECDH) is the costliest step of receiving: done before the transaction, it does not
        // hold up other writers, and not for messages received before (re-deliveries after a lost answer are answered
        // from their receipt). Whether it opened is only reported where the message's other checks put it.
        var received = await ReceivedBeforeAsync(batch, cancellationToken).ConfigureAwait(false);
        var opened = batch.Select(item => item.Refusal is null && item.Message is { } m && !received.Contains(m.MessageId) ? OpenSealed(callerCountry, m) : default).ToArray();
        var applied = await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var entries = new List<AuditItem>(batch.Count);
            var now = time.GetUtcNow();
            var appliedAny = false;
            for (var i = 0; i < batch.Count; i++)
            {
                var (signed, message, refusal) = batch[i];
                if (refusal is null && message is not null)
                {
                    transaction.Save(Savepoint);
                    try
                    {
                        var (receipt, entry) = await ApplyOneAsync(connection, transaction, callerCountry, signed, message, opened[i], now).ConfigureAwait(false);
                        transaction.Release(Savepoint);
                        outcomes[i] = (receipt, null);
                        entries.Add(entry);
                        appliedAny |= receipt.Outcome == ReceiptOutcome.Applied;
                        continue;
                    }
                    catch (Exception ex) when (ex is RpcException { StatusCode: not (StatusCode.Cancelled or StatusCode.DeadlineExceeded) } or SqliteException { SqliteErrorCode: SqliteConstraint })
                    {
                        // This message is refused, the others of the batch still count. A constraint failure is a message id
                        // or sequence that clashes with one this node holds (its own, say).
                        transaction.Rollback(Savepoint);
                        transaction.Release(Savepoint);
                        refusal = ex as RpcException ?? new RpcException(new Status(StatusCode.FailedPrecondition,
                            $"Message {message.MessageId} cannot be stored: its message id or sequence is already used by another message of referral {message.ReferralId}."));
                    }
                }

                refusal ??= new RpcException(new Status(StatusCode.InvalidArgument, "The request carries no signed message."));
                outcomes[i] = (null, refusal);
                entries.Add(new AuditItem("peer:" + callerCountry, "referral.refused", method, "denied", new
                {
                    code = refusal.StatusCode.ToString(), reason = refusal.Status.Detail, messageId = message?.MessageId, referralId = message?.ReferralId,
                }));
            }

            await audit.AppendAsync(connection, transaction, entries).ConfigureAwait(false);
            return appliedAny;
        }, cancellationToken).ConfigureAwait(false);
        if (applied)
        {
            signal.Notify();
        }

        return [.. outcomes.Select(o => new ReceiveResult(o.Receipt is null ? null : ReferralCrypto.Sign(o.Receipt, peers.Own), o.Refusal))];
    }

    /// <summary>Which of the batch's messages this node has received before (receipts are kept for good).</summary>
    private async Task<HashSet<string>> ReceivedBeforeAsync(IReadOnlyList<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Where(item => item.Message is not null).Select(item => item.Message!.MessageId).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>("SELECT message_id FROM referral_receipts WHERE message_id IN @Ids", new { Ids = ids }).ConfigureAwait(false)];
    }

    /// <summary>Applies one checked message (or recognises it as delivered before); throws the refusal.</summary>
    private async Task<(Receipt Receipt, AuditItem Audit)> ApplyOneAsync(
        SqliteConnection connection, SqliteTransaction transaction, string callerCountry, SignedMessage signed, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var digest = ReferralCrypto.Digest(signed);
        var earlier = await connection.QuerySingleOrDefaultAsync<(byte[] Digest, DateTimeOffset ReceivedAt)?>(
            "SELECT digest, received_at FROM referral_receipts WHERE message_id = @MessageId", new { message.MessageId }, transaction).ConfigureAwait(false);
        if (earlier is { } seen)
        {
            if (!seen.Digest.AsSpan().SequenceEqual(digest))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Message {message.MessageId} was delivered before with other content; a message id is never reused."));
            }

            return (NewReceipt(message, digest, seen.ReceivedAt, ReceiptOutcome.Duplicate), new AuditItem("peer:" + callerCountry, "referral.received", message.ReferralId, "duplicate", new
            {
                messageId = message.MessageId, kind = Kind(message), sequence = message.Sequence,
            }));
        }

        if (message.BodyCase == ReferralMessage.BodyOneofCase.Submission)
        {
            await ReceiveSubmissionAsync(connection, transaction, callerCountry, message, opened, now).ConfigureAwait(false);
        }
        else
        {
            await ReceiveChangeAsync(connection, transaction, callerCountry, message, opened, now).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(
            "INSERT INTO referral_receipts (message_id, referral_id, from_country, digest, received_at) VALUES (@MessageId, @ReferralId, @From, @Digest, @Now)",
            new { message.MessageId, message.ReferralId, From = callerCountry, Digest = digest, Now = now }, transaction).ConfigureAwait(false);
        return (NewReceipt(message, digest, now, ReceiptOutcome.Applied), new AuditItem("peer:" + callerCountry, "referral.received", message.ReferralId, "ok", new
        {
            messageId = message.MessageId, kind = Kind(message), sequence = message.Sequence,
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

    private async Task ReceiveSubmissionAsync(SqliteConnection connection, SqliteTransaction transaction, string from, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var submission = message.Submission;
        var header = submission.Header ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The submission carries no header."));
        var problems = new List<string>();
        if (header.ReferralId != message.ReferralId)
        {
            problems.Add($"the header's referral id {header.ReferralId} is not the message's {message.ReferralId}");
        }

        if (header.SenderCountry != from || header.ReceiverCountry != Own)
        {
            problems.Add($"the header says {header.SenderCountry} → {header.ReceiverCountry}, but the message goes {from} → {Own}");
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

        problems.AddRange(ReferralForms.ConsentProblems(header.Consent, Own, header.DataCategories).Select(p => p.ToString()));
        if (problems.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "This node refuses the referral: " + string.Join("; ", problems) + "."));
        }

        if (opened.Content is not ReferralContent content)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"This node refuses the referral: {opened.Problem}"));
        }

        var carried = ReferralForms.DistinctCategories(content.PersonalData);
        if (!carried.SequenceEqual(header.DataCategories.Distinct().Order()))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"This node refuses the referral: its sealed content carries {string.Join(", ", carried.Select(ReferralForms.CategoryName))}, the header declares {string.Join(", ", header.DataCategories.Select(ReferralForms.CategoryName))}."));
        }

        var existing = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM referrals WHERE referral_id = @Id", new { Id = message.ReferralId }, transaction).ConfigureAwait(false);
        if (existing > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Referral {message.ReferralId} is already held here, delivered by another message."));
        }

        // The row as stored, with the acknowledgement's sequence (1) already counted.
        var referral = new ReferralRow
        {
            ReferralId = message.ReferralId, Direction = ReferralRow.Incoming, PeerCountry = from, SenderCountry = from, Header = header.ToByteArray(),
            Content = submission.Content!.ToByteArray(), Status = (int)ReferralStatus.Submitted, CreatedAt = now, UpdatedAt = now, OwnSequence = 1, PeerSequence = 1,
        };
        await connection.ExecuteAsync(
            """
            INSERT INTO referrals (referral_id, direction, peer_country, sender_country, header, content, status, purpose, urgency, created_at, updated_at, purge_at, peer_sequence, own_sequence)
            VALUES (@ReferralId, @Direction, @Peer, @Peer, @Header, @Content, @Status, @Purpose, @Urgency, @Now, @Now, @PurgeAt, 1, 1)
            """,
            new
            {
                referral.ReferralId, referral.Direction, Peer = from, referral.Header, referral.Content,
                Status = (int)ReferralStatus.Submitted, Purpose = (int)header.Purpose, Urgency = (int)header.Urgency, Now = now, PurgeAt = RetentionEnd(header),
            },
            transaction).ConfigureAwait(false);
        await InsertEventAsync(connection, transaction, new EventRow
        {
            MessageId = message.ReferralId, ReferralId = message.ReferralId, Country = from, Sequence = 0, Clock = 0, At = header.CreatedAt!.ToDateTimeOffset(),
            Actor = header.CreatedBy, Kind = (int)ReferralEventKind.Created, ToStatus = (int)ReferralStatus.Draft,
        }).ConfigureAwait(false);
        await InsertEventAsync(connection, transaction, PeerEvent(message, ReferralEventKind.Status, ReferralStatus.Submitted, string.Empty)).ConfigureAwait(false);

        // The receiving node acknowledges at once, in the same transaction: the acknowledgement is queued like any change.
        var ack = NewMessage(referral, 1, (long)message.Clock + 1, now, SystemActor);
        ack.StatusChange = new StatusChange { From = ReferralStatus.Submitted, To = ReferralStatus.Acknowledged };
        await EnqueueAsync(connection, transaction, ack, "acknowledgement", new EventRow
        {
            MessageId = ack.MessageId, ReferralId = ack.ReferralId, Country = Own, Sequence = 1, Clock = (long)ack.Clock, At = now, Actor = SystemActor,
            Kind = (int)ReferralEventKind.Status, ToStatus = (int)ReferralStatus.Acknowledged,
        }).ConfigureAwait(false);
        await RefreshStatusAsync(connection, transaction, referral, now).ConfigureAwait(false);
    }

    private async Task ReceiveChangeAsync(SqliteConnection connection, SqliteTransaction transaction, string from, ReferralMessage message, OpenedContent opened, DateTimeOffset now)
    {
        var referral = await LoadAsync(connection, transaction, message.ReferralId).ConfigureAwait(false);
        if (referral is null || referral.PeerCountry != from)
        {
            // The same answer whether the referral does not exist or belongs to others: nothing leaks to a third country.
            throw new RpcException(new Status(StatusCode.NotFound, $"This node holds no referral {message.ReferralId} exchanged with {from}."));
        }

        if (message.Sequence <= (ulong)referral.PeerSequence)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"Message {message.MessageId} has sequence {message.Sequence}, which {from} already used for another message of referral {message.ReferralId}."));
        }

        if (message.Sequence != (ulong)referral.PeerSequence + 1)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"Message {message.MessageId} is out of order: referral {message.ReferralId} expects message {referral.PeerSequence + 1} from {from} first, this is {message.Sequence}."));
        }

        var peerSide = referral.Side == ReferralSide.Sender ? ReferralSide.Receiver : ReferralSide.Sender;
        EventRow row;
        if (message.BodyCase == ReferralMessage.BodyOneofCase.StatusChange)
        {
            var change = message.StatusChange;
            var refusal = change.To == ReferralStatus.Submitted
                ? "a referral is submitted only by delivering it"
                : ReferralStateMachine.Refusal(change.From, change.To, peerSide, change.Reason);
            if (refusal is not null)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"This node refuses the change of referral {message.ReferralId}: {refusal}."));
            }

            row = PeerEvent(message, ReferralEventKind.Status, change.To, change.Reason);
        }
        else
        {
            var note = message.Note;
            if (opened.Content is not NoteContent)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"This node refuses the note: {opened.Problem}"));
            }

            row = PeerEvent(message, ReferralEventKind.Note, ReferralStatus.Unspecified, string.Empty) with { NoteId = note.NoteId, Note = note.Content!.ToByteArray() };
        }

        await InsertEventAsync(connection, transaction, row).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE referrals SET peer_sequence = @Sequence, updated_at = @Now WHERE referral_id = @Id", new { Sequence = (long)message.Sequence, Now = now, Id = message.ReferralId }, transaction).ConfigureAwait(false);
        await RefreshStatusAsync(connection, transaction, referral, now).ConfigureAwait(false);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Outbox
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Countries with messages due for delivery at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<string>> PeersWithDueMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var peersDue = await connection.QueryAsync<string>(
            OutboxPeers + "SELECT country FROM peers WHERE country IS NOT NULL AND EXISTS (SELECT 1 FROM referral_outbox WHERE peer_country = country AND next_attempt_at <= @Now)",
            new { Now = now }).ConfigureAwait(false);
        return [.. peersDue];
    }

    /// <summary>When the next message falls due, if any wait.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var next = await connection.ExecuteScalarAsync<string?>(
            OutboxPeers + "SELECT MIN((SELECT MIN(next_attempt_at) FROM referral_outbox WHERE peer_country = country)) FROM peers WHERE country IS NOT NULL").ConfigureAwait(false);
        return next is null ? null : DateTimeOffset.Parse(next, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>
    /// The first waiting message of each referral for <paramref name="peer"/> that is due, in the order they fell due
    /// (then oldest first). That is the order of the peer index, so SQLite reads only as far as the limit; ordered by id
    /// it collected and sorted every due message with its payload first, which after an outage is the whole outbox on
    /// every call (27 ms of CPU with 9,000 heads waiting, against 0.3 ms).
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> DueHeadsAsync(string peer, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OutboxRow>(
            """
            SELECT o.id AS Id, o.message_id AS MessageId, o.referral_id AS ReferralId, o.peer_country AS PeerCountry, o.kind AS Kind, o.sequence AS Sequence,
                   o.message AS Message, o.created_at AS CreatedAt, o.attempts AS Attempts, o.last_error AS LastError, o.next_attempt_at AS NextAttemptAt
            FROM referral_outbox o
            WHERE o.peer_country = @Peer AND o.next_attempt_at <= @Now
              AND o.sequence = (SELECT MIN(p.sequence) FROM referral_outbox p WHERE p.referral_id = o.referral_id)
            ORDER BY o.next_attempt_at, o.id LIMIT @Limit
            """,
            new { Peer = peer, Now = now, Limit = limit }).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Every waiting message, oldest first (at most 1000), and how many wait in all.</summary>
    public async Task<(IReadOnlyList<OutboxRow> Rows, int Total)> OutboxAsync(string? peer, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = string.IsNullOrEmpty(peer) ? null : peer;
        var rows = await connection.QueryAsync<OutboxRow>(
            """
            SELECT id AS Id, message_id AS MessageId, referral_id AS ReferralId, peer_country AS PeerCountry, kind AS Kind, sequence AS Sequence,
                   created_at AS CreatedAt, attempts AS Attempts, last_error AS LastError, next_attempt_at AS NextAttemptAt
            FROM referral_outbox WHERE (@Peer IS NULL OR peer_country = @Peer) ORDER BY id LIMIT 1000
            """,
            new { Peer = filter }).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM referral_outbox WHERE (@Peer IS NULL OR peer_country = @Peer)", new { Peer = filter }).ConfigureAwait(false);
        return ([.. rows], total);
    }

    /// <summary>Checks the other side's signed receipt for a delivered message (<paramref name="sent"/>, as the outbox row holds it): the receipt when it holds, else the problem.</summary>
    public (Receipt? Receipt, string? Problem) CheckReceipt(OutboxRow row, SignedMessage sent, SignedReceipt? signedReceipt)
    {
        var (certificate, problem) = peers.For(row.PeerCountry);
        if (certificate is null)
        {
            return (null, $"the receipt cannot be checked: {problem}");
        }

        signedReceipt ??= new SignedReceipt();
        if (!string.Equals(signedReceipt.SignerThumbprint, Domain.Pki.NetworkIdentity.Thumbprint(certificate), StringComparison.OrdinalIgnoreCase)
            || !ReferralCrypto.Verify(signedReceipt.Receipt.Span, signedReceipt.Signature.Span, certificate))
        {
            return (null, $"the receipt is not signed by {row.PeerCountry}'s node");
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

        if (receipt.MessageId != row.MessageId || receipt.ReceiverCountry != row.PeerCountry || !receipt.MessageDigest.Span.SequenceEqual(ReferralCrypto.Digest(sent)))
        {
            return (null, $"the receipt is for another message ({receipt.MessageId}, {receipt.ReceiverCountry})");
        }

        return (receipt, null);
    }

    /// <summary>
    /// Settles delivery attempts in one transaction: a delivered message (its receipt checked) leaves the outbox, its
    /// event is marked delivered with the receipt, and the delivery is audited; a failed one keeps its place with the
    /// error and the time of its next attempt.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<DeliveredMessage> delivered, IReadOnlyList<FailedMessage> failed, CancellationToken cancellationToken)
    {
        if (delivered.Count == 0 && failed.Count == 0)
        {
            return;
        }

        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            // Each statement runs once per row from one command (prepared once). A row already gone is not settled twice.
            var waiting = (await connection.QueryAsync<long>("SELECT id FROM referral_outbox WHERE id IN @Ids", new { Ids = delivered.Select(d => d.Row.Id).ToArray() }, transaction)
                .ConfigureAwait(false)).ToHashSet();
            var settled = delivered.Where(d => waiting.Contains(d.Row.Id)).ToList();
            await connection.ExecuteAsync("DELETE FROM referral_outbox WHERE id = @Id", settled.Select(d => new { d.Row.Id }), transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "UPDATE referral_events SET delivered_at = @At, receipt = @Receipt WHERE message_id = @MessageId",
                settled.Select(d => new { At = d.Receipt.ReceivedAt.ToDateTimeOffset(), Receipt = d.Signed.ToByteArray(), d.Row.MessageId }),
                transaction).ConfigureAwait(false);

            // The draft's creation travels in the submission's header.
            await connection.ExecuteAsync(
                "UPDATE referral_events SET delivered_at = @At WHERE message_id = @ReferralId AND kind = @Kind",
                settled.Where(d => d.Row.Kind == "submission").Select(d => new { At = d.Receipt.ReceivedAt.ToDateTimeOffset(), d.Row.ReferralId, Kind = (int)ReferralEventKind.Created }),
                transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "UPDATE referral_outbox SET attempts = attempts + @Attempted, last_error = @Error, next_attempt_at = @Next WHERE id = @Id",
                failed.Select(f => new { Attempted = f.Attempted ? 1 : 0, Error = f.Error.Length > 500 ? f.Error[..500] : f.Error, Next = f.NextAttemptAt, f.Row.Id }),
                transaction).ConfigureAwait(false);
            await audit.AppendAsync(connection, transaction, [.. settled.Select(d => new AuditItem("system", "referral.delivered", d.Row.ReferralId, "ok", new
            {
                messageId = d.Row.MessageId, kind = d.Row.Kind, peer = d.Row.PeerCountry, attempts = d.Row.Attempts + 1,
                outcome = d.Receipt.Outcome == ReceiptOutcome.Duplicate ? "duplicate" : "applied",
            }))]).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes every waiting message for <paramref name="peer"/> due now (the peer answers again).</summary>
    public async Task MakeDueAsync(string peer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE referral_outbox SET next_attempt_at = @Now WHERE peer_country = @Peer AND next_attempt_at > @Now", new { Now = now, Peer = peer }).ConfigureAwait(false);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Retention
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Purges personal data, attachments and notes of referrals whose retention has ended; the history stays.</summary>
    public async Task<int> PurgeDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var due = (await connection.QueryAsync<string>(
                "SELECT referral_id FROM referrals WHERE purged_at IS NULL AND purge_at IS NOT NULL AND purge_at <= @Now ORDER BY purge_at LIMIT 500",
                new { Now = now }, transaction).ConfigureAwait(false)).ToList();
            foreach (var referralId in due)
            {
                await connection.ExecuteAsync("UPDATE referrals SET content = NULL, purged_at = @Now WHERE referral_id = @Id", new { Now = now, Id = referralId }, transaction).ConfigureAwait(false);
                var notes = await connection.ExecuteAsync("UPDATE referral_events SET note = NULL WHERE referral_id = @Id AND note IS NOT NULL", new { Id = referralId }, transaction).ConfigureAwait(false);
                await audit.AppendAsync(connection, transaction, "system", "referral.purged", referralId, "ok", new { notes }).ConfigureAwait(false);
            }

            return due.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Reading
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>One referral, with or without its history.</summary>
    public async Task<Referral> GetAsync(string referralId, bool withHistory, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var referral = await LoadAsync(connection, null, referralId).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"This node holds no referral {referralId}."));
        return await ViewAsync(connection, referral, withHistory).ConfigureAwait(false);
    }

    /// <summary>Referrals matching the filters, newest change first.</summary>
    public async Task<ListReferralsResponse> ListAsync(ListReferralsRequest request, CancellationToken cancellationToken)
    {
        var limit = request.Limit <= 0 ? 100 : Math.Min(request.Limit, 1000);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (request.Direction != ReferralDirection.Unspecified)
        {
            where.Add("direction = @Direction");
            parameters.Add("Direction", request.Direction == ReferralDirection.Outgoing ? ReferralRow.Outgoing : ReferralRow.Incoming);
        }

        if (request.Statuses.Count > 0)
        {
            where.Add("status IN @Statuses");
            parameters.Add("Statuses", request.Statuses.Select(s => (int)s).ToArray());
        }

        if (!string.IsNullOrEmpty(request.PeerCountry))
        {
            where.Add("peer_country = @Peer");
            parameters.Add("Peer", request.PeerCountry.Trim().ToUpperInvariant());
        }

        if (request.Purpose != Purpose.Unspecified)
        {
            where.Add("purpose = @Purpose");
            parameters.Add("Purpose", (int)request.Purpose);
        }

        if (request.Urgency != Urgency.Unspecified)
        {
            where.Add("urgency = @Urgency");
            parameters.Add("Urgency", (int)request.Urgency);
        }

        var clause = where.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", where);
        parameters.Add("Limit", limit);
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ReferralRow>($"SELECT {Columns} FROM referrals {clause} ORDER BY updated_at DESC, referral_id DESC LIMIT @Limit", parameters).ConfigureAwait(false);
        var response = new ListReferralsResponse { Total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM referrals {clause}", parameters).ConfigureAwait(false) };
        foreach (var row in rows)
        {
            response.Referrals.Add(await ViewAsync(connection, row, withHistory: false).ConfigureAwait(false));
        }

        return response;
    }

    private async Task<Referral> ViewAsync(SqliteConnection connection, ReferralRow referral, bool withHistory)
    {
        var view = new Referral
        {
            Header = referral.ParsedHeader(),
            Direction = referral.Direction == ReferralRow.Outgoing ? ReferralDirection.Outgoing : ReferralDirection.Incoming,
            PeerCountry = referral.PeerCountry,
            Status = (ReferralStatus)referral.Status,
            UpdatedAt = Timestamp.FromDateTimeOffset(referral.UpdatedAt),
            Undelivered = referral.Undelivered,
            Purged = referral.PurgedAt is not null,
            Notes = referral.Notes,
        };
        if ((referral.PurgedAt ?? referral.PurgeAt) is { } purge)
        {
            view.PurgeAt = Timestamp.FromDateTimeOffset(purge);
        }

        if (withHistory)
        {
            var events = await EventsAsync(connection, null, referral.ReferralId).ConfigureAwait(false);
            var delivered = events.ToDictionary(e => e.MessageId, e => e.Country != Own || e.DeliveredAt is not null);
            var replayed = ReferralHistory.Replay(events.Select(e => e.ToEvent()), referral.SenderCountry);
            foreach (var e in replayed.Events)
            {
                view.History.Add(new HistoryEntry
                {
                    MessageId = e.Event.MessageId,
                    At = Timestamp.FromDateTimeOffset(e.Event.At),
                    Country = e.Event.Country,
                    Actor = e.Event.Actor,
                    From = e.Event.Kind == ReferralEventKind.Note ? ReferralStatus.Unspecified : e.From,
                    To = e.Event.Kind == ReferralEventKind.Note ? ReferralStatus.Unspecified : e.Applied ? e.Event.To : e.From,
                    Reason = e.Applied ? e.Event.Reason : $"{e.Event.Reason} [not applied: {e.Conflict}]".Trim(),
                    Kind = e.Event.Kind switch { ReferralEventKind.Created => "created", ReferralEventKind.Note => "note", _ => "status" },
                    Delivered = delivered[e.Event.MessageId],
                });
            }
        }

        return view;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------------

    private void RequirePartner(string country)
    {
        if (!Options.IsPartner(country))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"{country} is not a referral partner of this node (Node:Referrals:Partners lists {(Options.Partners.Count == 0 ? "none" : string.Join(", ", Options.Partners))})."));
        }
    }

    private X509Certificate2 RequirePeerCertificate(string country)
    {
        var (certificate, problem) = peers.For(country);
        return certificate ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Nothing can be sealed for or sent to {country}: {problem}."));
    }

    private ReferralMessage NewMessage(ReferralRow referral, long sequence, long clock, DateTimeOffset now, string actor) => new()
    {
        MessageId = Guid.CreateVersion7(now).ToString(),
        ReferralId = referral.ReferralId,
        FromCountry = Own,
        ToCountry = referral.PeerCountry,
        Sequence = (ulong)sequence,
        Clock = (ulong)clock,
        CreatedAt = Timestamp.FromDateTimeOffset(now),
        Actor = actor,
    };

    private static ReferralStatus PreviousOf(List<ReferralStatus> steps, ReferralStatus step, ReferralStatus start)
    {
        var index = steps.IndexOf(step);
        return index <= 0 ? start : steps[index - 1];
    }

    private async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, ReferralMessage message, string kind, EventRow row)
    {
        var signed = ReferralCrypto.Sign(message, peers.Own);
        await InsertEventAsync(connection, transaction, row).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO referral_outbox (message_id, referral_id, peer_country, kind, sequence, message, created_at, next_attempt_at)
            VALUES (@MessageId, @ReferralId, @Peer, @Kind, @Sequence, @Message, @Now, @Now)
            """,
            new { message.MessageId, message.ReferralId, Peer = message.ToCountry, Kind = kind, Sequence = (long)message.Sequence, Message = signed.ToByteArray(), Now = row.At },
            transaction).ConfigureAwait(false);
    }

    private static EventRow PeerEvent(ReferralMessage message, ReferralEventKind kind, ReferralStatus to, string reason) => new()
    {
        MessageId = message.MessageId, ReferralId = message.ReferralId, Country = message.FromCountry, Sequence = (long)message.Sequence, Clock = (long)message.Clock,
        At = message.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, Actor = message.Actor, Kind = (int)kind, ToStatus = (int)to, Reason = reason,
    };

    private static Task InsertEventAsync(SqliteConnection connection, SqliteTransaction transaction, EventRow row) =>
        connection.ExecuteAsync(
            """
            INSERT INTO referral_events (message_id, referral_id, country, sequence, clock, at, actor, kind, to_status, reason, note_id, note, delivered_at)
            VALUES (@MessageId, @ReferralId, @Country, @Sequence, @Clock, @At, @Actor, @Kind, @ToStatus, @Reason, @NoteId, @Note, @DeliveredAt)
            """,
            row, transaction);

    private static async Task<ReferralRow?> LoadAsync(SqliteConnection connection, SqliteTransaction? transaction, string referralId) =>
        await connection.QuerySingleOrDefaultAsync<ReferralRow>($"SELECT {Columns} FROM referrals WHERE referral_id = @Id", new { Id = referralId }, transaction).ConfigureAwait(false);

    private static async Task<ReferralRow> LoadForOfficerAsync(SqliteConnection connection, SqliteTransaction transaction, string referralId)
    {
        if (!Guid.TryParse(referralId, out _))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{referralId}' is not a referral id (a UUID such as 0193f3c4-...)."));
        }

        return await LoadAsync(connection, transaction, referralId).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"This node holds no referral {referralId}."));
    }

    private static async Task<List<EventRow>> EventsAsync(SqliteConnection connection, SqliteTransaction? transaction, string referralId) =>
        [.. await connection.QueryAsync<EventRow>($"SELECT {EventColumns} FROM referral_events WHERE referral_id = @Id", new { Id = referralId }, transaction).ConfigureAwait(false)];

    private static async Task<ReplayedHistory> ReplayAsync(SqliteConnection connection, SqliteTransaction transaction, ReferralRow referral)
    {
        var events = await EventsAsync(connection, transaction, referral.ReferralId).ConfigureAwait(false);
        return ReferralHistory.Replay(events.Select(e => e.ToEvent()), referral.SenderCountry);
    }

    /// <summary>Replays the events and stores the status; sets the purge time once the referral is final.</summary>
    private async Task<ReferralStatus> RefreshStatusAsync(SqliteConnection connection, SqliteTransaction transaction, ReferralRow referral, DateTimeOffset now)
    {
        var history = await ReplayAsync(connection, transaction, referral).ConfigureAwait(false);
        var final = ReferralStateMachine.IsFinal(history.Status);
        var retentionEnd = RetentionEnd(referral.ParsedHeader());
        DateTimeOffset? finalAt = final ? referral.FinalAt ?? now : null;
        DateTimeOffset? purgeAt = finalAt is { } f
            ? Min(f + Options.RetentionPeriod, retentionEnd)
            : retentionEnd;
        await connection.ExecuteAsync(
            "UPDATE referrals SET status = @Status, updated_at = @Now, final_at = @FinalAt, purge_at = @PurgeAt WHERE referral_id = @Id",
            new { Status = (int)history.Status, Now = now, FinalAt = finalAt, PurgeAt = purgeAt, Id = referral.ReferralId }, transaction).ConfigureAwait(false);
        return history.Status;
    }

    private static DateTimeOffset? Min(DateTimeOffset a, DateTimeOffset? b) => b is { } value && value < a ? value : a;

    /// <summary>The end of the day (UTC) of the header's retention date: personal data is gone by then at the latest.</summary>
    private static DateTimeOffset? RetentionEnd(ReferralHeader header) =>
        ReferralForms.TryDate(header.RetentionUntil, out var until) ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1) : null;

    private ReferralContent OpenContent(ReferralRow referral)
    {
        if (referral.Content is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"The personal data of referral {referral.ReferralId} has been purged."));
        }

        return ReferralCrypto.Open(SealedContent.Parser.ParseFrom(referral.Content), peers.Own, ReferralCrypto.Binding(referral.ReferralId, OwnCopy, Own, Own), ReferralContent.Parser);
    }

    private async Task<ReferralContent> OpenReceivedOrOwnContentAsync(SqliteConnection connection, SqliteTransaction transaction, ReferralRow referral)
    {
        if (referral.Direction == ReferralRow.Outgoing)
        {
            return OpenContent(referral);
        }

        var submissionId = await connection.ExecuteScalarAsync<string>(
            "SELECT message_id FROM referral_events WHERE referral_id = @Id AND country = @Peer AND sequence = 1", new { Id = referral.ReferralId, Peer = referral.PeerCountry }, transaction).ConfigureAwait(false);
        return ReferralCrypto.Open(SealedContent.Parser.ParseFrom(referral.Content!), peers.Own, ReferralCrypto.Binding(referral.ReferralId, submissionId!, referral.PeerCountry, Own), ReferralContent.Parser);
    }

    private Receipt NewReceipt(ReferralMessage message, byte[] digest, DateTimeOffset receivedAt, ReceiptOutcome outcome) => new()
    {
        MessageId = message.MessageId,
        ReferralId = message.ReferralId,
        ReceiverCountry = Own,
        ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
        MessageDigest = ByteString.CopyFrom(digest),
        Outcome = outcome,
    };

    private static string Kind(ReferralMessage message) => message.BodyCase switch
    {
        ReferralMessage.BodyOneofCase.Submission => "submission",
        ReferralMessage.BodyOneofCase.Note => "note",
        _ => message.StatusChange.To == ReferralStatus.Acknowledged ? "acknowledgement" : "status",
    };
}

/// <summary>Wakes the delivery loop when a message is queued.</summary>
internal sealed class ReferralSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
