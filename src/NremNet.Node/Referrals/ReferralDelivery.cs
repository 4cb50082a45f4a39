using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using Polly;
using Polly.CircuitBreaker;

namespace NremNet.Node.Referrals;

/// <summary>
/// Delivers the outbox. Per peer: the first waiting message of each referral goes out (a referral's messages one
/// after another, different referrals side by side), in batches through <c>Exchange</c> (one call, one transaction on
/// each side, one receipt per message). A message leaves the outbox only when the peer's signed receipt checks out.
/// An attempt that meets UNAVAILABLE is retried by the channel within its deadline (grpc's retry policy: the proto marks
/// Exchange idempotent); what grpc does not do is done here with Polly and the database: a per-peer circuit breaker, and
/// failures waiting with jittered exponential back-off, kept in the outbox, so a restart loses nothing. While a peer is
/// down only one probe goes out per back-off period, and when it answers again everything waiting for it is due at once.
/// </summary>
internal sealed partial class ReferralDelivery(
    ReferralOutbox outbox, SnapshotState snapshots, PeerChannels channels, PeerPresence presence, ReferralSignal signal, IOptions<NodeOptions> options, TimeProvider time,
    ILogger<ReferralDelivery> logger)
    : BackgroundService
{
    /// <summary>At most this many bytes of signed messages go in one Exchange call (a peer takes gRPC messages of up to 4 MiB).</summary>
    private const int MaxBatchBytes = 3 * 1024 * 1024;

    /// <summary>What one message adds to an Exchange request around its bytes (field tags and lengths), counted generously.</summary>
    private const int PerMessageOverhead = 16;

    private readonly ConcurrentDictionary<string, PeerState> _peers = new(StringComparer.Ordinal);

    private ReferralOptions Options => options.Value.Referrals;

    /// <summary>The state of a peer's circuit: closed, open or half-open.</summary>
    public string CircuitOf(string peer) =>
        _peers.TryGetValue(peer, out var state)
            ? state.Circuit.CircuitState switch { CircuitState.Open or CircuitState.Isolated => "open", CircuitState.HalfOpen => "half-open", _ => "closed" }
            : "closed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        presence.Seen += OnPeerSeen;
        try
        {
            await DeliverAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            presence.Seen -= OnPeerSeen;
        }
    }

    /// <summary>
    /// A resting peer answered or called a hello: it is back, so its messages are due and its probe goes now instead of
    /// after the rest of its back-off, through a closed circuit.
    /// </summary>
    private void OnPeerSeen(string country)
    {
        if (_peers.TryGetValue(country, out var state) && (state.Failures > 0 || state.Circuit.CircuitState != CircuitState.Closed))
        {
            _ = ResumeAsync(country, state);
        }
    }

    private async Task ResumeAsync(string country, PeerState state)
    {
        try
        {
            state.NotBefore = DateTimeOffset.MinValue;
            await state.Control.CloseAsync().ConfigureAwait(false);
            await outbox.MakeDueAsync(country, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            // Stopping, or the database is busy: the messages keep their back-off and go when it ends.
            DeliveryLoopFailed(logger, ex.Message);
        }

        signal.Notify();
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var resting = DateTimeOffset.MaxValue;
                foreach (var peer in await outbox.PeersWithDueMessagesAsync(now, stoppingToken).ConfigureAwait(false))
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
                if (await outbox.NextDueAsync(stoppingToken).ConfigureAwait(false) is { } next)
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
                var heads = await outbox.DueHeadsAsync(peer, time.GetUtcNow(), Options.DeliveryBatchSize * Options.DeliveryConcurrency, cancellationToken).ConfigureAwait(false);
                if (heads.Count == 0)
                {
                    return;
                }

                if (state.Failures > 0)
                {
                    // The peer failed last time: one message probes it first, the rest go only if it answers.
                    if (!await SendAsync(peer, state, [heads[0]], cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    await outbox.MakeDueAsync(peer, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var failed = 0;
                await Parallel.ForEachAsync(Batches(heads), new ParallelOptions { MaxDegreeOfParallelism = Options.DeliveryConcurrency, CancellationToken = cancellationToken }, async (batch, ct) =>
                {
                    if (Volatile.Read(ref failed) > 0 && state.Failures > 0)
                    {
                        return;
                    }

                    if (!await SendAsync(peer, state, batch, ct).ConfigureAwait(false))
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
            // Stopping: a call cut short ends as a cancelled RpcException; its messages stay in the outbox for the next run.
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            DeliveryLoopFailed(logger, ex.Message);
        }
    }

    /// <summary>Heads in batches of at most DeliveryBatchSize messages and <see cref="MaxBatchBytes"/> (a larger message goes alone).</summary>
    private IEnumerable<IReadOnlyList<OutboxRow>> Batches(IReadOnlyList<OutboxRow> heads)
    {
        var batch = new List<OutboxRow>();
        var bytes = 0L;
        foreach (var row in heads)
        {
            if (batch.Count > 0 && (batch.Count == Options.DeliveryBatchSize || bytes + row.Message.Length > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(row);
            bytes += row.Message.Length + PerMessageOverhead;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// One Exchange call with a batch; true when the peer answered (whatever it answered for each message). Each message
    /// whose receipt checks out leaves the outbox; refused ones wait with a slow back-off, shown in the outbox.
    /// </summary>
    private async Task<bool> SendAsync(string peer, PeerState state, IReadOnlyList<OutboxRow> batch, CancellationToken cancellationToken)
    {
        var member = snapshots.Member(peer);
        if (member is null)
        {
            await FailAsync(peer, state, batch, $"{peer} is not an active member in the directory snapshot", attempted: false, peerDown: true).ConfigureAwait(false);
            return false;
        }

        var request = new ExchangeRequest();
        request.Messages.AddRange(batch.Select(row => SignedMessage.Parser.ParseFrom(row.Message)));
        ExchangeResponse response;
        try
        {
            response = await state.Pipeline.ExecuteAsync(
                async ct => await new ReferralService.ReferralServiceClient(channels.For(member))
                    .ExchangeAsync(request, new CallOptions(deadline: CallDeadline.After(Options.DeliveryTimeout), cancellationToken: ct)).ResponseAsync.ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            // Refused by the open circuit without a call: these messages were not tried.
            await FailAsync(peer, state, batch, $"{peer}'s circuit is open after repeated failures; waiting before the next probe", attempted: false, peerDown: true).ConfigureAwait(false);
            return false;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(peer, state, batch, $"{ex.StatusCode}: {ex.Status.Detail}", attempted: true, peerDown: IsTransient(ex.StatusCode)).ConfigureAwait(false);
            return false;
        }

        if (state.Failures > 0)
        {
            PeerRecovered(logger, peer, state.Failures);
        }

        state.Failures = 0;
        state.NotBefore = DateTimeOffset.MinValue;
        var delivered = new List<DeliveredMessage>(batch.Count);
        var refused = new List<FailedMessage>();
        var now = time.GetUtcNow();
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i];
            string error;
            if (i >= response.Results.Count)
            {
                error = $"{peer} answered {response.Results.Count} results for {batch.Count} messages";
            }
            else if (response.Results[i].Refusal is { } refusal)
            {
                error = $"{(StatusCode)refusal.Code}: {refusal.Message}";
            }
            else
            {
                var (receipt, problem) = outbox.CheckReceipt(row, request.Messages[i], response.Results[i].Receipt);
                if (receipt is not null)
                {
                    delivered.Add(new DeliveredMessage(row, receipt, response.Results[i].Receipt));
                    continue;
                }

                error = "receipt refused: " + problem;
            }

            MessageRefused(logger, row.MessageId, peer, error);
            refused.Add(new FailedMessage(row, error, now + Backoff(row.Attempts + 1, slow: true), Attempted: true));
        }

        // Settled even while stopping: what the peer now holds leaves the outbox (were it kept, it would only come back as a duplicate).
        await outbox.SettleAsync(delivered, refused, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>A whole batch failed: recorded with the error; when the peer is down, it rests for a back-off period.</summary>
    private async Task FailAsync(string peer, PeerState state, IReadOnlyList<OutboxRow> batch, string error, bool attempted, bool peerDown)
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
        else
        {
            foreach (var row in batch)
            {
                MessageRefused(logger, row.MessageId, peer, error);
            }
        }

        await outbox.SettleAsync([], [.. batch.Select(row => new FailedMessage(row, error, peerDown ? state.NotBefore : now + Backoff(row.Attempts + 1, slow: true), attempted))], CancellationToken.None)
            .ConfigureAwait(false);
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
        var control = new CircuitBreakerManualControl();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = Options.CircuitBreakDuration,
                StateProvider = state,
                ManualControl = control,
                OnOpened = _ =>
                {
                    CircuitOpened(logger, peer);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return new PeerState(pipeline, state, control);
    }

    private sealed class PeerState(ResiliencePipeline pipeline, CircuitBreakerStateProvider circuit, CircuitBreakerManualControl control)
    {
        public int Failures;

        public ResiliencePipeline Pipeline { get; } = pipeline;

        public CircuitBreakerStateProvider Circuit { get; } = circuit;

        public CircuitBreakerManualControl Control { get; } = control;

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
