using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Peers;

namespace NremNet.Node.Referrals;

/// <summary>The referrals as officers see them: one with its history, or a filtered list. Reading changes nothing and is not audited (reading personal data is a command).</summary>
internal sealed class ReferralQueries(ReferralDatabase database, PeerCertificates peers)
{
    /// <summary>One referral, with or without its history.</summary>
    /// <exception cref="ReferralRefusedException">NotFound: this node holds no such referral.</exception>
    public async Task<Referral> GetAsync(string referralId, bool withHistory, CancellationToken cancellationToken)
    {
        var referral = await database.LoadAsync(referralId, cancellationToken).ConfigureAwait(false)
            ?? throw ReferralRefusal.NotFound($"This node holds no referral {referralId}.").ToException();
        var view = View(referral);
        if (withHistory)
        {
            AddHistory(view, referral, await database.EventsAsync(referral.ReferralId, cancellationToken).ConfigureAwait(false));
        }

        return view;
    }

    /// <summary>Referrals matching the filters, newest change first (100 unless a limit up to 1000 is asked).</summary>
    public async Task<ListReferralsResponse> ListAsync(ListReferralsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit <= 0 ? 100 : Math.Min(request.Limit, 1000);
        var (rows, total) = await database.ListAsync(request, limit, cancellationToken).ConfigureAwait(false);
        var response = new ListReferralsResponse { Total = total };
        response.Referrals.AddRange(rows.Select(View));
        return response;
    }

    private static Referral View(ReferralRow referral)
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

        return view;
    }

    /// <summary>The history as both sides replay it, each entry marked delivered once the other side holds it.</summary>
    private void AddHistory(Referral view, ReferralRow referral, IReadOnlyList<EventRow> events)
    {
        var delivered = events.ToDictionary(e => e.MessageId, e => e.Country != peers.OwnCountry || e.DeliveredAt is not null);
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
}
