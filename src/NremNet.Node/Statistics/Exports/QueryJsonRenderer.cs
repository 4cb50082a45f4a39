using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// The query's results as one JSON object for scripts, its shape stable: <c>{query, synthetic, prepared, node,
/// countries:[{country, status, reason, fromCache, cacheAgeSeconds, elapsedSeconds, attempts, mechanismName, policy,
/// synthetic, dataVersion, dataUpdatedAt, source, yearsAvailable, cells:[{key, value, obsStatus, confStatus, noisy}]}]}</c>.
/// Every field is always present; <c>policy</c> is null and <c>cells</c> empty when a country gave no answer, and a
/// withheld or missing cell's <c>value</c> is null.
/// </summary>
public static class QueryJsonRenderer
{
    /// <summary>How the statistics verbs write JSON: indented, non-ASCII letters as they are.</summary>
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text.</summary>
    public static string Render(QueryOutcome outcome) => Document(outcome).ToJsonString(Options) + "\n";

    /// <summary>The JSON document.</summary>
    public static JsonObject Document(QueryOutcome outcome)
    {
        var query = outcome.Query;
        var filters = new JsonObject();
        foreach (var filter in query.Filters)
        {
            filters[filter.Dimension] = Strings(filter.Codes);
        }

        return new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["indicator"] = query.Indicator,
                ["breakdown"] = Strings(query.Breakdown),
                ["startYear"] = query.StartYear,
                ["endYear"] = query.EndYear,
                ["filters"] = filters,
                ["countries"] = Strings(query.Countries),
            },
            ["synthetic"] = outcome.Synthetic,
            ["prepared"] = outcome.Prepared.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["node"] = outcome.Node,
            ["countries"] = new JsonArray([.. outcome.Results.Select(r => (JsonNode)Country(r, query))]),
        };
    }

    private static JsonObject Country(FederatedQueryResponse result, QuerySpec query)
    {
        var answer = result.Answer;
        var policy = answer?.Policy is { } p
            ? new JsonObject
            {
                ["protection"] = StatisticsText.ProtectionId(p.Protection),
                ["threshold"] = p.Threshold,
                ["primaryWithheld"] = p.PrimaryWithheld,
                ["secondaryWithheld"] = p.SecondaryWithheld,
                ["perturbationBound"] = p.PerturbationBound,
                ["epsilon"] = p.Epsilon,
                ["budgetRemaining"] = p.BudgetRemaining,
                ["budgetTotal"] = p.BudgetTotal,
                ["description"] = p.Description,
            }
            : null;
        IReadOnlyList<string> dimensions = [StatisticsCatalogue.TimePeriod, .. query.Breakdown];
        var cells = answer is null
            ? []
            : QueryCsvRenderer.Ordered(answer.Cells, dimensions).Select(c =>
            {
                var key = new JsonObject();
                foreach (var entry in c.Key.OrderBy(k => dimensions.IndexOf(k.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(k => k.Key, StringComparer.Ordinal))
                {
                    key[entry.Key] = entry.Value;
                }

                return (JsonNode)new JsonObject
                {
                    ["key"] = key,
                    ["value"] = c.HasValue ? c.Value : null,
                    ["obsStatus"] = StatisticsText.ObsStatus(c.ObservationStatus),
                    ["confStatus"] = StatisticsText.ConfStatus(c.ConfidentialityStatus),
                    ["noisy"] = c.Noisy,
                };
            }).ToArray();
        return new JsonObject
        {
            ["country"] = result.Country,
            ["status"] = StatisticsText.StatusId(result.Status),
            ["reason"] = result.Reason,
            ["fromCache"] = result.FromCache,
            ["cacheAgeSeconds"] = StatisticsText.Span(result.CacheAge).TotalSeconds,
            ["elapsedSeconds"] = StatisticsText.Span(result.Elapsed).TotalSeconds,
            ["attempts"] = result.Attempts,
            ["mechanismName"] = result.MechanismName,
            ["policy"] = policy,
            ["synthetic"] = answer?.Synthetic ?? false,
            ["dataVersion"] = answer?.DataVersion,
            ["dataUpdatedAt"] = answer?.DataUpdatedAt?.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = answer is null ? null : StatisticsText.SourceId(answer.Source),
            ["yearsAvailable"] = new JsonArray([.. (answer?.YearsAvailable ?? []).Order().Select(y => (JsonNode)y)]),
            ["cells"] = new JsonArray(cells),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
