using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Practices;
using NremNet.Node.Referrals;
using NremNet.Node.Users;

namespace NremNet.Node.Console.Home;

/// <summary>A referral officer's work: incoming referrals waiting for this node, drafts not sent, messages not delivered yet.</summary>
/// <param name="IncomingWaiting">Incoming referrals submitted, acknowledged or under assessment.</param>
/// <param name="Drafts">Outgoing referrals still drafts.</param>
/// <param name="OutboxWaiting">Messages in the outbox the other side has not received yet.</param>
internal sealed record ReferralWork(int IncomingWaiting, int Drafts, int OutboxWaiting);

/// <summary>A practice new to the reader: its title, owner country and when it was signed.</summary>
internal sealed record NewPractice(string DocumentId, string Title, string OwnerCountry, DateTimeOffset SignedAt);

/// <summary>
/// A rapporteur's work: questions put to this node and not answered (and how many of those are overdue), this node's
/// own open questions, and practices published since the last visit (or in the last 30 days on a first visit).
/// </summary>
internal sealed record RapporteurWork(int QuestionsAwaiting, int QuestionsOverdue, int OwnOpenQuestions, int NewPracticeCount, IReadOnlyList<NewPractice> NewPractices, DateTimeOffset Since, bool FirstVisit);

/// <summary>A peer the node could not reach at its last check.</summary>
internal sealed record PeerDown(string Country, string Endpoint, DateTimeOffset? LastContact, string LastError);

/// <summary>An admin's work: peers down, the directory snapshot's age and expiry, and accounts locked or disabled.</summary>
internal sealed record AdminWork(int Peers, IReadOnlyList<PeerDown> PeersDown, ulong SnapshotVersion, DateTimeOffset? SnapshotIssuedAt, DateTimeOffset? SnapshotExpiresAt, TimeSpan? SnapshotAge, IReadOnlyList<string> LockedUsers, int DisabledUsers);

/// <summary>
/// "What needs me now" for the home page, per role, from the node's own application services in this process (the same
/// ones the user API's gRPC services call) — never the peer API, never a call to itself.
/// </summary>
internal sealed class HomeOverview(ReferralQueries referrals, ReferralOutbox outbox, QuestionUserService questions, DocumentStore documents, PeerMonitor peers, SnapshotState snapshots, UserStore users, TimeProvider time)
{
    /// <summary>How far back a first visit's "new practices" reach.</summary>
    public static readonly TimeSpan FirstVisitWindow = TimeSpan.FromDays(30);

    /// <summary>The most new practices listed by title.</summary>
    public const int ListedPractices = 5;

    /// <summary>A referral officer's work now.</summary>
    public async Task<ReferralWork> ReferralWorkAsync(CancellationToken cancellationToken)
    {
        var waiting = new ListReferralsRequest { Direction = ReferralDirection.Incoming, Limit = 1 };
        waiting.Statuses.Add([ReferralStatus.Submitted, ReferralStatus.Acknowledged, ReferralStatus.UnderAssessment]);
        var drafts = new ListReferralsRequest { Direction = ReferralDirection.Outgoing, Limit = 1 };
        drafts.Statuses.Add(ReferralStatus.Draft);
        return new ReferralWork(
            (await referrals.ListAsync(waiting, cancellationToken).ConfigureAwait(false)).Total,
            (await referrals.ListAsync(drafts, cancellationToken).ConfigureAwait(false)).Total,
            (await outbox.ListAsync(null, cancellationToken).ConfigureAwait(false)).Total);
    }

    /// <summary>A rapporteur's work now; <paramref name="previousVisit"/> is when their last session was last used.</summary>
    public async Task<RapporteurWork> RapporteurWorkAsync(DateTimeOffset? previousVisit, CancellationToken cancellationToken)
    {
        var awaiting = (await questions.ListAsync(new ListQuestionsRequest { AwaitingThisNode = true }, cancellationToken).ConfigureAwait(false)).Questions;
        var open = (await questions.ListAsync(new ListQuestionsRequest { OpenOnly = true }, cancellationToken).ConfigureAwait(false)).Questions;
        var since = previousVisit ?? time.GetUtcNow() - FirstVisitWindow;
        var fresh = (await documents.DocumentsAsync(DocumentKind.Practice, cancellationToken).ConfigureAwait(false))
            .Where(d => d.State == (int)DocumentState.Published && d.SignedAt > since)
            .ToList();
        return new RapporteurWork(
            awaiting.Count,
            awaiting.Count(q => q.OverdueForThisNode),
            open.Count(q => q.Version.OwnerCountry == documents.OwnCountry),
            fresh.Count,
            [.. fresh.Take(ListedPractices).Select(d => new NewPractice(d.DocumentId, d.Title, d.OwnerCountry, d.SignedAt))],
            since,
            previousVisit is null);
    }

    /// <summary>An admin's work now.</summary>
    public async Task<AdminWork> AdminWorkAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = peers.Peers;
        var down = all.Where(p => !p.Reachable).Select(p => new PeerDown(p.Member.Country, p.Member.PeerEndpoint, p.LastContact, p.LastError)).ToList();
        var accounts = await users.ListAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = snapshots.Current;
        var issued = snapshot?.IssuedAt.ToDateTimeOffset();
        return new AdminWork(
            all.Count,
            down,
            snapshots.Version,
            issued,
            snapshot?.ExpiresAt.ToDateTimeOffset(),
            issued is null ? null : now - issued.Value,
            [.. accounts.Where(u => !u.Disabled && u.LockedUntil > now).Select(u => u.Username)],
            accounts.Count(u => u.Disabled));
    }
}
