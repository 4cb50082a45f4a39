namespace NremNet.Domain.Statistics.Queries;

/// <summary>
/// Rule 5: a query whose population — the units its filters select — or whose complement is non-zero and below the
/// threshold is refused outright. The population is read from the true one-dimensional cells of each year; for a
/// multi-valued dimension, where the units selected can only be bounded, the bounds are taken on the unsafe side.
/// </summary>
public static class PopulationRule
{
    /// <summary>Why the query must be refused, or null when it may be answered.</summary>
    /// <param name="query">The query.</param>
    /// <param name="trueValue">The true value of a cell of the indicator (codes, year); null when not known.</param>
    /// <param name="threshold">The threshold k.</param>
    /// <param name="years">The years the node holds in the query's range.</param>
    public static string? Refusal(StatisticsQuery query, Func<CellCodes, int, long?> trueValue, int threshold, IEnumerable<int> years)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(trueValue);
        ArgumentNullException.ThrowIfNull(years);
        foreach (var year in years)
        {
            if (trueValue(CellCodes.Total, year) is not { } total)
            {
                continue;
            }

            foreach (var (dimensionId, codes) in query.Filters)
            {
                if (codes.Contains(StatisticsCatalogue.Total))
                {
                    continue;
                }

                var dimension = StatisticsCatalogue.Dimension(dimensionId);
                var values = codes.Select(c => trueValue(CellCodes.Of((dimensionId, c)), year)).ToList();
                if (values.Any(v => v is null))
                {
                    continue;
                }

                var known = values.Select(v => v!.Value).ToList();
                long lowest;
                long highest;
                if (dimension.MultiValued)
                {
                    lowest = known.Max();
                    highest = Math.Min(total, known.Sum());
                }
                else
                {
                    lowest = highest = known.Sum();
                }

                if (Small(lowest, threshold) || Small(highest, threshold))
                {
                    return FormattableString.Invariant($"the units this query selects in {year} ({dimensionId} in {string.Join(",", codes.Order(StringComparer.Ordinal))}) are fewer than {threshold}");
                }

                if (Small(total - highest, threshold) || Small(total - lowest, threshold))
                {
                    return FormattableString.Invariant($"the units this query leaves out in {year} ({dimensionId} not in {string.Join(",", codes.Order(StringComparer.Ordinal))}) are fewer than {threshold}, so its figures would give them away by difference");
                }
            }
        }

        return null;
    }

    private static bool Small(long value, int threshold) => value > 0 && value < threshold;
}
