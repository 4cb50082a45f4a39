using System.Globalization;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Rates;
using ProtoConfidentiality = NremNet.Contracts.Aggregates.V1.ConfidentialityStatus;
using ProtoObservation = NremNet.Contracts.Aggregates.V1.ObservationStatus;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// A federated query's released cells as domain figures (<see cref="Figure"/>), for rates per 100,000 population
/// (<see cref="PopulationRates"/>): one per cell of every country that gave figures, with its markings.
/// </summary>
public static class QueryFigures
{
    /// <summary>The figures of every country that gave figures; a cell whose codes the catalogue does not know is left out.</summary>
    public static IReadOnlyList<Figure> Of(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var figures = new List<Figure>();
        foreach (var result in outcome.Results.Where(StatisticsText.Answered))
        {
            foreach (var cell in result.Answer.Cells)
            {
                if (!cell.Key.TryGetValue(StatisticsCatalogue.TimePeriod, out var yearText)
                    || !int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                    || Codes(cell.Key) is not { } codes)
                {
                    continue;
                }

                figures.Add(new Figure(
                    result.Country,
                    year,
                    codes,
                    cell.HasValue ? cell.Value : null,
                    Observation(cell.ObservationStatus),
                    Confidentiality(cell.ConfidentialityStatus),
                    cell.Noisy,
                    result.Answer.Synthetic));
            }
        }

        return figures;
    }

    private static CellCodes? Codes(IDictionary<string, string> key)
    {
        try
        {
            return CellCodes.Of(key.Where(k => k.Key != StatisticsCatalogue.TimePeriod));
        }
        catch (ArgumentException)
        {
            // A peer of a later catalogue may know codes this node does not: such a cell cannot be matched.
            return null;
        }
    }

    private static ObservationStatus Observation(ProtoObservation status) => status switch
    {
        ProtoObservation.Missing => ObservationStatus.Missing,
        ProtoObservation.Withheld => ObservationStatus.Withheld,
        ProtoObservation.Estimated => ObservationStatus.Estimated,
        ProtoObservation.Provisional => ObservationStatus.Provisional,
        _ => ObservationStatus.Normal,
    };

    private static ConfidentialityStatus Confidentiality(ProtoConfidentiality status) => status switch
    {
        ProtoConfidentiality.Primary => ConfidentialityStatus.Primary,
        ProtoConfidentiality.Secondary => ConfidentialityStatus.Secondary,
        _ => ConfidentialityStatus.Free,
    };
}
