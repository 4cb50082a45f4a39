using System.Globalization;
using System.Text;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// The query's results as SDMX-CSV 2.0: the columns <c>STRUCTURE</c> (<c>dataflow</c>), <c>STRUCTURE_ID</c>
/// (<see cref="Dataflow"/>), <c>ACTION</c> (<c>I</c>, information), the dimensions REF_AREA, INDICATOR, TIME_PERIOD and
/// the breakdown dimensions, the measure OBS_VALUE and the observation attributes OBS_STATUS, CONF_STATUS, NOISY
/// (<c>true</c> when the value carries deliberate noise) and SYNTHETIC (<c>true</c> when the country's figures are
/// invented). One line per cell of every country that gave figures, in the order of the plain CSV; a withheld or
/// missing value is empty, its statuses say why. SDMX-CSV has no comment lines, so synthetic figures are marked in
/// their SYNTHETIC column rather than above the header.
/// </summary>
public static class SdmxCsvRenderer
{
    /// <summary>The dataflow every line belongs to: agency, id and catalogue version.</summary>
    public static string Dataflow => $"NREMNET:THB_STATISTICS({StatisticsCatalogue.Version})";

    /// <summary>The attribute columns after OBS_VALUE, in order.</summary>
    public static readonly IReadOnlyList<string> AttributeColumns = ["OBS_STATUS", "CONF_STATUS", "NOISY", "SYNTHETIC"];

    /// <summary>The CSV text, LF line ends.</summary>
    public static string Render(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var dimensions = outcome.Query.Breakdown;
        var text = new StringBuilder();
        text.AppendJoin(',', ["STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR", StatisticsCatalogue.TimePeriod, .. dimensions, "OBS_VALUE", .. AttributeColumns]).Append('\n');
        foreach (var result in outcome.Results.Where(StatisticsText.Answered))
        {
            var synthetic = result.Answer.Synthetic ? "true" : "false";
            foreach (var cell in QueryCsvRenderer.Ordered(result.Answer.Cells, [StatisticsCatalogue.TimePeriod, .. dimensions]))
            {
                text.Append("dataflow,").Append(QueryCsvRenderer.Field(Dataflow)).Append(",I,")
                    .Append(QueryCsvRenderer.Field(result.Country)).Append(',').Append(QueryCsvRenderer.Field(outcome.Query.Indicator));
                foreach (var dimension in (IEnumerable<string>)[StatisticsCatalogue.TimePeriod, .. dimensions])
                {
                    text.Append(',').Append(QueryCsvRenderer.Field(cell.Key.TryGetValue(dimension, out var code) ? code : StatisticsCatalogue.Total));
                }

                text.Append(',').Append(cell.HasValue ? cell.Value.ToString(CultureInfo.InvariantCulture) : string.Empty)
                    .Append(',').Append(StatisticsText.ObsStatus(cell.ObservationStatus))
                    .Append(',').Append(StatisticsText.ConfStatus(cell.ConfidentialityStatus))
                    .Append(',').Append(cell.Noisy ? "true" : "false")
                    .Append(',').Append(synthetic)
                    .Append('\n');
            }
        }

        return text.ToString();
    }
}
