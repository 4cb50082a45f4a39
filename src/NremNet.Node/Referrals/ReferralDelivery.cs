using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Clients;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Rpc;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace NremNet.Node.Referrals;

/// <summary>
/// Delivers the outbox. Per peer: the first waiting message of each referral goes out (a referral's messages one
/// after another, different referrals side by side), through a Polly pipeline with a short jittered retry and a
/// per-peer circuit breaker. A message leaves the outbox only when the peer's signed receipt checks out. Failures wait
/// with jittered exponential back-off, kept in the database, so a restart loses nothing; while a peer is down only one
/// probe goes out per back-off period, and when it answers again everything waiting for it is due at once.
/// </summary>
internal sealed partial class ReferralDelivery(
    ReferralStore store, SnapshotState snapshots, PeerChannels channels, ReferralSignal signal, IOptions<NodeOptions> options, TimeProvider time, ILogger<ReferralDelivery> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, PeerState> _peers = new(StringComparer.Ordinal);

    private ReferralOptions Options => options.Value.Referrals;

    /// <summary>The state of a peer's circuit: closed, open or half-open.</summary>
    public string CircuitOf(string peer) =>
        _peers.TryGetValue(peer, out var state)
            ? state.Circuit.CircuitState switch { CircuitState.Open or CircuitState.Isolated => "open", CircuitState.HalfOpen => "half-open", _ => "closed" }
            : "closed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var resting = DateTimeOffset.MaxValue;
                foreach (var peer in await store.PeersWithDueMessagesAsync(now, stoppingToken).ConfigureAwait(false))
                {
                    if (running.TryGetValue(peer, out var task) && !task.IsCompleted)
                    {
                        continue;
                    }

                    var state = _peers.GetOrAdd(peer, NewPeerState);
                    if (state.NotBefore > now)
                    {
                        // The peer failed: its messages are due, but the next probe waits for the back-off.
                        resting = state.NotBefore < resting ? state.NotBefore : resting;
                        continue;
                    }

                    running[peer] = Task.Run(() => DrainAsync(peer, state, stoppingToken), stoppingToken);
                }

                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                {
                    running.Remove(done);
                }

                var wait = TimeSpan.FromMilliseconds(500);
                if (await store.NextDueAsync(stoppingToken).ConfigureAwait(false) is { } next)
                {
                    if (next <= now && running.Values.All(t => t.IsCompleted) && resting != DateTimeOffset.MaxValue)
                    {
                        next = resting;
                    }

                    var until = next - time.GetUtcNow();
                    wait = until < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : until < wait ? until : wait;
                }

                await signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
            {
                DeliveryLoopFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(running.Values).ConfigureAwait(false);
    }

    /// <summary>Sends what is due for one peer until nothing is due or the peer fails.</summary>
    private async Task DrainAsync(string peer, PeerState state, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var heads = await store.DueHeadsAsync(peer, time.GetUtcNow(), Options.DeliveryConcurrency * 8, cancellationToken).ConfigureAwait(false);
                if (heads.Count == 0)
                {
                    return;
                }

                if (state.Failures > 0)
                {
                    // The peer failed last time: one probe first, the rest only if it answers.
                    if (!await SendAsync(peer, state, heads[0], cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    await store.MakeDueAsync(peer, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var failed = 0;
                await Parallel.ForEachAsync(heads, new ParallelOptions { MaxDegreeOfParallelism = Options.DeliveryConcurrency, CancellationToken = cancellationToken }, async (row, ct) =>
                {
                    if (Volatile.Read(ref failed) > 0 && state.Failures > 0)
                    {
                        return;
                    }

                    if (!await SendAsync(peer, state, row, ct).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref failed);
                    }
                }).ConfigureAwait(false);
                if (failed > 0 && state.Failures > 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // Stopping: a call cut short ends as a cancelled RpcException; its message stays in the outbox for the next run.
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            DeliveryLoopFailed(logger, ex.Message);
        }
    }

    /// <summary>One delivery attempt; true when the peer's receipt checked out and the message left the outbox.</summary>
    private async Task<bool> SendAsync(string peer, PeerState state, OutboxRow row, CancellationToken cancellationToken)
    {
        var member = snapshots.Member(peer);
        if (member is null)
        {
            await FailAsync(peer, state, row, $"{peer} is not an active member in the directory snapshot", attempted: false, peerDown: true, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var signed = SignedMessage.Parser.ParseFrom(row.Message);
        SignedReceipt receipt;
        RpcException? reached = null;
        try
        {
            receipt = await state.Pipeline.ExecuteAsync(async ct =>
            {
                var client = new ReferralPeerClient(channels.For(member));
                var call = new CallOptions(deadline: time.GetUtcNow().UtcDateTime + Options.DeliveryTimeout, cancellationToken: ct);
                try
                {
                    return row.Kind switch
                    {
                        "submission" => (await client.DeliverAsync(new DeliverRequest { Message = signed }, call).ResponseAsync.ConfigureAwait(false)).Receipt,
                        "acknowledgement" => (await client.AcknowledgeAsync(new AcknowledgeRequest { Message = signed }, call).ResponseAsync.ConfigureAwait(false)).Receipt,
                        "note" => (await client.AddNoteAsync(new AddNoteRequest { Message = signed }, call).ResponseAsync.ConfigureAwait(false)).Receipt,
                        _ => (await client.ChangeStatusAsync(new ChangeStatusRequest { Message = signed }, call).ResponseAsync.ConfigureAwait(false)).Receipt,
                    };
                }
                catch (RpcException ex)
                {
                    reached = ex;
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            // The circuit may open between the pipeline's retries: then this message was tried, and failed for a reason
            // the outbox must show, not only the open circuit.
            var error = reached is null
                ? $"{peer}'s circuit is open after repeated failures; waiting before the next probe"
                : $"{reached.StatusCode}: {reached.Status.Detail} (then {peer}'s circuit opened)";
            await FailAsync(peer, state, row, error, attempted: reached is not null, peerDown: true, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var down = IsTransient(ex.StatusCode);
            await FailAsync(peer, state, row, $"{ex.StatusCode}: {ex.Status.Detail}", attempted: true, peerDown: down, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var problem = await store.ConfirmAsync(row, receipt ?? new SignedReceipt(), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await FailAsync(peer, state, row, "receipt refused: " + problem, attempted: true, peerDown: false, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (state.Failures > 0)
        {
            PeerRecovered(logger, peer, state.Failures);
        }

        state.Failures = 0;
        state.NotBefore = DateTimeOffset.MinValue;
        return true;
    }

    private async Task FailAsync(string peer, PeerState state, OutboxRow row, string error, bool attempted, bool peerDown, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (peerDown)
        {
            var failures = Interlocked.Increment(ref state.Failures);
            state.NotBefore = now + Backoff(failures);
            if (failures == 1)
            {
                PeerUnreachable(logger, peer, error);
            }
        }

        var next = peerDown ? state.NotBefore : now + Backoff(row.Attempts + 1, slow: true);
        await store.RecordFailureAsync(row, error, next, attempted, cancellationToken).ConfigureAwait(false);
        if (!peerDown)
        {
            MessageRefused(logger, row.MessageId, peer, error);
        }
    }

    /// <summary>Jittered exponential back-off: 250 ms doubling up to MaxBackoff (refused messages: 2 s doubling up to 10 minutes), ±25%.</summary>
    private TimeSpan Backoff(int attempt, bool slow = false)
    {
        var baseDelay = slow ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(250);
        var cap = slow ? TimeSpan.FromMinutes(10) : Options.MaxBackoff;
        var exponential = baseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = exponential > cap ? cap : exponential;
        return delay * (0.75 + (Random.Shared.NextDouble() * 0.5));
    }

    private static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Cancelled;

    private PeerState NewPeerState(string peer)
    {
        var transient = new PredicateBuilder().Handle<RpcException>(ex => IsTransient(ex.StatusCode)).Handle<HttpRequestException>().Handle<IOException>();
        var state = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(ex => ex.StatusCode == StatusCode.Unavailable),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = Options.CircuitBreakDuration,
                StateProvider = state,
                OnOpened = _ =>
                {
                    CircuitOpened(logger, peer);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return new PeerState(pipeline, state);
    }

    private sealed class PeerState(ResiliencePipeline pipeline, CircuitBreakerStateProvider circuit)
    {
        public int Failures;

        public ResiliencePipeline Pipeline { get; } = pipeline;

        public CircuitBreakerStateProvider Circuit { get; } = circuit;

        public DateTimeOffset NotBefore { get; set; } = DateTimeOffset.MinValue;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Referral delivery to {Peer} fails: {Error}; waiting with back-off.")]
    private static partial void PeerUnreachable(ILogger logger, string peer, string error);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Referral delivery to {Peer} works again after {Failures} failed attempts.")]
    private static partial void PeerRecovered(ILogger logger, string peer, int failures);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "The circuit to {Peer} opened after repeated failures.")]
    private static partial void CircuitOpened(ILogger logger, string peer);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "{Peer} refused referral message {MessageId}: {Error}; it stays in the outbox and is retried later.")]
    private static partial void MessageRefused(ILogger logger, string messageId, string peer, string error);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "The referral delivery loop failed: {Error}; retrying.")]
    private static partial void DeliveryLoopFailed(ILogger logger, string error);
}
