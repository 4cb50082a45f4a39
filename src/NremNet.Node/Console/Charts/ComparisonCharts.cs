using System.Globalization;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Rates;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Console.Charts;

/// <summary>The texts of a chart, in the page's language.</summary>
/// <param name="Title">The title.</param>
/// <param name="Description">What the chart shows, in a sentence or two.</param>
/// <param name="CategoryAxisLabel">The label of the category axis.</param>
/// <param name="ValueAxisLabel">The label of the value axis.</param>
public sealed record ChartTitles(string Title, string Description, string CategoryAxisLabel, string ValueAxisLabel);

/// <summary>
/// Chart models of a federated query's results, the countries as series in the order asked: counts as released, or
/// rates per 100,000 population. The categories are the codes of one row dimension (a breakdown dimension, or
/// TIME_PERIOD for years); every other row dimension is held at one code — by default its total, and the query's last
/// year for TIME_PERIOD. A country that gave no figures is a series of missing values.
/// </summary>
public static class ComparisonCharts
{
    /// <summary>The counts as the countries released them, marked as the command line marks them.</summary>
    /// <param name="outcome">The query's results.</param>
    /// <param name="categoryDimension">The row dimension along the category axis (TIME_PERIOD for a line over years).</param>
    /// <param name="titles">The texts.</param>
    /// <param name="fixedCodes">The code each other row dimension is held at; those not named at their default.</param>
    /// <param name="label">The label of a code of a dimension (REF_AREA: a country); the catalogue's English labels when null.</param>
    /// <exception cref="ArgumentException">The category dimension is not a row dimension of the query.</exception>
    public static ChartModel Counts(QueryOutcome outcome, string categoryDimension, ChartTitles titles, IReadOnlyDictionary<string, string>? fixedCodes = null, Func<string, string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(titles);
        var comparison = ComparisonTable.Of(outcome);
        var (categories, rows) = Select(outcome, comparison, categoryDimension, fixedCodes, label);
        var series = comparison.Countries.Select((country, i) => new ChartSeries(
            country.Country,
            (label ?? DefaultLabel)("REF_AREA", country.Country),
            [.. rows.Select(row => row is null ? ChartValue.Missing : Value(row.Cells[i]))])
        {
            Synthetic = country.Answer?.Synthetic == true,
            Threshold = comparison.Threshold(i),
        }).ToList();
        return Model(titles, categories, series, decimals: 0);
    }

    /// <summary>
    /// Rates per 100,000 population of the counts, from <see cref="PopulationRates.Compute"/> over
    /// <see cref="QueryFigures.Of"/> of the same results: a withheld count gives a withheld rate (marked small or
    /// shielding as the count), a missing count or a count without population a missing one, a noisy count a noisy rate.
    /// </summary>
    /// <param name="outcome">The query's results (the counts).</param>
    /// <param name="rates">The rates of its figures.</param>
    /// <param name="categoryDimension">The row dimension along the category axis.</param>
    /// <param name="titles">The texts.</param>
    /// <param name="fixedCodes">The code each other row dimension is held at.</param>
    /// <param name="label">The label of a code of a dimension.</param>
    public static ChartModel Rates(QueryOutcome outcome, IReadOnlyList<Rate> rates, string categoryDimension, ChartTitles titles, IReadOnlyDictionary<string, string>? fixedCodes = null, Func<string, string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(titles);
        var comparison = ComparisonTable.Of(outcome);
        var (categories, rows) = Select(outcome, comparison, categoryDimension, fixedCodes, label);
        var byCell = new Dictionary<(string Country, int Year, string Cell), Rate>();
        foreach (var rate in rates)
        {
            byCell[(rate.Count.Country, rate.Count.Year, rate.Count.Cell.Key)] = rate;
        }

        var dimensions = comparison.Dimensions;
        var series = comparison.Countries.Select((country, i) => new ChartSeries(
            country.Country,
            (label ?? DefaultLabel)("REF_AREA", country.Country),
            [.. rows.Select(row => row is null ? ChartValue.Missing : Value(byCell, country.Country, dimensions, row.Codes))])
        {
            Synthetic = country.Answer?.Synthetic == true,
            Threshold = comparison.Threshold(i),
        }).ToList();
        var max = series.SelectMany(s => s.Values).Where(v => v.Drawn).Select(v => v.Value!.Value).DefaultIfEmpty(0).Max();
        return Model(titles, categories, series, decimals: max < 10 ? 2 : 1);
    }

    private static ChartModel Model(ChartTitles titles, IReadOnlyList<ChartCategory> categories, IReadOnlyList<ChartSeries> series, int decimals) => new()
    {
        Title = titles.Title,
        Description = titles.Description,
        CategoryAxisLabel = titles.CategoryAxisLabel,
        ValueAxisLabel = titles.ValueAxisLabel,
        Categories = categories,
        Series = series,
        Decimals = decimals,
    };

    private static ChartValue Value(Contracts.Aggregates.V1.Cell? cell) =>
        new(cell is not null && cell.HasValue ? cell.Value : null, CellMarks.Of(cell));

    private static ChartValue Value(Dictionary<(string Country, int Year, string Cell), Rate> rates, string country, IReadOnlyList<string> dimensions, IReadOnlyList<string> codes)
    {
        var year = int.Parse(codes[dimensions.IndexOf(StatisticsCatalogue.TimePeriod)], NumberStyles.None, CultureInfo.InvariantCulture);
        var cell = CellCodes.Of(dimensions.Select((d, i) => new KeyValuePair<string, string>(d, codes[i])).Where(c => c.Key != StatisticsCatalogue.TimePeriod));
        if (!rates.TryGetValue((country, year, cell.Key), out var rate))
        {
            return ChartValue.Missing;
        }

        var mark = rate.Noisy ? CellMark.Noisy : CellMark.None;
        mark |= rate.Status switch
        {
            ObservationStatus.Estimated => CellMark.Estimated,
            ObservationStatus.Provisional => CellMark.Provisional,
            _ => CellMark.None,
        };
        return rate.Outcome switch
        {
            RateOutcome.Rate => new ChartValue(rate.Value, mark),
            RateOutcome.Withheld => new ChartValue(null, rate.Count.Confidentiality == ConfidentialityStatus.Primary ? CellMark.WithheldSmall : CellMark.WithheldShielding),
            _ => ChartValue.Missing,
        };
    }

    /// <summary>The categories, and for each the comparison row it shows (null: no country has that row).</summary>
    private static (IReadOnlyList<ChartCategory> Categories, IReadOnlyList<ComparisonRow?> Rows) Select(
        QueryOutcome outcome, ComparisonTable comparison, string categoryDimension, IReadOnlyDictionary<string, string>? fixedCodes, Func<string, string, string>? label)
    {
        var dimensions = comparison.Dimensions;
        var at = dimensions.IndexOf(categoryDimension);
        if (at < 0)
        {
            throw new ArgumentException($"{categoryDimension} is not a row dimension of the query ({string.Join(", ", dimensions)}).", nameof(categoryDimension));
        }

        var held = dimensions.Select(d => fixedCodes is not null && fixedCodes.TryGetValue(d, out var code) ? code
            : d == StatisticsCatalogue.TimePeriod ? outcome.Query.EndYear.ToString(CultureInfo.InvariantCulture)
            : StatisticsCatalogue.Total).ToArray();
        bool Matches(ComparisonRow row) => Enumerable.Range(0, dimensions.Count).All(i => i == at || row.Codes[i] == held[i]);

        var codes = comparison.Rows.Select(r => r.Codes[at]).Distinct(StringComparer.Ordinal).Order(StatisticsText.CodeOrder(categoryDimension)).ToList();
        var rows = codes.Select(code => comparison.Rows.FirstOrDefault(r => r.Codes[at] == code && Matches(r))).ToList();
        var categories = codes.Select(code => new ChartCategory(code, (label ?? DefaultLabel)(categoryDimension, code))).ToList();
        return (categories, rows);
    }

    private static string DefaultLabel(string dimension, string code) =>
        dimension == "REF_AREA" ? code : StatisticsText.CodeLabel(dimension, code);
}
