using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Peers;
using NremNet.Node.Users;

namespace NremNet.Node.Referrals;

/// <summary>
/// What this node's referral officers do with referrals: write drafts, submit and move them through their statuses, add
/// notes, read the personal data. Every change is one transaction: the referral, its events, the signed messages for the
/// other side in the outbox, and the audit record are stored together or not at all. Which changes are allowed, and what
/// each produces, is decided by the rules (<see cref="ReferralSteps"/>, <see cref="ReferralForms"/>); a refusal is a
/// <see cref="ReferralRefusedException"/>.
/// </summary>
internal sealed class ReferralCommands(
    ReferralDatabase database, ReferralOutbox outbox, ReferralQueries queries, PeerCertificates peers, IOptions<NodeOptions> options, TimeProvider time, ReferralSignal signal)
{
    /// <summary>What this node's own copy of a referral's sealed content is bound to, in place of a message id.</summary>
    private const string OwnCopy = "own-copy";

    private ReferralOptions Options => options.Value.Referrals;

    private string Own => peers.OwnCountry;

    /// <summary>The attachment limits of this node.</summary>
    public ReferralLimits Limits => new(Options.MaxAttachments, Options.MaxAttachmentBytes, Options.MaxTotalAttachmentBytes);

    /// <summary>Writes a new draft from a form; every invalid field is reported at once.</summary>
    /// <exception cref="ReferralRefusedException">Invalid: the form's problems; WrongState: the receiver is no partner.</exception>
    public async Task<Referral> CreateDraftAsync(UserPrincipal user, ReferralForm form, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var problems = ReferralForms.Validate(form, Own, DateOnly.FromDateTime(now.UtcDateTime), Limits);
        if (problems.Count > 0)
        {
            throw ReferralRefusal.InvalidForm("The referral form", problems).ToException();
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
        var row = new ReferralRow
        {
            ReferralId = referralId, Direction = ReferralRow.Outgoing, PeerCountry = form.ReceiverCountry, SenderCountry = Own, Header = header.ToByteArray(),
            Content = sealedForSelf.ToByteArray(), Status = (int)ReferralStatus.Draft, CreatedAt = now, UpdatedAt = now,
        };

        await database.InTransactionAsync(async tx =>
        {
            await database.InsertAsync(tx, row, header, ReferralRetentionRules.End(header)).ConfigureAwait(false);
            await database.InsertEventAsync(tx, new EventRow
            {
                MessageId = referralId, ReferralId = referralId, Country = Own, Sequence = 0, Clock = 0, At = now, Actor = user.Username,
                Kind = (int)ReferralEventKind.Created, ToStatus = (int)ReferralStatus.Draft,
            }).ConfigureAwait(false);
            await database.AuditAsync(tx, user.Actor, "referral.draft", referralId, "ok", new
            {
                receiver = form.ReceiverCountry, purpose = ReferralForms.EnumName(form.Purpose.ToString()), dataCategories = header.DataCategories.Select(ReferralForms.CategoryName).ToArray(),
                attachments = form.Attachments.Count,
            }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return await queries.GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submits a draft: seals its content for the receiving node, signs, and queues it for delivery.</summary>
    /// <exception cref="ReferralRefusedException">As <see cref="ChangeAsync"/>.</exception>
    public Task<Referral> SubmitAsync(UserPrincipal user, string referralId, CancellationToken cancellationToken) =>
        ChangeAsync(user, referralId, ReferralStatus.Submitted, string.Empty, cancellationToken);

    /// <summary>
    /// Moves a referral to <paramref name="to"/>, if this side owns that transition (<see cref="ReferralSteps.Plan"/>). A
    /// receiver accepting or declining a referral it has only acknowledged passes through UNDER_ASSESSMENT (both steps are
    /// recorded and sent).
    /// </summary>
    /// <exception cref="ReferralRefusedException">
    /// Invalid: not a referral id; NotFound: no such referral; WrongState: the change is not allowed, the receiver is no
    /// partner, the consent does not cover the submission, or nothing can be sealed for the other side.
    /// </exception>
    public async Task<Referral> ChangeAsync(UserPrincipal user, string referralId, ReferralStatus to, string reason, CancellationToken cancellationToken)
    {
        reason = (reason ?? string.Empty).Trim();
        await database.InTransactionAsync(async tx =>
        {
            var referral = await LoadForOfficerAsync(tx, referralId).ConfigureAwait(false);
            var history = await database.HistoryAsync(tx, referral).ConfigureAwait(false);
            var change = ReferralSteps.Plan(referralId, history.Status, referral.Side, to, reason, referral.OwnSequence, history.Clock);
            var header = referral.ParsedHeader();
            if (to == ReferralStatus.Submitted)
            {
                RequirePartner(referral.PeerCountry);
                var consent = ReferralForms.ConsentProblems(header.Consent, referral.PeerCountry, header.DataCategories);
                if (consent.Count > 0)
                {
                    throw ReferralRefusal.WrongState($"Referral {referralId} cannot be submitted: " + string.Join("; ", consent.Select(p => p.ToString())) + ".").ToException();
                }
            }

            var peerCertificate = change.Sent ? RequirePeerCertificate(referral.PeerCountry) : null;
            var now = time.GetUtcNow();
            foreach (var step in change.Steps)
            {
                if (peerCertificate is null)
                {
                    // A draft withdrawn before it was ever sent: the other side never knew of it.
                    await database.InsertEventAsync(tx, new EventRow
                    {
                        MessageId = Guid.CreateVersion7(now).ToString(), ReferralId = referralId, Country = Own, Sequence = step.Sequence, Clock = step.Clock, At = now,
                        Actor = user.Username, Kind = (int)ReferralEventKind.Status, ToStatus = (int)step.To, Reason = step.Reason, DeliveredAt = now,
                    }).ConfigureAwait(false);
                    continue;
                }

                var message = ReferralSteps.NewMessage(referralId, Own, referral.PeerCountry, step.Sequence, step.Clock, now, user.Username);
                if (step.To == ReferralStatus.Submitted)
                {
                    message.Submission = new Submission
                    {
                        Header = header,
                        Content = ReferralCrypto.Seal(OpenOwnContent(referral), peerCertificate, ReferralCrypto.Binding(referralId, message.MessageId, Own, referral.PeerCountry)),
                    };
                }
                else
                {
                    message.StatusChange = step.ToStatusChange();
                }

                await outbox.EnqueueAsync(tx, message, new EventRow
                {
                    MessageId = message.MessageId, ReferralId = referralId, Country = Own, Sequence = step.Sequence, Clock = step.Clock, At = now,
                    Actor = user.Username, Kind = (int)ReferralEventKind.Status, ToStatus = (int)step.To, Reason = step.Reason,
                }).ConfigureAwait(false);
            }

            await database.SetOwnSequenceAsync(tx, referralId, change.OwnSequence, now).ConfigureAwait(false);
            var after = await database.RefreshStatusAsync(tx, referral, now, Options.RetentionPeriod).ConfigureAwait(false);
            await database.AuditAsync(tx, user.Actor, to == ReferralStatus.Submitted ? "referral.submit" : "referral.transition", referralId, "ok", new
            {
                from = ReferralStateMachine.Name(history.Status), to = ReferralStateMachine.Name(after), steps = change.Steps.Select(s => ReferralStateMachine.Name(s.To)).ToArray(), reason,
                peer = referral.PeerCountry,
            }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return await queries.GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a follow-up note, sealed for the other side (and for this node's own copy).</summary>
    /// <exception cref="ReferralRefusedException">Invalid: an empty or too long note, or not a referral id; NotFound: no such referral; WrongState: no notes in its status, or nothing can be sealed for the other side.</exception>
    public async Task<(Referral Referral, string NoteId)> AddNoteAsync(UserPrincipal user, string referralId, string text, CancellationToken cancellationToken)
    {
        text = ReferralSteps.NoteText(text);
        var noteId = string.Empty;
        await database.InTransactionAsync(async tx =>
        {
            var referral = await LoadForOfficerAsync(tx, referralId).ConfigureAwait(false);
            var history = await database.HistoryAsync(tx, referral).ConfigureAwait(false);
            var (sequence, clock) = ReferralSteps.PlanNote(referralId, history.Status, referral.OwnSequence, history.Clock);
            var peerCertificate = RequirePeerCertificate(referral.PeerCountry);
            var now = time.GetUtcNow();
            var message = ReferralSteps.NewMessage(referralId, Own, referral.PeerCountry, sequence, clock, now, user.Username);
            noteId = Guid.CreateVersion7(now).ToString();
            var note = new NoteContent { Text = text };
            message.Note = new Note { NoteId = noteId, Content = ReferralCrypto.Seal(note, peerCertificate, ReferralCrypto.Binding(referralId, message.MessageId, Own, referral.PeerCountry)) };
            var ownCopy = ReferralCrypto.Seal(note, peers.Own, ReferralCrypto.Binding(referralId, noteId, Own, Own));
            await outbox.EnqueueAsync(tx, message, new EventRow
            {
                MessageId = message.MessageId, ReferralId = referralId, Country = Own, Sequence = sequence, Clock = clock, At = now,
                Actor = user.Username, Kind = (int)ReferralEventKind.Note, NoteId = noteId, Note = ownCopy.ToByteArray(),
            }).ConfigureAwait(false);
            await database.SetOwnSequenceAsync(tx, referralId, sequence, now).ConfigureAwait(false);
            await database.AuditAsync(tx, user.Actor, "referral.note", referralId, "ok", new { noteId, peer = referral.PeerCountry }).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return (await queries.GetAsync(referralId, withHistory: true, cancellationToken).ConfigureAwait(false), noteId);
    }

    /// <summary>Decrypts the sealed part and the notes for a referral officer; the read is audited first.</summary>
    /// <exception cref="ReferralRefusedException">Invalid: not a referral id; NotFound: no such referral; WrongState: its personal data was purged (the refused read is audited).</exception>
    public async Task<ReadPersonalDataResponse> ReadPersonalDataAsync(UserPrincipal user, string referralId, CancellationToken cancellationToken)
    {
        DateTimeOffset? purgedAt = null;
        var read = await database.InTransactionAsync<ReadPersonalDataResponse?>(async tx =>
        {
            var referral = await LoadForOfficerAsync(tx, referralId).ConfigureAwait(false);
            if (referral.PurgedAt is { } purged)
            {
                // The refusal is answered after the commit: thrown here, it would roll its own audit record back.
                purgedAt = purged;
                await database.AuditAsync(tx, user.Actor, "referral.read", referralId, "refused", new { reason = "purged" }).ConfigureAwait(false);
                return null;
            }

            var response = new ReadPersonalDataResponse { Content = await OpenContentAsync(tx, referral).ConfigureAwait(false) };
            var events = await database.EventsAsync(tx, referralId).ConfigureAwait(false);
            foreach (var e in events.Where(e => e.Kind == (int)ReferralEventKind.Note && e.Note is not null).OrderBy(e => e.Clock).ThenBy(e => e.Country, StringComparer.Ordinal))
            {
                var sealedNote = SealedContent.Parser.ParseFrom(e.Note);
                var binding = e.Country == Own
                    ? ReferralCrypto.Binding(referralId, e.NoteId!, Own, Own)
                    : ReferralCrypto.Binding(referralId, e.MessageId, e.Country, Own);
                var note = ReferralCrypto.Open(sealedNote, peers.Own, binding, NoteContent.Parser);
                response.Notes.Add(new NoteView { NoteId = e.NoteId ?? string.Empty, Country = e.Country, Author = e.Actor, At = Timestamp.FromDateTimeOffset(e.At), Text = note.Text });
            }

            await database.AuditAsync(tx, user.Actor, "referral.read", referralId, "ok", new
            {
                peer = referral.PeerCountry,
                dataCategories = ReferralForms.DistinctCategories(response.Content.PersonalData).Select(ReferralForms.CategoryName).ToArray(),
                attachments = response.Content.Attachments.Count,
                notes = response.Notes.Count,
            }).ConfigureAwait(false);
            return response;
        }, cancellationToken).ConfigureAwait(false);
        return read ?? throw ReferralRefusal.WrongState(
            $"The personal data, attachments and notes of referral {referralId} were purged on {purgedAt.GetValueOrDefault():yyyy-MM-dd} under the retention rules; its history remains.").ToException();
    }

    private async Task<ReferralRow> LoadForOfficerAsync(ReferralTransaction tx, string referralId)
    {
        if (!Guid.TryParse(referralId, out _))
        {
            throw ReferralRefusal.NotAReferralId(referralId).ToException();
        }

        return await database.LoadAsync(tx, referralId).ConfigureAwait(false)
            ?? throw ReferralRefusal.NotFound($"This node holds no referral {referralId}.").ToException();
    }

    private void RequirePartner(string country)
    {
        if (!Options.IsPartner(country))
        {
            throw ReferralRefusal.WrongState(
                $"{country} is not a referral partner of this node (Node:Referrals:Partners lists {(Options.Partners.Count == 0 ? "none" : string.Join(", ", Options.Partners))}).").ToException();
        }
    }

    private X509Certificate2 RequirePeerCertificate(string country)
    {
        var (certificate, problem) = peers.For(country);
        return certificate ?? throw ReferralRefusal.WrongState($"Nothing can be sealed for or sent to {country}: {problem}.").ToException();
    }

    /// <summary>This node's own copy of a referral it sent.</summary>
    private ReferralContent OpenOwnContent(ReferralRow referral) =>
        referral.Content is null
            ? throw ReferralRefusal.WrongState($"The personal data of referral {referral.ReferralId} has been purged.").ToException()
            : ReferralCrypto.Open(SealedContent.Parser.ParseFrom(referral.Content), peers.Own, ReferralCrypto.Binding(referral.ReferralId, OwnCopy, Own, Own), ReferralContent.Parser);

    /// <summary>The content of a referral: this node's own copy of one it sent, or as the sender sealed it for this node.</summary>
    private async Task<ReferralContent> OpenContentAsync(ReferralTransaction tx, ReferralRow referral)
    {
        if (referral.Direction == ReferralRow.Outgoing)
        {
            return OpenOwnContent(referral);
        }

        var submissionId = await database.SubmissionIdAsync(tx, referral).ConfigureAwait(false);
        return ReferralCrypto.Open(SealedContent.Parser.ParseFrom(referral.Content!), peers.Own, ReferralCrypto.Binding(referral.ReferralId, submissionId!, referral.PeerCountry, Own), ReferralContent.Parser);
    }
}
