using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NremNet.Node.Statistics.Exports;
using NremNet.Testing;

namespace NremNet.Node.Tests.Statistics.Exports;

/// <summary>
/// The downloads of a federated query, as the command line and the console write them, read back: CSV and SDMX-CSV
/// parsed as RFC 4180, SDMX-JSON checked against its structure, the XLSX workbook opened with the Open XML SDK.
/// </summary>
public sealed class QueryExportsTests(ITestOutputHelper log)
{
    [Fact]
    public void Csv_IsLongFormat_WithStatusCodes_AfterASyntheticComment()
    {
        var lines = Render("csv").TrimEnd('\n').Split('\n');

        Assert.StartsWith("# synthetic", lines[0], StringComparison.Ordinal);
        Assert.Equal("REF_AREA,INDICATOR,TIME_PERIOD,EXPLOIT,OBS_VALUE,OBS_STATUS,CONF_STATUS", lines[1]);
        Assert.Equal("NL,THB_VICT_REG,2022,_T,958,A,F", lines[2]);
        Assert.Contains("NL,THB_VICT_REG,2022,LAB,212,A,F", lines);
        Assert.Contains("SE,THB_VICT_REG,2022,SEX,,Q,C", lines);
        Assert.Contains("SE,THB_VICT_REG,2022,LAB,,Q,D", lines);
        Assert.Contains("SE,THB_VICT_REG,2023,_T,,O,F", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("FI,", StringComparison.Ordinal) || l.StartsWith("BG,", StringComparison.Ordinal));
        Assert.Equal(2 + 6 + 6, lines.Length);

            }

    [Fact]
    public void Json_HasTheStableShape_ForEveryCountry()
    {
        using var document = JsonDocument.Parse(Render("json"));
        var root = document.RootElement;

        Assert.Equal("THB_VICT_REG", root.GetProperty("query").GetProperty("indicator").GetString());
        Assert.Equal(["_T", "SEX", "LAB"], root.GetProperty("query").GetProperty("filters").GetProperty("EXPLOIT").EnumerateArray().Select(c => c.GetString()));
        Assert.True(root.GetProperty("synthetic").GetBoolean());
        var countries = root.GetProperty("countries").EnumerateArray().ToList();
        Assert.Equal(["NL", "SE", "FI", "BG"], countries.Select(c => c.GetProperty("country").GetString()));
        string[] fields = ["country", "status", "reason", "fromCache", "cacheAgeSeconds", "elapsedSeconds", "attempts", "policy", "synthetic", "dataVersion", "cells"];
        Assert.All(countries, c => Assert.All(fields, f => Assert.True(c.TryGetProperty(f, out _), $"{c.GetProperty("country")} lacks {f}")));
        Assert.Equal(["ok", "partly_withheld", "denied", "deadline_exceeded"], countries.Select(c => c.GetProperty("status").GetString()));

        var sweden = countries[1];
        Assert.True(sweden.GetProperty("fromCache").GetBoolean());
        Assert.Equal(35, sweden.GetProperty("cacheAgeSeconds").GetDouble());
        Assert.Equal(2, sweden.GetProperty("attempts").GetInt32());
        Assert.Equal("suppression", sweden.GetProperty("policy").GetProperty("protection").GetString());
        Assert.Equal(1, sweden.GetProperty("policy").GetProperty("primaryWithheld").GetInt32());
        var small = sweden.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("key").GetProperty("TIME_PERIOD").GetString() == "2022" && c.GetProperty("key").GetProperty("EXPLOIT").GetString() == "SEX");
        Assert.Equal(JsonValueKind.Null, small.GetProperty("value").ValueKind);
        Assert.Equal("Q", small.GetProperty("obsStatus").GetString());
        Assert.Equal("C", small.GetProperty("confStatus").GetString());

        var noisy = countries[0].GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("noisy").GetBoolean());
        Assert.Equal(212, noisy.GetProperty("value").GetInt64());
        Assert.Equal(JsonValueKind.Null, countries[2].GetProperty("policy").ValueKind);
        Assert.Empty(countries[2].GetProperty("cells").EnumerateArray());
    }

    [Fact]
    public void SdmxJson_IsADataMessage_WhoseObservationIndexesPointAtTheRightValues()
    {
        var outcome = SampleResults.Outcome();
        using var document = JsonDocument.Parse(Render("sdmx-json"));
        var root = document.RootElement;

        var meta = root.GetProperty("meta");
        Assert.Equal("2025-03-14T09:26:53Z", meta.GetProperty("prepared").GetString());
        Assert.Equal("NREMNET-NL", meta.GetProperty("sender").GetProperty("id").GetString());
        Assert.True(meta.GetProperty("test").GetBoolean());
        Assert.False(string.IsNullOrEmpty(meta.GetProperty("id").GetString()));

        var structure = root.GetProperty("data").GetProperty("structure");
        var dimensions = structure.GetProperty("dimensions").GetProperty("observation").EnumerateArray().ToList();
        Assert.Equal(["REF_AREA", "INDICATOR", "TIME_PERIOD", "EXPLOIT"], dimensions.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal([0, 1, 2, 3], dimensions.Select(d => d.GetProperty("keyPosition").GetInt32()));
        var values = dimensions.Select(d => d.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToList()).ToList();
        Assert.Equal(["NL", "SE"], values[0]);
        Assert.Equal(["2022", "2023"], values[2]);
        Assert.Equal(["_T", "SEX", "LAB"], values[3]);
        Assert.All(dimensions, d => Assert.All(d.GetProperty("values").EnumerateArray(), v => Assert.False(string.IsNullOrEmpty(v.GetProperty("name").GetString()))));

        var attributes = structure.GetProperty("attributes").GetProperty("observation").EnumerateArray().ToList();
        Assert.Equal(["OBS_STATUS", "CONF_STATUS"], attributes.Select(a => a.GetProperty("id").GetString()));
        var obsCodes = attributes[0].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ToList();
        var confCodes = attributes[1].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ToList();
        var annotations = structure.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();

        var dataSet = Assert.Single(root.GetProperty("data").GetProperty("dataSets").EnumerateArray());
        Assert.Contains(dataSet.GetProperty("annotations").EnumerateArray(), i => annotations[i.GetInt32()] == "SYNTHETIC");
        var observations = dataSet.GetProperty("observations").EnumerateObject().ToList();
        Assert.Equal(12, observations.Count);
        foreach (var observation in observations)
        {
            var indexes = observation.Name.Split(':').Select(int.Parse).ToArray();
            Assert.Equal(4, indexes.Length);
            var (country, year, code) = (values[0][indexes[0]], values[2][indexes[2]], values[3][indexes[3]]);
            Assert.Equal("THB_VICT_REG", values[1][indexes[1]]);
            var cell = outcome.Results.Single(r => r.Country == country).Answer.Cells.Single(c => c.Key["TIME_PERIOD"] == year && c.Key["EXPLOIT"] == code);
            var array = observation.Value.EnumerateArray().ToList();
            Assert.Equal(cell.HasValue ? cell.Value : (long?)null, array[0].ValueKind == JsonValueKind.Null ? (long?)null : array[0].GetInt64());
            Assert.Equal(StatisticsText.ObsStatus(cell.ObservationStatus), obsCodes[array[1].GetInt32()]);
            Assert.Equal(StatisticsText.ConfStatus(cell.ConfidentialityStatus), confCodes[array[2].GetInt32()]);
            Assert.Equal(cell.Noisy, array.Count == 4 && annotations[array[3].GetInt32()] == "NOISY");
        }
    }

    [Fact]
    public void Csv_ParsedBack_GivesEveryAnsweredCellWithItsValueAndStatuses()
    {
        var outcome = SampleResults.Outcome();

        var rows = CsvText.Parse(Render("csv"));

        Assert.StartsWith("# synthetic", rows[0][0], StringComparison.Ordinal);
        var header = rows[1];
        var cells = rows.Skip(2).ToList();
        var expected = outcome.Results.Where(StatisticsText.Answered).SelectMany(r => r.Answer.Cells.Select(c => (r.Country, Cell: c))).ToList();
        Assert.Equal(expected.Count, cells.Count);
        foreach (var (country, cell) in expected)
        {
            var row = Assert.Single(cells, r => r[0] == country && r[2] == cell.Key["TIME_PERIOD"] && r[3] == cell.Key["EXPLOIT"]);
            Assert.Equal(cell.HasValue ? cell.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty, row[header.IndexOf("OBS_VALUE")]);
            Assert.Equal(StatisticsText.ObsStatus(cell.ObservationStatus), row[header.IndexOf("OBS_STATUS")]);
            Assert.Equal(StatisticsText.ConfStatus(cell.ConfidentialityStatus), row[header.IndexOf("CONF_STATUS")]);
        }
    }

    [Fact]
    public void SdmxCsv_HasTheSdmxCsv2Columns_AndMarksNoisyAndSyntheticPerObservation()
    {
        var outcome = SampleResults.Outcome();

        var rows = CsvText.Parse(Render("sdmx-csv"));

        Assert.Equal(["STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR", "TIME_PERIOD", "EXPLOIT", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", "NOISY", "SYNTHETIC"], rows[0]);
        var data = rows.Skip(1).ToList();
        Assert.Equal(12, data.Count);
        Assert.All(data, r => Assert.Equal(("dataflow", SdmxCsvRenderer.Dataflow, "I"), (r[0], r[1], r[2])));
        Assert.All(data, r => Assert.Equal(rows[0].Count, r.Count));
        Assert.Equal(["NL,2022,LAB,212,A,F,true,true"], data.Where(r => r[10] == "true").Select(r => string.Join(',', r[3], r[5], r[6], r[7], r[8], r[9], r[10], r[11])));
        Assert.Contains(data, r => string.Join(',', r.Skip(3)) == "SE,THB_VICT_REG,2022,SEX,,Q,C,false,false");
        Assert.Contains(data, r => string.Join(',', r.Skip(3)) == "SE,THB_VICT_REG,2022,LAB,,Q,D,false,false");
        Assert.Contains(data, r => string.Join(',', r.Skip(3)) == "SE,THB_VICT_REG,2023,_T,,O,F,false,false");
        Assert.All(data.Where(r => r[3] == "NL"), r => Assert.Equal("true", r[11]));
        Assert.DoesNotContain(data, r => r[3] is "FI" or "BG");
        Assert.DoesNotContain('#', Render("sdmx-csv"));
    }

    [Fact]
    public void Xlsx_OpenedBack_HasTheTableDataAndNotesSheets_WithNumbersAndMarks()
    {
        var outcome = SampleResults.Outcome();

        var bytes = QueryExports.Render(outcome, QueryExports.Xlsx);

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        var sheets = Sheets(document);
        Assert.Equal([QueryXlsxRenderer.TableSheet, QueryXlsxRenderer.DataSheet, QueryXlsxRenderer.NotesSheet], sheets.Keys);

        var table = sheets[QueryXlsxRenderer.TableSheet];
        Assert.StartsWith("THB_VICT_REG · Registered victims (persons) · 2022–2023", table[0][0].Text, StringComparison.Ordinal);
        Assert.StartsWith("SYNTHETIC DATA — the figures of NL", table[1][0].Text, StringComparison.Ordinal);
        var header = table.FindIndex(r => r.Count > 0 && r[0].Text == "Year");
        Assert.Equal(["Year", "Form of exploitation", "NL", "SE", "FI", "BG"], table[header].Select(c => c.Text));
        var rows = table.Skip(header + 1).ToList();
        Assert.Equal(6, rows.Count);
        // 2022, Total: numbers stay numbers.
        Assert.Equal(("2022", "Total", 958d, 412d), (rows[0][0].Text, rows[0][1].Text, rows[0][2].Number, rows[0][3].Number));
        Assert.Equal(["..", ".."], rows[0].Skip(4).Select(c => c.Text));
        // Small and shielding withheld cells show their marks, the noisy value is a number shown with ~.
        Assert.Equal("‹5", rows[1][3].Text);
        Assert.Equal("x", rows[2][3].Text);
        Assert.Equal(212d, rows[2][2].Number);
        Assert.Equal("\"~\"#,##0", NumberFormat(document, rows[2][2].Style));
        Assert.Equal("..", rows[3][3].Text);

        var data = sheets[QueryXlsxRenderer.DataSheet];
        Assert.Equal(["REF_AREA", "INDICATOR", "TIME_PERIOD", "EXPLOIT", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", "NOISY", "SYNTHETIC"], data[0].Select(c => c.Text));
        Assert.Equal(13, data.Count);
        var small = Assert.Single(data, r => r[0].Text == "SE" && r[2].Number == 2022 && r[3].Text == "SEX");
        Assert.Equal((null, "Q", "C"), (small[4].Number, small[5].Text, small[6].Text));

        var notes = sheets[QueryXlsxRenderer.NotesSheet];
        var text = string.Join('\n', notes.Select(r => string.Join(" | ", r.Select(c => c.Text ?? c.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        log.WriteLine(text);
        Assert.Contains("SYNTHETIC DATA — the figures of NL", text, StringComparison.Ordinal);
        Assert.Contains("‹5 withheld: below the threshold (primary, C)", text, StringComparison.Ordinal);
        Assert.Contains("Prepared (UTC) | 2025-03-14 09:26:53", text, StringComparison.Ordinal);
        var countryHeader = notes.FindIndex(r => r.Count > 0 && r[0].Text == "Country");
        Assert.Equal(QueryXlsxRenderer.CountryNoteColumns, notes[countryHeader].Select(c => c.Text));
        var sweden = notes[countryHeader + 2];
        Assert.Equal(("SE", "partly withheld", "yes", 35d), (sweden[0].Text, sweden[2].Text, sweden[11].Text, sweden[12].Number));
        Assert.Equal("suppression, threshold 5; withheld 1 small (C), 1 shielding (D)", sweden[4].Text);
        Assert.Equal(("FI", "denied", "no agreement covers a breakdown by EXPLOIT"), (notes[countryHeader + 3][0].Text, notes[countryHeader + 3][2].Text, notes[countryHeader + 3][3].Text));
    }

    [Fact]
    public void Xlsx_UntrustedTexts_AreWrittenAsLiteralStrings_EvenControlCharactersAndFormulas()
    {
        var outcome = SampleResults.Outcome();
        outcome.Results[2].Reason = "=HYPERLINK(\"http://evil.example\") <script>alert(1)</script> \u0001 & \"quoted\"";
        outcome.Results[2].MechanismName = "Ombudsman\u0008 FI";

        using var document = SpreadsheetDocument.Open(new MemoryStream(QueryExports.Render(outcome, QueryExports.Xlsx)), isEditable: false);

        var notes = Sheets(document)[QueryXlsxRenderer.NotesSheet];
        var finland = notes.Single(r => r.Count > 0 && r[0].Text == "FI");
        Assert.Equal("=HYPERLINK(\"http://evil.example\") <script>alert(1)</script> \uFFFD & \"quoted\"", finland[3].Text);
        Assert.Equal("Ombudsman\uFFFD FI", finland[1].Text);
        Assert.DoesNotContain(document.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<CellFormula>()), _ => true);
    }

    [Fact]
    public void Exports_RealFigures_CarryNoSyntheticLabel()
    {
        var outcome = SampleResults.Outcome(synthetic: false);

        Assert.StartsWith("REF_AREA,", Render("csv", outcome), StringComparison.Ordinal);
        Assert.DoesNotContain(CsvText.Parse(Render("sdmx-csv", outcome)).Skip(1), r => r[^1] == "true");
        using var document = SpreadsheetDocument.Open(new MemoryStream(QueryExports.Render(outcome, QueryExports.Xlsx)), isEditable: false);
        Assert.DoesNotContain(Sheets(document)[QueryXlsxRenderer.TableSheet], r => r.Any(c => c.Text?.Contains("SYNTHETIC", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void Formats_HaveMediaTypesExtensionsAndSafeFileNames()
    {
        var outcome = SampleResults.Outcome();

        Assert.Equal(["csv", "sdmx-csv", "sdmx-json", "xlsx", "json"], QueryExports.All.Select(f => f.Id));
        Assert.Null(QueryExports.Find("table"));
        Assert.Equal("nremnet-THB_VICT_REG-2022-2023-20250314T092653Z.sdmx.csv", QueryExports.FileName(outcome, QueryExports.SdmxCsv));
        Assert.Equal("nremnet-THB_VICT_REG-2022-2023-20250314T092653Z.xlsx", QueryExports.FileName(outcome, QueryExports.Xlsx));
        Assert.Throws<ArgumentException>(() => QueryExports.RenderText(outcome, QueryExports.Xlsx));
        Assert.All(QueryExports.All.Where(f => !f.Binary), f => Assert.NotEqual(0xEF, QueryExports.Render(outcome, f)[0]));
        Assert.Equal(Render("csv"), Encoding.UTF8.GetString(QueryExports.Render(outcome, QueryExports.Csv)));
    }

    [Fact]
    public void ComparisonTable_PutsCountriesSideBySide_InTheOrderAsked()
    {
        var comparison = ComparisonTable.Of(SampleResults.Outcome());

        Assert.Equal(["TIME_PERIOD", "EXPLOIT"], comparison.Dimensions);
        Assert.Equal(["NL", "SE", "FI", "BG"], comparison.Countries.Select(c => c.Country));
        Assert.Equal(["2022|_T", "2022|SEX", "2022|LAB", "2023|_T", "2023|SEX", "2023|LAB"], comparison.Rows.Select(r => string.Join('|', r.Codes)));
        Assert.Equal(["~212", "x", "..", ".."], comparison.Rows[2].Cells.Select((c, i) => CellMarks.Text(c, comparison.Threshold(i))));
        Assert.Equal(CellMark.WithheldSmall, CellMarks.Of(comparison.Rows[1].Cells[1]));
    }

    private string Render(string format, QueryOutcome? outcome = null)
    {
        var text = QueryExports.RenderText(outcome ?? SampleResults.Outcome(), QueryExports.Find(format)!);
        log.WriteLine(text);
        return text;
    }

    /// <summary>A cell read back: its text (inline string) or number, and its style.</summary>
    private sealed record Read(string? Text, double? Number, uint Style);

    private static Dictionary<string, List<List<Read>>> Sheets(SpreadsheetDocument document)
    {
        var workbook = document.WorkbookPart!;
        var sheets = new Dictionary<string, List<List<Read>>>(StringComparer.Ordinal);
        foreach (var sheet in workbook.Workbook.Descendants<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var rows = new List<List<Read>>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var index = (int)row.RowIndex!.Value - 1;
                while (rows.Count <= index)
                {
                    rows.Add([]);
                }

                foreach (var cell in row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>())
                {
                    var column = Column(cell.CellReference!.Value!);
                    while (rows[index].Count < column)
                    {
                        rows[index].Add(new Read(null, null, 0));
                    }

                    rows[index].Add(cell.DataType?.Value == CellValues.InlineString
                        ? new Read(cell.InlineString!.Text!.Text, null, cell.StyleIndex?.Value ?? 0)
                        : new Read(null, double.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), cell.StyleIndex?.Value ?? 0));
                }
            }

            sheets[sheet.Name!.Value!] = rows;
        }

        return sheets;
    }

    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            column = (column * 26) + (c - 'A' + 1);
        }

        return column - 1;
    }

    private static string NumberFormat(SpreadsheetDocument document, uint style)
    {
        var styles = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet;
        var id = ((CellFormat)styles.CellFormats!.ElementAt((int)style)).NumberFormatId!.Value;
        return styles.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == id).FormatCode!.Value!;
    }
}
