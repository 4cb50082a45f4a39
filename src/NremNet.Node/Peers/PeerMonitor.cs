using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Federation.V1;
using NremNet.Node.Membership;

namespace NremNet.Node.Peers;

/// <summary>How the node last found one peer.</summary>
internal sealed record PeerContact(MemberApplication Member, bool Reachable, DateTimeOffset? LastContact, double RoundTripMilliseconds, string LastError);

/// <summary>
/// Calls every other active member's <c>Hello</c> on a schedule and whenever the snapshot changes, over mutual TLS with
/// the peer's certificate pinned to its directory entry, and keeps how each one answered.
/// </summary>
internal sealed class PeerMonitor(
    IOptions<NodeOptions> options,
    SnapshotState snapshots,
    PeerChannels channels,
    PeerPresence presence,
    TimeProvider time,
    ILogger<PeerMonitor> logger) : BackgroundService
{
    /// <summary>The last error of a peer not checked yet since the node started.</summary>
    public const string NotContactedYet = "not contacted yet";

    private readonly ConcurrentDictionary<string, PeerContact> _contacts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Every other active member in the snapshot and how the node last found it.</summary>
    public IReadOnlyList<PeerContact> Peers =>
        (snapshots.Current?.Members ?? [])
            .Where(m => m.Country != options.Value.Country)
            .Select(m => _contacts.TryGetValue(m.Country, out var contact) && contact.Member.Equals(m) ? contact : new PeerContact(m, false, null, 0, NotContactedYet))
            .OrderBy(c => c.Member.Country, StringComparer.Ordinal)
            .ToList();

    /// <summary>Says hello to every peer now.</summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        var members = (snapshots.Current?.Members ?? []).Where(m => m.Country != options.Value.Country).ToList();
        await Task.WhenAll(members.Select(m => CheckAsync(m, cancellationToken))).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        snapshots.Changed += OnSnapshotChanged;
        try
        {
            // A peer that did not answer is asked again soon (1 s, then doubling up to the interval), so members
            // see each other quickly after starts and outages without checking healthy peers more often.
            var retry = TimeSpan.FromSeconds(1);
            while (!stoppingToken.IsCancellationRequested)
            {
                await CheckAllAsync(stoppingToken).ConfigureAwait(false);
                var wait = options.Value.PeerCheckInterval;
                if (Peers.Any(p => !p.Reachable))
                {
                    wait = retry < wait ? retry : wait;

                    // Doubling stops at the interval: a peer down for long would otherwise overflow TimeSpan (after
                    // some 40 checks) and end this service, and with it the node.
                    retry = retry < options.Value.PeerCheckInterval ? retry + retry : retry;
                }
                else
                {
                    retry = TimeSpan.FromSeconds(1);
                }

                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var timer = Task.Delay(wait, time, interval.Token);
                var woken = _wake.WaitAsync(interval.Token);
                await Task.WhenAny(timer, woken).ConfigureAwait(false);
                await interval.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException && stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            snapshots.Changed -= OnSnapshotChanged;
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void OnSnapshotChanged() => _wake.Release();

    private async Task CheckAsync(MemberApplication member, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var client = new FederationService.FederationServiceClient(channels.For(member));
            var reply = await client.HelloAsync(
                new HelloRequest { SnapshotVersion = snapshots.Version },
                new CallOptions(deadline: CallDeadline.After(TimeSpan.FromSeconds(5)), cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (reply.Country != member.Country)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"the node at {member.PeerEndpoint} says it is {reply.Country}, not {member.Country}"));
            }

            var wasDown = _contacts.TryGetValue(member.Country, out var previous) && !previous.Reachable;
            _contacts[member.Country] = new PeerContact(member, true, time.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, string.Empty);
            if (wasDown)
            {
                NodeLog.PeerReachable(logger, member.Country, member.PeerEndpoint);
            }

            presence.Report(member.Country);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"{ex.StatusCode}: {ex.Status.Detail}";
            var previous = _contacts.GetValueOrDefault(member.Country);
            if (previous is null || previous.Reachable || previous.LastError != error)
            {
                NodeLog.PeerUnreachable(logger, member.Country, member.PeerEndpoint, error);
            }

            _contacts[member.Country] = new PeerContact(member, false, previous?.LastContact, 0, error);
        }
    }
}
