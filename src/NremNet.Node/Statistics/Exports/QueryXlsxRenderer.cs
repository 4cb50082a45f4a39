using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NremNet.Domain.Statistics;
using ProtoCell = NremNet.Contracts.Aggregates.V1.Cell;
using SheetCell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// The query's results as an XLSX workbook (Office Open XML, written with the Open XML SDK) of three sheets:
/// <list type="bullet">
/// <item><c>Table</c>: the countries side by side as in the command line's table (<see cref="ComparisonTable"/>), a
/// number where a value was released — noisy ones shown with a leading <c>~</c>, estimated and provisional ones with
/// a trailing <c>e</c> or <c>p</c>, by number format, so they stay numbers — and the text mark where none was:
/// <c>‹k</c>, <c>x</c>, <c>..</c>; a SYNTHETIC line above the table when any figures are invented;</item>
/// <item><c>Data</c>: the long format of the CSV export (one row per cell of every country that gave figures) with
/// NOISY and SYNTHETIC columns;</item>
/// <item><c>Notes</c>: the query, when and where it was prepared, the legend of the marks, the synthetic label, and per
/// country its status, reason, protection and policy, data source, version and years, whether the answer came from
/// the node's cache and how old it was.</item>
/// </list>
/// Every text is a literal (inline) string, never a formula, whatever it starts with.
/// </summary>
public static class QueryXlsxRenderer
{
    /// <summary>The sheet with the countries side by side.</summary>
    public const string TableSheet = "Table";

    /// <summary>The sheet with the long format.</summary>
    public const string DataSheet = "Data";

    /// <summary>The sheet with the notes.</summary>
    public const string NotesSheet = "Notes";

    /// <summary>The column headers of the per-country notes.</summary>
    public static readonly IReadOnlyList<string> CountryNoteColumns =
    [
        "Country", "Mechanism", "Status", "Reason", "Protection", "Policy", "Source", "Data version", "Data updated (UTC)",
        "Years available", "Synthetic", "From cache", "Cache age (s)", "Took (s)", "Attempts",
    ];

    // Style indexes of the stylesheet below.
    private const uint Bold = 1;
    private const uint Count = 2;
    private const uint NoisyCount = 3;
    private const uint EstimatedCount = 4;
    private const uint ProvisionalCount = 5;

    /// <summary>The workbook's bytes.</summary>
    public static byte[] Render(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            AddSheet(workbook, sheets, 1, TableSheet, TableRows(outcome), [24, 28, 12]);
            AddSheet(workbook, sheets, 2, DataSheet, DataRows(outcome), [10, 16, 12]);
            AddSheet(workbook, sheets, 3, NotesSheet, NoteRows(outcome), [16, 40, 18, 40, 40, 60]);
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    /// <summary>A value of a row: text, a number with a style, or nothing.</summary>
    private readonly record struct Value(string? Text, double? Number, uint Style)
    {
        public static Value Of(string text, uint style = 0) => new(text, null, style);

        public static Value Of(long number, uint style = Count) => new(null, number, style);

        public static readonly Value Empty = new(null, null, 0);
    }

    private static string Title(QueryOutcome outcome)
    {
        var query = outcome.Query;
        var indicator = StatisticsCatalogue.FindIndicator(query.Indicator);
        var title = $"{query.Indicator} · {query.IndicatorLabel}" + (indicator is null ? string.Empty : $" ({indicator.Unit})") + $" · {query.Years}";
        if (query.Breakdown.Count > 0)
        {
            title += " · by " + string.Join(", ", query.Breakdown);
        }

        foreach (var filter in query.Filters)
        {
            title += $" · {filter.Dimension}={string.Join(',', filter.Codes)}";
        }

        return title;
    }

    /// <summary>The label no one can miss when any figures are synthetic.</summary>
    public static string SyntheticLabel(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return $"SYNTHETIC DATA — the figures of {string.Join(", ", outcome.SyntheticCountries)} are invented (demonstration or test data), not real cases";
    }

    private static List<Value[]> TableRows(QueryOutcome outcome)
    {
        var rows = new List<Value[]> { new[] { Value.Of(Title(outcome), Bold) } };
        if (outcome.Synthetic)
        {
            rows.Add([Value.Of(SyntheticLabel(outcome), Bold)]);
        }

        rows.Add([]);
        var comparison = ComparisonTable.Of(outcome);
        rows.Add([.. comparison.Dimensions.Select(d => Value.Of(StatisticsText.DimensionLabel(d), Bold)), .. comparison.Countries.Select(c => Value.Of(c.Country, Bold))]);
        foreach (var row in comparison.Rows)
        {
            var values = new List<Value>();
            for (var i = 0; i < comparison.Dimensions.Count; i++)
            {
                values.Add(Value.Of(StatisticsText.CodeLabel(comparison.Dimensions[i], row.Codes[i])));
            }

            for (var c = 0; c < comparison.Countries.Count; c++)
            {
                values.Add(CellValue(row.Cells[c], comparison.Threshold(c)));
            }

            rows.Add([.. values]);
        }

        if (comparison.Rows.Count == 0)
        {
            rows.Add([Value.Of("No country gave figures.")]);
        }

        return rows;
    }

    private static Value CellValue(ProtoCell? cell, int threshold)
    {
        var mark = CellMarks.Of(cell);
        if (cell is null || !cell.HasValue)
        {
            return Value.Of(CellMarks.Text(cell, threshold));
        }

        var noisy = (mark & CellMark.Noisy) != 0;
        var qualified = (mark & (CellMark.Estimated | CellMark.Provisional)) != 0;
        if (noisy && qualified)
        {
            // No single number format carries both marks: the text as the command line shows it.
            return Value.Of(CellMarks.Text(cell, threshold));
        }

        return Value.Of(cell.Value, noisy ? NoisyCount : (mark & CellMark.Estimated) != 0 ? EstimatedCount : (mark & CellMark.Provisional) != 0 ? ProvisionalCount : Count);
    }

    private static List<Value[]> DataRows(QueryOutcome outcome)
    {
        var dimensions = outcome.Query.Breakdown;
        var rows = new List<Value[]>
        {
            new[] { "REF_AREA", "INDICATOR", StatisticsCatalogue.TimePeriod }.Concat(dimensions).Concat(["OBS_VALUE", "OBS_STATUS", "CONF_STATUS", "NOISY", "SYNTHETIC"]).Select(h => Value.Of(h, Bold)).ToArray(),
        };
        foreach (var result in outcome.Results.Where(StatisticsText.Answered))
        {
            foreach (var cell in QueryCsvRenderer.Ordered(result.Answer.Cells, [StatisticsCatalogue.TimePeriod, .. dimensions]))
            {
                var row = new List<Value> { Value.Of(result.Country), Value.Of(outcome.Query.Indicator) };
                foreach (var dimension in (IEnumerable<string>)[StatisticsCatalogue.TimePeriod, .. dimensions])
                {
                    var code = cell.Key.TryGetValue(dimension, out var c) ? c : StatisticsCatalogue.Total;
                    row.Add(dimension == StatisticsCatalogue.TimePeriod && long.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? Value.Of(year, 0) : Value.Of(code));
                }

                row.Add(cell.HasValue ? Value.Of(cell.Value, 0) : Value.Empty);
                row.Add(Value.Of(StatisticsText.ObsStatus(cell.ObservationStatus)));
                row.Add(Value.Of(StatisticsText.ConfStatus(cell.ConfidentialityStatus)));
                row.Add(Value.Of(cell.Noisy ? "true" : "false"));
                row.Add(Value.Of(result.Answer.Synthetic ? "true" : "false"));
                rows.Add([.. row]);
            }
        }

        return rows;
    }

    private static List<Value[]> NoteRows(QueryOutcome outcome)
    {
        var rows = new List<Value[]>
        {
            new[] { Value.Of("Query", Bold), Value.Of(Title(outcome)) },
            new[] { Value.Of("Countries asked", Bold), Value.Of(string.Join(", ", outcome.Query.Countries)) },
            new[] { Value.Of("Prepared (UTC)", Bold), Value.Of(outcome.Prepared.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) },
            new[] { Value.Of("Prepared by", Bold), Value.Of($"NremNet node {outcome.Node}") },
            new[] { Value.Of("Synthetic", Bold), Value.Of(outcome.Synthetic ? SyntheticLabel(outcome) : "no: every answer says its figures are real") },
        };
        var thresholds = outcome.Results.Where(StatisticsText.Answered).Select(r => r.Answer.Policy?.Threshold ?? 0).Distinct().Order().ToList();
        var legend = CellMarks.Legend(thresholds).Split('\n');
        for (var i = 0; i < legend.Length; i++)
        {
            rows.Add([i == 0 ? Value.Of("Marks", Bold) : Value.Empty, Value.Of(legend[i])]);
        }

        rows.Add([Value.Empty, Value.Of(CellMarks.TotalsNote)]);
        rows.Add([]);
        rows.Add([.. CountryNoteColumns.Select(c => Value.Of(c, Bold))]);
        foreach (var result in outcome.Results)
        {
            var answer = result.Answer;
            rows.Add(
            [
                Value.Of(result.Country),
                Value.Of(result.MechanismName),
                Value.Of(StatisticsText.Status(result.Status)),
                Value.Of(result.Reason),
                Value.Of(answer?.Policy is { } policy ? StatisticsText.Policy(policy) : string.Empty),
                Value.Of(answer?.Policy?.Description ?? string.Empty),
                Value.Of(answer is null ? string.Empty : StatisticsText.Source(answer.Source)),
                Value.Of(answer?.DataVersion ?? string.Empty),
                Value.Of(answer?.DataUpdatedAt?.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty),
                Value.Of(answer is null ? string.Empty : StatisticsText.YearRanges(answer.YearsAvailable)),
                Value.Of(answer is null ? string.Empty : answer.Synthetic ? "SYNTHETIC" : "no"),
                Value.Of(result.FromCache ? "yes" : "no"),
                new Value(null, Math.Round(StatisticsText.Span(result.CacheAge).TotalSeconds, 3), 0),
                new Value(null, Math.Round(StatisticsText.Span(result.Elapsed).TotalSeconds, 3), 0),
                Value.Of(result.Attempts, 0),
            ]);
        }

        return rows;
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint id, string name, List<Value[]> rows, double[] widths)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                var value = rows[r][c];
                var reference = ColumnName(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                if (value.Number is { } number)
                {
                    row.Append(new SheetCell { CellReference = reference, CellValue = new CellValue(number), DataType = CellValues.Number, StyleIndex = value.Style });
                }
                else if (value.Text is { Length: > 0 } text)
                {
                    row.Append(new SheetCell
                    {
                        CellReference = reference,
                        DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(XmlText.Clean(text)) { Space = SpaceProcessingModeValues.Preserve }),
                        StyleIndex = value.Style,
                    });
                }
            }

            data.Append(row);
        }

        var columns = new Columns();
        var count = Math.Max(widths.Length, rows.Count == 0 ? 0 : rows.Max(r => r.Length));
        for (var c = 0; c < count; c++)
        {
            columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = c < widths.Length ? widths[c] : 12, CustomWidth = true });
        }

        part.Worksheet = count == 0 ? new Worksheet(data) : new Worksheet(columns, data);
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    /// <summary>The column name of a zero-based column index: A, B, …, Z, AA, AB, …</summary>
    public static string ColumnName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "\"~\"#,##0" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "#,##0\"e\"" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "#,##0\"p\"" })
        { Count = 3 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 166, ApplyNumberFormat = true })
        { Count = 6 });
}
