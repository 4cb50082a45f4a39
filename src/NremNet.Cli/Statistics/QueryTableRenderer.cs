using System.Text;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary>
/// The query's results as a text table for people: one row per year and breakdown code (nested in the order of
/// <c>--by</c>), the countries side by side, then a legend and a footer per country saying how it answered and how
/// its figures were protected. Withheld cells show <c>‹k</c> (small: primary, C) or <c>x</c> (shielding: secondary, D),
/// missing ones <c>..</c>, noisy values a leading <c>~</c>.
/// </summary>
internal static class QueryTableRenderer
{
    /// <summary>What a missing value shows.</summary>
    public const string Missing = CellMarks.Missing;

    /// <summary>What a cell withheld to shield a small one (secondary, D) shows.</summary>
    public const string Shielding = CellMarks.Shielding;

    /// <summary>What marks a value that carries deliberate noise.</summary>
    public const string Noisy = CellMarks.Noisy;

    /// <summary>The widest line of the legend and footers.</summary>
    public const int MaxWidth = 120;

    private const int MaxLabelWidth = 30;
    private const int MinValueWidth = 5;
    private const string Gap = "  ";

    /// <summary>The whole text: title, synthetic banner, table, legend, footers.</summary>
    public static string Render(QueryOutcome outcome)
    {
        var query = outcome.Query;
        var text = new StringBuilder();
        text.Append(query.Indicator).Append(" · ").Append(query.IndicatorLabel)
            .Append(StatisticsCatalogue.FindIndicator(query.Indicator) is { } indicator ? $" ({indicator.Unit})" : string.Empty)
            .Append(" · ").Append(query.Years);
        if (query.Breakdown.Count > 0)
        {
            text.Append(" · by ").AppendJoin(", ", query.Breakdown);
        }

        foreach (var filter in query.Filters)
        {
            text.Append(" · ").Append(filter.Dimension).Append('=').AppendJoin(',', filter.Codes);
        }

        text.Append('\n');
        if (outcome.Synthetic)
        {
            text.Append('\n').Append(SyntheticBanner(outcome)).Append('\n');
        }

        text.Append('\n');
        var answered = outcome.Results.Where(StatisticsText.Answered).ToList();
        if (answered.Count == 0)
        {
            text.Append("No country gave figures.\n");
        }
        else
        {
            AppendTable(text, outcome);
            text.Append('\n').Append(Legend(outcome)).Append('\n');
        }

        text.Append('\n');
        foreach (var result in outcome.Results)
        {
            AppendFooter(text, result);
        }

        return text.ToString();
    }

    /// <summary>The label that no one can miss when any figures are synthetic.</summary>
    public static string SyntheticBanner(QueryOutcome outcome) =>
        $"*** SYNTHETIC DATA — the figures of {string.Join(", ", outcome.SyntheticCountries)} are invented (demonstration or test data), not real cases ***";

    /// <summary>What one cell shows: the value (with <c>~</c> when noisy, <c>e</c>/<c>p</c> when estimated or provisional), or why there is none.</summary>
    public static string CellText(Cell? cell, int threshold) => CellMarks.Text(cell, threshold);

    /// <summary>What a cell withheld as small shows: <c>‹k</c>.</summary>
    public static string Small(int threshold) => CellMarks.Small(threshold);

    private static void AppendTable(StringBuilder text, QueryOutcome outcome)
    {
        var comparison = ComparisonTable.Of(outcome);
        var dimensions = comparison.Dimensions;
        var headers = dimensions.Select(StatisticsText.DimensionLabel).Concat(outcome.Results.Select(r => r.Country)).ToList();
        var table = new List<string[]>();
        IReadOnlyList<string>? previous = null;
        foreach (var comparisonRow in comparison.Rows)
        {
            var codes = comparisonRow.Codes;
            var row = new string[headers.Count];
            var repeated = true;
            for (var i = 0; i < dimensions.Count; i++)
            {
                // Like a pivot table: a leading label is written once for the rows it heads.
                repeated &= previous is not null && previous[i] == codes[i];
                row[i] = repeated ? string.Empty : Truncate(RowLabel(dimensions[i], codes[i]));
            }

            for (var c = 0; c < outcome.Results.Count; c++)
            {
                row[dimensions.Count + c] = CellText(comparisonRow.Cells[c], comparison.Threshold(c));
            }

            table.Add(row);
            previous = codes;
        }

        var widths = headers.Select((h, i) => Math.Max(i < dimensions.Count ? h.Length : Math.Max(h.Length, MinValueWidth), table.Count == 0 ? 0 : table.Max(r => r[i].Length))).ToArray();
        for (var i = 0; i < dimensions.Count; i++)
        {
            widths[i] = Math.Min(widths[i], MaxLabelWidth);
        }

        void Line(IReadOnlyList<string> cells)
        {
            var line = new StringBuilder();
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = i < dimensions.Count ? Truncate(cells[i]).PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
                line.Append(i == 0 ? string.Empty : Gap).Append(cell);
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        Line(headers);
        Line([.. widths.Select(w => new string('─', w))]);
        foreach (var row in table)
        {
            Line(row);
        }
    }

    private static string Legend(QueryOutcome outcome) =>
        CellMarks.Legend([.. outcome.Results.Where(StatisticsText.Answered).Select(r => r.Answer.Policy?.Threshold ?? 0).Distinct().Order()]);

    private static void AppendFooter(StringBuilder text, FederatedQueryResponse result)
    {
        const string Indent = "    ";
        var heading = result.Country + "  " + StatisticsText.Status(result.Status) + (result.Reason.Length > 0 ? " — " + result.Reason : string.Empty);
        AppendWrapped(text, string.Empty, heading, Indent);
        if (result.MechanismName.Length > 0)
        {
            text.Append(Indent).Append(result.MechanismName).Append('\n');
        }

        if (result.Answer is { } answer)
        {
            if (answer.Policy is { } policy)
            {
                text.Append(Indent).Append("protection: ").Append(StatisticsText.Policy(policy)).Append('\n');
                if (policy.Description.Length > 0)
                {
                    AppendWrapped(text, Indent, "policy: " + policy.Description);
                }
            }

            text.Append(Indent).Append("data: ").Append(StatisticsText.Source(answer.Source));
            if (answer.DataVersion.Length > 0)
            {
                text.Append(", version ").Append(answer.DataVersion);
            }

            if (answer.DataUpdatedAt is not null)
            {
                text.Append(", updated ").Append(Cli.CliValues.Time(answer.DataUpdatedAt));
            }

            if (answer.YearsAvailable.Count > 0)
            {
                text.Append(", years ").Append(YearRanges(answer.YearsAvailable));
            }

            if (answer.Synthetic)
            {
                text.Append(", SYNTHETIC");
            }

            text.Append('\n');
        }

        text.Append(Indent).Append(StatisticsText.Timing(result)).Append('\n');
    }

    /// <summary>
    /// Appends a line, broken between words so that no line is longer than <see cref="MaxWidth"/>; continuation lines
    /// are indented by <paramref name="continuation"/> (default: two more spaces than the first).
    /// </summary>
    public static void AppendWrapped(StringBuilder text, string indent, string line, string? continuation = null)
    {
        var next = continuation ?? indent + "  ";
        var current = new StringBuilder(indent);
        var empty = true;
        // Empty words keep runs of spaces as they were ("NL  ok").
        foreach (var word in line.Split(' '))
        {
            if (!empty && word.Length > 0 && current.Length + 1 + word.Length > MaxWidth)
            {
                text.Append(current).Append('\n');
                current.Clear().Append(next);
                empty = true;
            }

            current.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        text.Append(current).Append('\n');
    }

    /// <summary>Years as ranges: <c>2015–2019, 2021</c>.</summary>
    public static string YearRanges(IEnumerable<int> years) => StatisticsText.YearRanges(years);

    private static string RowLabel(string dimension, string code)
    {
        var label = StatisticsText.CodeLabel(dimension, code);
        return dimension == StatisticsCatalogue.CounterpartArea.Id && code != StatisticsCatalogue.Total ? $"{code} {label}" : label;
    }

    private static string Truncate(string text) => text.Length <= MaxLabelWidth ? text : text[..(MaxLabelWidth - 1)] + "…";
}
