using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Console.Charts;

/// <summary>One cell of the data table beside a chart.</summary>
/// <param name="Text">What it shows, marked as the command line marks values: <c>1 234</c>, <c>~212</c>, <c>‹5</c>, <c>x</c>, <c>..</c>.</param>
/// <param name="Description">Its markings in words (for a screen reader or a tooltip), empty for a plain value.</param>
/// <param name="Mark">Its markings.</param>
/// <param name="Value">The value drawn, if any.</param>
public sealed record ChartTableCell(string Text, string Description, CellMark Mark, double? Value);

/// <summary>One row of the data table: a category and each series' cell.</summary>
/// <param name="Header">The category's label.</param>
/// <param name="Cells">One cell per series, in series order.</param>
public sealed record ChartTableRow(string Header, IReadOnlyList<ChartTableCell> Cells);

/// <summary>
/// The data table beside a chart, drawn from the same <see cref="ChartModel"/> as the chart so the two cannot
/// disagree: one row per category, one column per series, every value formatted in the chart's culture and marked as
/// the command line marks it, with the notes the chart shows. Texts are plain (not escaped): the page escapes them.
/// </summary>
/// <param name="Caption">The table's caption: the chart's title.</param>
/// <param name="CategoryHeader">The header of the category column: the category axis label.</param>
/// <param name="SeriesHeaders">The header of each series' column (synthetic series labelled so).</param>
/// <param name="Rows">The rows, in category order.</param>
/// <param name="Notes">The notes: the synthetic banner, the totals note, the model's notes.</param>
public sealed record ChartTable(string Caption, string CategoryHeader, IReadOnlyList<string> SeriesHeaders, IReadOnlyList<ChartTableRow> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>The table of a chart model.</summary>
    public static ChartTable Of(ChartModel model, ChartOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Check();
        var words = options.Text;
        var rows = model.Categories.Select((category, c) => new ChartTableRow(
            category.Label,
            [.. model.Series.Select(series =>
            {
                var value = series.Values[c];
                var shown = CellMarks.Text(value.Value is { } v ? options.Format(v, model.Decimals) : null, value.Mark, series.Threshold);
                return new ChartTableCell(shown, words.Describe(value.Mark), value.Mark, value.Drawn ? value.Value : null);
            })])).ToList();
        var notes = new List<string>();
        if (model.Synthetic)
        {
            notes.Add(words.SyntheticBanner);
        }

        if (model.AnyWithheld)
        {
            notes.Add(words.TotalsNote);
        }

        notes.AddRange(model.Notes);
        return new ChartTable(
            model.Title,
            model.CategoryAxisLabel,
            [.. model.Series.Select(s => s.Synthetic ? $"{s.Label} ({words.SyntheticSeries})" : s.Label)],
            rows,
            notes);
    }
}
