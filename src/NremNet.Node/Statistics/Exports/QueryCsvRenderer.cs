using System.Globalization;
using System.Text;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// The query's results as SDMX-style long CSV: <c>REF_AREA,INDICATOR,TIME_PERIOD,&lt;dimensions&gt;,OBS_VALUE,OBS_STATUS,CONF_STATUS</c>,
/// one line per cell of every country that gave figures, after a <c># synthetic</c> comment when any figures are synthetic.
/// Withheld and missing cells have an empty OBS_VALUE; the statuses say why.
/// </summary>
public static class QueryCsvRenderer
{
    /// <summary>The comment line that opens the file when any figures are synthetic.</summary>
    public const string SyntheticComment = "# synthetic";

    /// <summary>The CSV text, LF line ends.</summary>
    public static string Render(QueryOutcome outcome)
    {
        var dimensions = outcome.Query.Breakdown;
        var text = new StringBuilder();
        if (outcome.Synthetic)
        {
            text.Append(SyntheticComment).Append(" data: the figures of ").AppendJoin(' ', outcome.SyntheticCountries).Append(" are invented, not real cases\n");
        }

        text.AppendJoin(',', ["REF_AREA", "INDICATOR", StatisticsCatalogue.TimePeriod, .. dimensions, "OBS_VALUE", "OBS_STATUS", "CONF_STATUS"]).Append('\n');
        foreach (var result in outcome.Results.Where(StatisticsText.Answered))
        {
            foreach (var cell in Ordered(result.Answer.Cells, [StatisticsCatalogue.TimePeriod, .. dimensions]))
            {
                text.Append(Field(result.Country)).Append(',').Append(Field(outcome.Query.Indicator));
                foreach (var dimension in (IEnumerable<string>)[StatisticsCatalogue.TimePeriod, .. dimensions])
                {
                    text.Append(',').Append(Field(cell.Key.TryGetValue(dimension, out var code) ? code : StatisticsCatalogue.Total));
                }

                text.Append(',').Append(cell.HasValue ? cell.Value.ToString(CultureInfo.InvariantCulture) : string.Empty)
                    .Append(',').Append(StatisticsText.ObsStatus(cell.ObservationStatus))
                    .Append(',').Append(StatisticsText.ConfStatus(cell.ConfidentialityStatus))
                    .Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Cells ordered dimension by dimension, as the catalogue orders codes.</summary>
    public static IEnumerable<Cell> Ordered(IEnumerable<Cell> cells, IReadOnlyList<string> dimensions)
    {
        IOrderedEnumerable<Cell>? ordered = null;
        foreach (var dimension in dimensions)
        {
            string CodeOf(Cell cell) => cell.Key.TryGetValue(dimension, out var code) ? code : StatisticsCatalogue.Total;
            var comparer = StatisticsText.CodeOrder(dimension);
            ordered = ordered is null ? cells.OrderBy(CodeOf, comparer) : ordered.ThenBy(CodeOf, comparer);
        }

        return ordered ?? cells;
    }

    /// <summary>A field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
