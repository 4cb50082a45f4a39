using System.Globalization;
using System.Text.Json.Nodes;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// The query's results as an SDMX-JSON 1.0 data message, flat (dimension at observation: all dimensions):
/// <c>meta</c> (id, prepared, sender: the node that ran the query), <c>data.structure</c> with the dimensions REF_AREA,
/// INDICATOR, TIME_PERIOD and the breakdown dimensions at observation level (each with the values used, as
/// <c>{id, name}</c>) and the attributes OBS_STATUS and CONF_STATUS at observation level, and
/// <c>data.dataSets[0].observations</c> keyed by the dimension value indexes (<c>"i:j:k…"</c>) with
/// <c>[value, OBS_STATUS index, CONF_STATUS index]</c> — a withheld or missing value is null — followed by the index of
/// the NOISY annotation when the value carries deliberate noise. Synthetic figures mark the message as a test message
/// and the data set with the SYNTHETIC annotation; countries without figures are named in annotations.
/// </summary>
public static class SdmxJsonRenderer
{
    /// <summary>The JSON schema of SDMX-JSON 1.0 data messages.</summary>
    public const string Schema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/1.0/sdmx-json-data-schema.json";

    /// <summary>The observation attributes and their code lists, in the order of the observation arrays.</summary>
    public static readonly IReadOnlyList<(string Id, string Name, IReadOnlyList<(string Id, string Name)> Values)> Attributes =
    [
        ("OBS_STATUS", "Observation status", [("A", "Normal value"), ("O", "Missing value"), ("Q", "Missing value; suppressed"), ("E", "Estimated value"), ("P", "Provisional value")]),
        ("CONF_STATUS", "Confidentiality status", [("F", "Free"), ("C", "Confidential statistical information (primary)"), ("D", "Secondary confidentiality set by the sender, not for publication")]),
    ];

    /// <summary>The JSON text.</summary>
    public static string Render(QueryOutcome outcome) => Document(outcome).ToJsonString(QueryJsonRenderer.Options) + "\n";

    /// <summary>The data message.</summary>
    public static JsonObject Document(QueryOutcome outcome)
    {
        var query = outcome.Query;
        var answered = outcome.Results.Where(StatisticsText.Answered).ToList();
        IReadOnlyList<string> dimensions = ["REF_AREA", "INDICATOR", StatisticsCatalogue.TimePeriod, .. query.Breakdown];

        // The values of each dimension that the observations use, in catalogue order.
        var values = dimensions.Select(d => d switch
        {
            "REF_AREA" => answered.Select(r => r.Country).ToList(),
            "INDICATOR" => answered.Count == 0 ? [] : [query.Indicator],
            _ => answered.SelectMany(r => r.Answer.Cells).Select(c => CodeOf(c, d)).Distinct(StringComparer.Ordinal).Order(StatisticsText.CodeOrder(d)).ToList(),
        }).ToList();

        var annotations = new JsonArray();
        int Annotate(string id, string title, string text)
        {
            annotations.Add(new JsonObject { ["id"] = id, ["title"] = title, ["type"] = "NREMNET", ["text"] = text });
            return annotations.Count - 1;
        }

        var noisy = Annotate("NOISY", "Value carries deliberate noise", "The value was perturbed on purpose (cell-key perturbation or differential privacy) to protect small counts.");
        int? synthetic = outcome.Synthetic
            ? Annotate("SYNTHETIC", "Synthetic data", $"The figures of {string.Join(", ", outcome.SyntheticCountries)} are invented (demonstration or test data), not real cases.")
            : null;
        var notes = new List<int>(synthetic is { } s ? [s] : []);
        foreach (var result in outcome.Results)
        {
            var policy = result.Answer?.Policy is { } p ? " " + StatisticsText.Policy(p) + "." : string.Empty;
            notes.Add(Annotate(
                "COUNTRY_" + result.Country,
                $"{result.Country}: {StatisticsText.Status(result.Status)}",
                (result.Reason.Length > 0 ? result.Reason + "." : StatisticsText.Status(result.Status) + ".") + policy));
        }

        var observations = new JsonObject();
        foreach (var result in answered)
        {
            foreach (var cell in QueryCsvRenderer.Ordered(result.Answer.Cells, [StatisticsCatalogue.TimePeriod, .. query.Breakdown]))
            {
                var key = string.Join(':', dimensions.Select((d, i) => values[i].IndexOf(d switch
                {
                    "REF_AREA" => result.Country,
                    "INDICATOR" => query.Indicator,
                    _ => CodeOf(cell, d),
                }).ToString(CultureInfo.InvariantCulture)));
                var observation = new JsonArray(
                    cell.HasValue ? cell.Value : null,
                    Index(0, StatisticsText.ObsStatus(cell.ObservationStatus)),
                    Index(1, StatisticsText.ConfStatus(cell.ConfidentialityStatus)));
                if (cell.Noisy)
                {
                    observation.Add(noisy);
                }

                observations[key] = observation;
            }
        }

        var title = $"{query.Indicator} {query.IndicatorLabel}, {query.Years}" + (query.Breakdown.Count > 0 ? ", by " + string.Join(", ", query.Breakdown) : string.Empty);
        return new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["schema"] = Schema,
                ["id"] = MessageId(outcome),
                ["test"] = outcome.Synthetic,
                ["prepared"] = outcome.Prepared.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["contentLanguages"] = new JsonArray("en"),
                ["sender"] = new JsonObject { ["id"] = "NREMNET-" + outcome.Node, ["name"] = $"NremNet node {outcome.Node}" },
            },
            ["data"] = new JsonObject
            {
                ["structure"] = new JsonObject
                {
                    ["name"] = title,
                    ["description"] = StatisticsCatalogue.FindIndicator(query.Indicator)?.Definition ?? query.Indicator,
                    ["dimensions"] = new JsonObject
                    {
                        ["dataSet"] = new JsonArray(),
                        ["series"] = new JsonArray(),
                        ["observation"] = new JsonArray([.. dimensions.Select((d, i) => (JsonNode)Dimension(d, i, values[i], query))]),
                    },
                    ["attributes"] = new JsonObject
                    {
                        ["dataSet"] = new JsonArray(),
                        ["series"] = new JsonArray(),
                        ["observation"] = new JsonArray([.. Attributes.Select(a => (JsonNode)new JsonObject
                        {
                            ["id"] = a.Id,
                            ["name"] = a.Name,
                            ["roles"] = new JsonArray(a.Id),
                            ["relationship"] = new JsonObject { ["primaryMeasure"] = "OBS_VALUE" },
                            ["values"] = new JsonArray([.. a.Values.Select(v => (JsonNode)new JsonObject { ["id"] = v.Id, ["name"] = v.Name })]),
                        })]),
                    },
                    ["annotations"] = annotations,
                },
                ["dataSets"] = new JsonArray(new JsonObject
                {
                    ["action"] = "Information",
                    ["annotations"] = new JsonArray([.. notes.Select(n => (JsonNode)n)]),
                    ["observations"] = observations,
                }),
            },
        };
    }

    private static JsonObject Dimension(string id, int position, IReadOnlyList<string> values, QuerySpec query)
    {
        var dimension = new JsonObject { ["id"] = id, ["name"] = StatisticsText.DimensionLabel(id), ["keyPosition"] = position };
        if (id is "REF_AREA" or StatisticsCatalogue.TimePeriod)
        {
            dimension["roles"] = new JsonArray(id);
        }

        dimension["values"] = new JsonArray([.. values.Select(v => (JsonNode)Value(id, v, query))]);
        return dimension;
    }

    private static JsonObject Value(string dimension, string id, QuerySpec query)
    {
        var value = new JsonObject { ["id"] = id };
        switch (dimension)
        {
            case "REF_AREA":
                value["name"] = Domain.Countries.Country.Find(id)?.Name ?? id;
                break;
            case "INDICATOR":
                value["name"] = query.IndicatorLabel;
                break;
            case StatisticsCatalogue.TimePeriod:
                value["name"] = id;
                value["start"] = id + "-01-01T00:00:00Z";
                value["end"] = id + "-12-31T23:59:59Z";
                break;
            default:
                value["name"] = StatisticsText.CodeLabel(dimension, id);
                break;
        }

        return value;
    }

    private static int? Index(int attribute, string code)
    {
        for (var i = 0; i < Attributes[attribute].Values.Count; i++)
        {
            if (Attributes[attribute].Values[i].Id == code)
            {
                return i;
            }
        }

        return null;
    }

    private static string CodeOf(Cell cell, string dimension) => cell.Key.TryGetValue(dimension, out var code) ? code : StatisticsCatalogue.Total;

    // Stable for the same query, node and moment, so a message can be referred to.
    private static string MessageId(QueryOutcome outcome) =>
        FormattableString.Invariant($"NREMNET-{outcome.Node}-{outcome.Query.Indicator}-{outcome.Prepared.UtcDateTime:yyyyMMddHHmmss}");
}
