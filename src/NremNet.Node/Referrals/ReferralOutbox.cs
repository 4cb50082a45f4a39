using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Peers;

namespace NremNet.Node.Referrals;

/// <summary>
/// The outbox: every message this node makes for the other side of a referral waits here, signed, queued in the
/// transaction of the change that made it, until the other side's signed receipt for it checks out
/// (<see cref="ReferralDelivery"/> sends them). What is due, what waits, and how each attempt ended.
/// </summary>
internal sealed class ReferralOutbox(ReferralDatabase database, PeerCertificates peers)
{
    /// <summary>
    /// Signs <paramref name="message"/> and queues it, with its event, within the change's transaction (named in the
    /// outbox as <see cref="ReferralMessageChecks.KindName"/> says).
    /// </summary>
    public async Task EnqueueAsync(ReferralTransaction tx, ReferralMessage message, EventRow row)
    {
        var signed = ReferralCrypto.Sign(message, peers.Own);
        await database.InsertEventAsync(tx, row).ConfigureAwait(false);
        await database.EnqueueAsync(tx, message, signed, ReferralMessageChecks.KindName(message), row.At).ConfigureAwait(false);
    }

    /// <summary>Countries with messages due for delivery at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<string>> PeersWithDueMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.PeersWithDueMessagesAsync(now, cancellationToken);

    /// <summary>When the next message falls due, if any wait.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => database.NextDueAsync(cancellationToken);

    /// <summary>The first waiting message of each referral for <paramref name="peer"/> that is due, in the order they fell due.</summary>
    public Task<IReadOnlyList<OutboxRow>> DueHeadsAsync(string peer, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.DueHeadsAsync(peer, now, limit, cancellationToken);

    /// <summary>Every waiting message (for <paramref name="peer"/>, or all when empty), oldest first (at most 1000), and how many wait in all.</summary>
    public Task<(IReadOnlyList<OutboxRow> Rows, int Total)> ListAsync(string? peer, CancellationToken cancellationToken) =>
        database.OutboxAsync(string.IsNullOrEmpty(peer) ? null : peer, cancellationToken);

    /// <summary>Checks the other side's signed receipt for a delivered message (<paramref name="sent"/>, as the outbox row holds it): the receipt when it holds, else the problem.</summary>
    public (Receipt? Receipt, string? Problem) CheckReceipt(OutboxRow row, SignedMessage sent, SignedReceipt? signedReceipt)
    {
        ArgumentNullException.ThrowIfNull(row);
        var (certificate, problem) = peers.For(row.PeerCountry);
        return ReferralMessageChecks.CheckReceipt(row.MessageId, row.PeerCountry, sent, signedReceipt, certificate, problem);
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

        await database.InTransactionAsync(async tx =>
        {
            var settled = await database.StillWaitingAsync(tx, delivered).ConfigureAwait(false);
            await database.MarkDeliveredAsync(tx, settled).ConfigureAwait(false);
            await database.RescheduleAsync(tx, failed).ConfigureAwait(false);
            await database.AuditAsync(tx, [.. settled.Select(d => new AuditItem("system", "referral.delivered", d.Row.ReferralId, "ok", new
            {
                messageId = d.Row.MessageId, kind = d.Row.Kind, peer = d.Row.PeerCountry, attempts = d.Row.Attempts + 1,
                outcome = d.Receipt.Outcome == ReceiptOutcome.Duplicate ? "duplicate" : "applied",
            }))]).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes every waiting message for <paramref name="peer"/> due now (the peer answers again).</summary>
    public Task MakeDueAsync(string peer, DateTimeOffset now, CancellationToken cancellationToken) => database.MakeDueAsync(peer, now, cancellationToken);
}
