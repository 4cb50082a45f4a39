using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>One row of a comparison: the codes of the row dimensions, and each country's cell (null: no cell).</summary>
/// <param name="Codes">The codes, one per <see cref="ComparisonTable.Dimensions"/> entry (a year for TIME_PERIOD).</param>
/// <param name="Cells">Each country's cell, in <see cref="ComparisonTable.Countries"/> order; null when the country gave none.</param>
public sealed record ComparisonRow(IReadOnlyList<string> Codes, IReadOnlyList<Cell?> Cells);

/// <summary>
/// The countries of a federated query side by side: one row per year and breakdown code that any country answered for,
/// nested in the query's row order and ordered as the catalogue orders codes, one column per country asked (in the
/// order asked). A country that gave no figures has no cell in any row. The command line's table, the console's
/// comparison and the XLSX export are all drawn from it.
/// </summary>
public sealed class ComparisonTable
{
    private ComparisonTable(IReadOnlyList<string> dimensions, IReadOnlyList<FederatedQueryResponse> countries, IReadOnlyList<ComparisonRow> rows)
    {
        Dimensions = dimensions;
        Countries = countries;
        Rows = rows;
    }

    /// <summary>The row dimensions, TIME_PERIOD included, in the order rows nest.</summary>
    public IReadOnlyList<string> Dimensions { get; }

    /// <summary>Every country's result, in the order asked.</summary>
    public IReadOnlyList<FederatedQueryResponse> Countries { get; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>The threshold k of a country's answer (0 when it gave none), for showing small withheld cells as <c>‹k</c>.</summary>
    public int Threshold(int country) => Countries[country].Answer?.Policy?.Threshold ?? 0;

    /// <summary>The comparison of a query's results.</summary>
    public static ComparisonTable Of(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var dimensions = outcome.Query.RowOrder;
        var lookups = outcome.Results.Select(r => StatisticsText.Answered(r)
                ? r.Answer.Cells.GroupBy(c => Key(dimensions, c.Key)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
                : new Dictionary<string, Cell>(StringComparer.Ordinal))
            .ToList();

        // Every combination any country answered for, ordered dimension by dimension.
        var combinations = outcome.Results.Where(StatisticsText.Answered).SelectMany(r => r.Answer.Cells)
            .Select(c => dimensions.Select(d => c.Key.TryGetValue(d, out var code) ? code : StatisticsCatalogue.Total).ToArray())
            .DistinctBy(codes => string.Join('\u001f', codes))
            .ToList();
        combinations.Sort((a, b) =>
        {
            for (var i = 0; i < dimensions.Count; i++)
            {
                var order = StatisticsText.CodeOrder(dimensions[i]).Compare(a[i], b[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        });

        var rows = combinations.Select(codes =>
        {
            var key = string.Join('\u001f', codes);
            return new ComparisonRow(codes, [.. lookups.Select(l => l.GetValueOrDefault(key))]);
        }).ToList();
        return new ComparisonTable(dimensions, outcome.Results, rows);
    }

    /// <summary>The key of a cell in a fixed dimension order, for lookups; a dimension missing from the key is its total.</summary>
    public static string Key(IReadOnlyList<string> dimensions, IDictionary<string, string> key)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(key);
        return string.Join('\u001f', dimensions.Select(d => key.TryGetValue(d, out var code) ? code : StatisticsCatalogue.Total));
    }
}
