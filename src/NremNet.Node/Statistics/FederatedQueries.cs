using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics.Queries;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using Proto = NremNet.Contracts.Aggregates.V1;

namespace NremNet.Node.Statistics;

/// <summary>
/// A rapporteur's federated query: every chosen country asked in parallel, each with its own deadline, results streamed
/// as they arrive. A call that meets UNAVAILABLE is retried by the peer channel while the deadline allows (grpc's retry
/// policy); each result says how many attempts it took. Peers' answers are cached with a TTL; the node's own country is
/// answered locally, with the protection a peer would get.
/// </summary>
internal sealed class FederatedQueries(SnapshotState snapshots, PeerChannels channels, StatisticsEngine engine, Agreements agreements, IOptions<NodeOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Country, string Query), (QueryResponse Answer, DateTimeOffset At)> _cache = new();

    public async IAsyncEnumerable<FederatedQueryResponse> RunAsync(
        QueryRequest request,
        StatisticsQuery query,
        IReadOnlyList<string> countries,
        TimeSpan deadline,
        bool refresh,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = Channel.CreateUnbounded<FederatedQueryResponse>();
        var work = countries.Select(country => Task.Run(
            async () => results.Writer.TryWrite(await OneAsync(country, request, query, deadline, refresh, cancellationToken).ConfigureAwait(false)),
            CancellationToken.None)).ToArray();
        _ = Task.WhenAll(work).ContinueWith(_ => results.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var result in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    private async Task<FederatedQueryResponse> OneAsync(string country, QueryRequest request, StatisticsQuery query, TimeSpan deadline, bool refresh, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = new FederatedQueryResponse { Country = country };
        CallAttempts.Counter? attempts = null;
        try
        {
            if (country == options.Value.Country)
            {
                result.MechanismName = options.Value.MechanismName;
                result.Attempts = 1;
                var decision = await agreements.DecideAsync(country, query, cancellationToken).ConfigureAwait(false);
                var own = decision with { Allowed = true, Protection = decision.Protection == Protection.DifferentialPrivacy ? Protection.Suppression : decision.Protection };
                Classify(result, await engine.AnswerAsync(country, query, own, cancellationToken).ConfigureAwait(false));
                return result;
            }

            var member = snapshots.Member(country);
            if (member is null)
            {
                result.Status = CountryStatus.Denied;
                result.Reason = $"{country} is not an active member of the network";
                return result;
            }

            result.MechanismName = member.MechanismName;
            var key = (country, query.Canonical);
            var now = time.GetUtcNow();
            if (!refresh && _cache.TryGetValue(key, out var cached) && now - cached.At < options.Value.Statistics.CacheTtl)
            {
                result.FromCache = true;
                result.CacheAge = Duration.FromTimeSpan(now - cached.At);
                Classify(result, cached.Answer);
                return result;
            }

            var client = new Proto.AggregateService.AggregateServiceClient(channels.For(member));
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            guard.CancelAfter(deadline + TimeSpan.FromSeconds(1));

            // The channel retries UNAVAILABLE within the deadline (Query has no side effects); each attempt is counted.
            attempts = CallAttempts.Start();
            var answer = await client.QueryAsync(request, new CallOptions(deadline: CallDeadline.After(deadline), cancellationToken: guard.Token)).ResponseAsync.ConfigureAwait(false);
            _cache[key] = (answer, time.GetUtcNow());
            result.CacheAge = Duration.FromTimeSpan(TimeSpan.Zero);
            Classify(result, answer);
            return result;
        }
        catch (RpcException ex)
        {
            (result.Status, result.Reason) = ex.StatusCode switch
            {
                StatusCode.PermissionDenied or StatusCode.FailedPrecondition or StatusCode.Unauthenticated or StatusCode.ResourceExhausted => (CountryStatus.Denied, ex.Status.Detail),
                StatusCode.DeadlineExceeded => (CountryStatus.DeadlineExceeded, $"no answer within {deadline.TotalSeconds:0.#} s"),
                StatusCode.InvalidArgument => (CountryStatus.Denied, ex.Status.Detail),
                _ => (CountryStatus.Unavailable, $"{ex.StatusCode}: {ex.Status.Detail}"),
            };
            return result;
        }
        catch (StatisticsRefusedException ex)
        {
            // The node's own answer, refused by its rules (not a peer's: those arrive as a status).
            result.Status = CountryStatus.Denied;
            result.Reason = ex.Message;
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result.Status = CountryStatus.DeadlineExceeded;
            result.Reason = $"no answer within {deadline.TotalSeconds:0.#} s";
            return result;
        }
        finally
        {
            result.Elapsed = Duration.FromTimeSpan(Stopwatch.GetElapsedTime(started));
            if (attempts is not null)
            {
                result.Attempts = Math.Max(1, attempts.Attempts);
            }
        }
    }

    private static void Classify(FederatedQueryResponse result, QueryResponse answer)
    {
        result.Answer = answer;
        if (answer.YearsAvailable.Count == 0)
        {
            result.Status = CountryStatus.NotAvailableForPeriod;
            result.Reason = "no figures for the years asked";
        }
        else if (answer.Cells.Any(c => c.ConfidentialityStatus is ConfidentialityStatus.Primary or ConfidentialityStatus.Secondary))
        {
            result.Status = CountryStatus.PartlyWithheld;
            result.Reason = $"{answer.Policy.PrimaryWithheld} small and {answer.Policy.SecondaryWithheld} shielding cells withheld";
        }
        else
        {
            result.Status = CountryStatus.Ok;
        }
    }
}
