using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Console.Charts;

/// <summary>One value of a chart: a number where one was released, and its markings.</summary>
/// <param name="Value">The value; null when withheld, missing or not available.</param>
/// <param name="Mark">How it is marked (withheld small or shielding, missing, noisy, estimated, provisional, synthetic).</param>
public sealed record ChartValue(double? Value, CellMark Mark)
{
    /// <summary>A value with no mark.</summary>
    public static ChartValue Of(double value) => new(value, CellMark.None);

    /// <summary>A missing value.</summary>
    public static ChartValue Missing { get; } = new(null, CellMark.Missing);

    /// <summary>Whether a number is drawn: there is a value and it is neither withheld nor missing.</summary>
    public bool Drawn => Value is not null && (Mark & (CellMark.Withheld | CellMark.Missing)) == 0;

    /// <summary>Whether the value is withheld.</summary>
    public bool Withheld => (Mark & CellMark.Withheld) != 0;
}

/// <summary>A category of a chart: a point of the category axis (a code, a year).</summary>
/// <param name="Id">Its code, e.g. <c>SEX</c> or <c>2023</c>.</param>
/// <param name="Label">Its label for people (untrusted text: escaped when drawn).</param>
public sealed record ChartCategory(string Id, string Label);

/// <summary>A series of a chart: one country, say, with a value per category.</summary>
/// <param name="Id">Its id, e.g. the country code.</param>
/// <param name="Label">Its label for people (untrusted text: escaped when drawn).</param>
/// <param name="Values">One value per category, in category order.</param>
public sealed record ChartSeries(string Id, string Label, IReadOnlyList<ChartValue> Values)
{
    /// <summary>Whether its figures are synthetic.</summary>
    public bool Synthetic { get; init; }

    /// <summary>The threshold k its small withheld values are shown with (<c>‹k</c>); 0 when not stated.</summary>
    public int Threshold { get; init; }
}

/// <summary>
/// What a chart shows, independent of how: a title, a description, the two axis labels, the categories along the
/// category axis and the series drawn over them, each value with its markings. The SVG charts
/// (<see cref="SvgCharts"/>) and the data table beside them (<see cref="ChartTable"/>) are both drawn from it, so they
/// cannot disagree. Every text in it is treated as untrusted and escaped where it is written.
/// </summary>
public sealed record ChartModel
{
    /// <summary>The chart's title.</summary>
    public required string Title { get; init; }

    /// <summary>What the chart shows, in a sentence or two: its text alternative along with the table.</summary>
    public required string Description { get; init; }

    /// <summary>The label of the category axis, e.g. "Form of exploitation" or "Year".</summary>
    public required string CategoryAxisLabel { get; init; }

    /// <summary>The label of the value axis, e.g. "Persons" or "Per 100,000 population".</summary>
    public required string ValueAxisLabel { get; init; }

    /// <summary>The categories, in axis order (left to right, or right to left when mirrored).</summary>
    public required IReadOnlyList<ChartCategory> Categories { get; init; }

    /// <summary>The series.</summary>
    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Decimals shown for values: 0 for counts, 1 for rates.</summary>
    public int Decimals { get; init; }

    /// <summary>Further notes shown under the chart and the table (untrusted text).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Whether any series is synthetic.</summary>
    public bool Synthetic => Series.Any(s => s.Synthetic);

    /// <summary>Whether any value is withheld, so that parts shown do not add up to their totals.</summary>
    public bool AnyWithheld => Series.Any(s => s.Values.Any(v => v.Withheld));

    /// <summary>The largest value drawn, or 0.</summary>
    public double Max => Series.SelectMany(s => s.Values).Where(v => v.Drawn).Select(v => v.Value!.Value).DefaultIfEmpty(0).Max();

    /// <summary>Checks that every series has one value per category.</summary>
    /// <exception cref="ArgumentException">A series has a different number of values.</exception>
    public void Check()
    {
        foreach (var series in Series)
        {
            if (series.Values.Count != Categories.Count)
            {
                throw new ArgumentException($"Series '{series.Id}' has {series.Values.Count} values for {Categories.Count} categories.");
            }
        }
    }
}
