using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Node.Membership;
using NremNet.Node.Peers;

namespace NremNet.Node.Practices;

/// <summary>
/// Follows every peer's change feed. Each active member's feed is pulled by cursor, page by page, every
/// <see cref="PracticeOptions.PullInterval"/>, and at once when the peer hints that it has something new, when it is
/// seen again after an outage, or when the membership changes; the pull is the truth, a lost hint only delays. A
/// version this node writes is hinted to every peer at once, so it is searchable everywhere within a second or two.
/// On start the node hints every peer and learns how far each has read it: a cursor past this store's newest version
/// means the store was restored from an older backup, and a new epoch starts before peers read on. After each pull,
/// attachments the new practices name are fetched from that peer and checked against their SHA-256 and type.
/// </summary>
internal sealed partial class DocumentReplication(
    DocumentStore store, SnapshotState snapshots, PeerChannels channels, PeerPresence presence, IOptions<NodeOptions> options, TimeProvider time,
    ILogger<DocumentReplication> logger) : BackgroundService
{
    /// <summary>A version that stops a feed this many times in a row (its predecessor never comes) is refused and passed.</summary>
    private const int StuckLimit = 3;

    private readonly ConcurrentDictionary<string, byte> _due = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _pulling = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Sequence, int Times)> _stuck = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unhinted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _hintAgain = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private int _hintPending;
    private bool _allDue = true;

    private PracticeOptions Options => options.Value.Practices;

    private string Own => options.Value.Country;

    /// <summary>Pulls <paramref name="country"/>'s feed soon (a hint came, or it is back).</summary>
    public void PullSoon(string country)
    {
        _due[country] = 0;
        Wake();
    }

    /// <summary>Pulls every peer's feed now and returns when done (errors are kept in the sync status).</summary>
    public Task PullAllAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Peers(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (member, ct) => await PullAsync(member, ct).ConfigureAwait(false));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.OwnChange += OnOwnChange;
        presence.Seen += OnPeerSeen;
        snapshots.Changed += OnSnapshotChanged;
        try
        {
            await Task.Yield();
            Interlocked.Exchange(ref _hintPending, 1);
            var nextRound = time.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested)
            {
                var hintAll = Interlocked.Exchange(ref _hintPending, 0) == 1;
                var hintAgain = hintAll ? [] : Peers().Where(m => _hintAgain.TryRemove(m.Country, out _)).ToList();
                if (hintAll || hintAgain.Count > 0)
                {
                    try
                    {
                        await AnnounceAsync(hintAll ? Peers() : hintAgain, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                    {
                        // The database is busy or the node is stopping: the next round announces again.
                        Interlocked.Exchange(ref _hintPending, 1);
                        PullFailed(logger, "every peer (hint)", ex.Message);
                        await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                    }
                }

                var now = time.GetUtcNow();
                var all = _allDue || now >= nextRound;
                _allDue = false;
                if (all)
                {
                    nextRound = now + Options.PullInterval;
                }

                var due = Peers().Where(m => all || _due.TryRemove(m.Country, out _)).ToList();
                if (all)
                {
                    _due.Clear();
                }

                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
                    async (member, ct) => await PullAsync(member, ct).ConfigureAwait(false)).ConfigureAwait(false);
                if (!_due.IsEmpty || !_hintAgain.IsEmpty || Volatile.Read(ref _hintPending) == 1)
                {
                    continue;
                }

                var wait = nextRound - time.GetUtcNow();
                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var timer = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, interval.Token);
                await Task.WhenAny(timer, _wake.WaitAsync(interval.Token)).ConfigureAwait(false);
                await interval.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            store.OwnChange -= OnOwnChange;
            presence.Seen -= OnPeerSeen;
            snapshots.Changed -= OnSnapshotChanged;
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        foreach (var gate in _pulling.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }

    /// <summary>
    /// A peer answered a hello: if pulling from it last failed, it is back, so its feed is read now; if the last hint to
    /// it failed, it is told again (it would otherwise learn of this store's new versions only at its next round).
    /// </summary>
    private void OnPeerSeen(string country)
    {
        if (_failing.ContainsKey(country))
        {
            PullSoon(country);
        }

        if (_unhinted.ContainsKey(country))
        {
            _hintAgain[country] = 0;
            Wake();
        }
    }

    private void OnOwnChange()
    {
        Interlocked.Exchange(ref _hintPending, 1);
        Wake();
    }

    private void OnSnapshotChanged()
    {
        _allDue = true;
        Interlocked.Exchange(ref _hintPending, 1);
        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private IReadOnlyList<MemberApplication> Peers() =>
        [.. (snapshots.Current?.Members ?? []).Where(m => m.Country != Own && !m.Certificate.IsEmpty && m.PeerEndpoint.Length > 0)];

    /// <summary>
    /// Tells <paramref name="peers"/> this store's epoch and newest sequence. A peer that has read further in this epoch
    /// than this store holds shows it was restored from an older backup: a new epoch starts (at most once per round),
    /// and every peer is told. A peer the hint did not reach is told again when it is next seen.
    /// </summary>
    private async Task AnnounceAsync(IReadOnlyList<MemberApplication> peers, CancellationToken cancellationToken)
    {
        var (epoch, latest) = await store.HeadAsync(cancellationToken).ConfigureAwait(false);
        var restarted = 0;
        await Parallel.ForEachAsync(peers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (member, ct) =>
        {
            try
            {
                var client = new DocumentReplicationService.DocumentReplicationServiceClient(channels.For(member));
                var reply = await client.HintAsync(new HintRequest { Epoch = epoch, Latest = latest },
                    new CallOptions(deadline: CallDeadline.After(TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
                _unhinted.TryRemove(member.Country, out _);
                if (reply.EpochSeen == epoch && reply.Cursor > latest && Interlocked.Exchange(ref restarted, 1) == 0)
                {
                    await store.RestartEpochAsync(member.Country, $"{member.Country} had read this feed to {reply.Cursor}, past its newest version {latest}: the store was restored from an older backup", ct)
                        .ConfigureAwait(false);
                    PullSoon(member.Country);
                }
            }
            catch (RpcException ex)
            {
                _unhinted[member.Country] = 0;
                HintFailed(logger, member.Country, ex.Status.Detail);
            }
        }).ConfigureAwait(false);
        if (restarted == 1)
        {
            await AnnounceAsync(Peers(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads one peer's feed from the cursor to its end, then fetches the attachments that came with it. A call under way
    /// is not cut when the node stops (the peer would see a reset stream): <paramref name="stopping"/> is checked between
    /// pages, and every call has its deadline.
    /// </summary>
    private async Task PullAsync(MemberApplication member, CancellationToken stopping)
    {
        var gate = _pulling.GetOrAdd(member.Country, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(stopping).ConfigureAwait(false);
        var cancellationToken = CancellationToken.None;
        try
        {
            var client = new DocumentReplicationService.DocumentReplicationServiceClient(channels.For(member));
            var feed = await store.PeerFeedAsync(member.Country, cancellationToken).ConfigureAwait(false);
            var (epoch, after) = (feed?.Epoch ?? string.Empty, feed?.Cursor ?? 0);
            var stored = 0;
            while (true)
            {
                var page = await client.ChangesAsync(new ChangesRequest { Epoch = epoch, After = after, Limit = Options.PageSize },
                    new CallOptions(deadline: CallDeadline.After(Options.PullTimeout), cancellationToken: cancellationToken)).ConfigureAwait(false);
                var skip = _stuck.TryGetValue(member.Country, out var stuck) && stuck.Times >= StuckLimit ? stuck.Sequence : -1;
                var outcome = await store.TakeAsync(member.Country, page, skip, cancellationToken).ConfigureAwait(false);
                stored += outcome.Stored;
                if (outcome.TransientProblem is not null)
                {
                    var at = outcome.TransientSequence;
                    _stuck.AddOrUpdate(member.Country, (at, 1), (_, old) => old.Sequence == at ? (at, old.Times + 1) : (at, 1));
                    PullHeld(logger, member.Country, outcome.TransientProblem);
                    break;
                }

                _stuck.TryRemove(member.Country, out _);
                if (!page.More || page.Changes.Count == 0)
                {
                    break;
                }

                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                (epoch, after) = (page.Epoch, page.Changes[^1].Sequence);
            }

            _failing.TryRemove(member.Country, out _);

            if (stored > 0)
            {
                Pulled(logger, stored, member.Country);
            }

            if (!stopping.IsCancellationRequested)
            {
                await FetchAttachmentsAsync(client, member.Country, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException ex)
        {
            _failing[member.Country] = 0;
            await NoteFailureAsync(member.Country, $"{ex.StatusCode}: {ex.Status.Detail}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DocumentRefusedException or Microsoft.Data.Sqlite.SqliteException or InvalidProtocolBufferException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await NoteFailureAsync(member.Country, ex.Message).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task NoteFailureAsync(string country, string error)
    {
        try
        {
            await store.NoteFailureAsync(country, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            PullFailed(logger, country, ex.Message);
        }
    }

    /// <summary>Fetches missing attachments from the peer, each checked against its SHA-256, size limit and type before it is stored.</summary>
    private async Task FetchAttachmentsAsync(DocumentReplicationService.DocumentReplicationServiceClient client, string country, CancellationToken cancellationToken)
    {
        foreach (var (sha256, _) in await store.MissingAttachmentsAsync(20, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var call = client.GetAttachment(new GetAttachmentRequest { Sha256 = sha256 },
                    new CallOptions(deadline: CallDeadline.After(Options.PullTimeout), cancellationToken: cancellationToken));
                using var buffer = new MemoryStream();
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (buffer.Length + chunk.Chunk.Length > Options.MaxAttachmentBytes)
                    {
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, $"attachment {sha256} is larger than {Options.MaxAttachmentBytes} bytes"));
                    }

                    chunk.Chunk.WriteTo(buffer);
                }

                var bytes = buffer.ToArray();
                var inspection = AttachmentCheck.Inspect(bytes, "attachment", Options.MaxAttachmentBytes); // no extension: only the content type counts here
                if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha256 || inspection.MediaType is null)
                {
                    AttachmentRefused(logger, sha256, country);
                    continue;
                }

                await store.StoreAttachmentAsync(sha256, inspection.MediaType, bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.ResourceExhausted)
            {
                // Another peer may hold it; the next pull asks again.
            }
        }
    }

    [LoggerMessage(200, LogLevel.Information, "Stored {Count} document versions from {Country}.", EventName = "DocumentsPulled")]
    private static partial void Pulled(ILogger logger, int count, string country);

    [LoggerMessage(201, LogLevel.Information, "Pulling documents from {Country} failed: {Error}.", EventName = "DocumentPullFailed")]
    private static partial void PullFailed(ILogger logger, string country, string error);

    [LoggerMessage(202, LogLevel.Debug, "Could not hint {Country}: {Error}.", EventName = "DocumentHintFailed")]
    private static partial void HintFailed(ILogger logger, string country, string error);

    [LoggerMessage(203, LogLevel.Information, "The feed of {Country} is held: {Problem}.", EventName = "DocumentPullHeld")]
    private static partial void PullHeld(ILogger logger, string country, string problem);

    [LoggerMessage(204, LogLevel.Warning, "An attachment {Sha256} from {Country} did not match its SHA-256 or is not an allowed type; not stored.", EventName = "DocumentAttachmentRefused")]
    private static partial void AttachmentRefused(ILogger logger, string sha256, string country);
}
