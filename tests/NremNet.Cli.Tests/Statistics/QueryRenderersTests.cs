using System.Text.Json;
using System.Text.RegularExpressions;
using NremNet.Cli.Statistics;

namespace NremNet.Cli.Tests.Statistics;

public sealed partial class QueryRenderersTests(ITestOutputHelper log)
{
    [Fact]
    public void Table_PutsCountriesSideBySide_WithWithheldMissingAndNoisyMarks()
    {
        var text = Render("table");

        var table = TableRows(text);
        Assert.Equal(["Year", "Form of exploitation", "NL", "SE", "FI", "BG"], table[0]);
        Assert.Equal(["2022", "Total", "958", "412", "..", ".."], table[1]);
        Assert.Equal(["", "Sexual exploitation", "530", "‹5", "..", ".."], table[2]);
        Assert.Equal(["", "Forced labour or services", "~212", "x", "..", ".."], table[3]);
        Assert.Equal(["2023", "Total", "1,012", "..", "..", ".."], table[4]);
        Assert.Equal(["", "Forced labour or services", "1,240", "1", "..", ".."], table[6]);
        Assert.Equal(7, table.Count);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 120, $"Line longer than 120 characters: {line}"));
        Assert.Contains("‹5 withheld", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_YearsAfterTheDimensionInBy_NestYearsInsideCodes()
    {
        var table = TableRows(QueryTableRenderer.Render(SampleResults.Outcome(rowOrder: ["EXPLOIT", "TIME_PERIOD"])));

        Assert.Equal(["Form of exploitation", "Year", "NL", "SE", "FI", "BG"], table[0]);
        Assert.Equal(["Total", "2022", "958", "412", "..", ".."], table[1]);
        Assert.Equal(["", "2023", "1,012", "..", "..", ".."], table[2]);
        Assert.Equal(["Sexual exploitation", "2022", "530", "‹5", "..", ".."], table[3]);
    }

    [Fact]
    public void Table_FooterPerCountry_SaysStatusReasonPolicyAndTiming()
    {
        var text = Render("table");

        var footer = text[text.IndexOf("\nNL  ok", StringComparison.Ordinal)..];
        Assert.Contains("NL  ok\n    National Rapporteur NL (synthetic)\n    protection: suppression + cell-key perturbation (±2), threshold 5; withheld 0 small (C), 0 shielding (D)", footer, StringComparison.Ordinal);
        Assert.Contains("policy: Counts below 5 withheld (NL policy).", footer, StringComparison.Ordinal);
        Assert.Contains("data: case records, version 17, updated 2025-03-01 12:00:00Z, years 2015–2023, SYNTHETIC", footer, StringComparison.Ordinal);
        Assert.Contains("fresh answer · took 0.21 s", footer, StringComparison.Ordinal);
        Assert.Contains("SE  partly withheld — 1 small and 1 shielding cells withheld", footer, StringComparison.Ordinal);
        Assert.Contains("protection: suppression, threshold 5; withheld 1 small (C), 1 shielding (D)", footer, StringComparison.Ordinal);
        Assert.Contains("cached answer, 35 s old · took 0.00 s · 2 attempts", footer, StringComparison.Ordinal);
        Assert.Contains("FI  denied — no agreement covers a breakdown by EXPLOIT\n    Non-Discrimination Ombudsman FI\n    took 0.05 s\n", footer, StringComparison.Ordinal);
        Assert.Contains("BG  deadline exceeded — no answer within 10 s", footer, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_LongPolicyAndReason_AreWrappedWithin120Characters()
    {
        var outcome = SampleResults.Outcome();
        outcome.Results[0].Answer.Policy.Description = string.Join(' ', Enumerable.Repeat("non-zero counts below 5 withheld (C), with further cells (D);", 6));
        outcome.Results[2].Reason = string.Join(' ', Enumerable.Repeat("no agreement covers a breakdown by EXPLOIT;", 5));

        var text = QueryTableRenderer.Render(outcome);

        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 120, $"Line longer than 120 characters: {line}"));
        Assert.Contains("\n    policy: non-zero counts", text, StringComparison.Ordinal);
        var lines = text.Split('\n').ToList();
        var policy = lines.FindIndex(l => l.StartsWith("    policy: non-zero counts", StringComparison.Ordinal));
        Assert.Matches("^      [^ ]", lines[policy + 1]);
        Assert.Contains("\nFI  denied — no agreement", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_SyntheticAnswer_IsLabelledOnTop_AndRealDataIsNot()
    {
        var synthetic = Render("table");
        var real = QueryTableRenderer.Render(SampleResults.Outcome(synthetic: false));

        var lines = synthetic.Split('\n');
        Assert.Contains("SYNTHETIC DATA", lines[2], StringComparison.Ordinal);
        Assert.Contains("NL", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("SYNTHETIC", real, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_NoCountryGaveFigures_SaysSoAndStillListsEveryCountry()
    {
        var outcome = SampleResults.Outcome() with { Results = [SampleResults.Finland(), SampleResults.Bulgaria()] };

        var text = QueryTableRenderer.Render(outcome);

        Assert.Contains("No country gave figures.", text, StringComparison.Ordinal);
        Assert.Contains("FI  denied", text, StringComparison.Ordinal);
        Assert.Contains("BG  deadline exceeded", text, StringComparison.Ordinal);
    }

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

        var real = QueryCsvRenderer.Render(SampleResults.Outcome(synthetic: false));
        Assert.StartsWith("REF_AREA,", real, StringComparison.Ordinal);
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

    private string Render(string format)
    {
        var text = QueryCommand.Render(SampleResults.Outcome(), format);
        log.WriteLine(text);
        return text;
    }

    /// <summary>The table's lines up to the legend, cells split on runs of two spaces or more, the rule line dropped.</summary>
    private static List<string[]> TableRows(string text) =>
        text.Split('\n')
            .SkipWhile(l => !l.StartsWith("Year", StringComparison.Ordinal) && !l.StartsWith("Form of", StringComparison.Ordinal))
            .TakeWhile(l => l.Length > 0)
            .Where(l => !l.StartsWith('─'))
            .Select(l => Columns().Split(l).Select(c => c.Trim()).ToArray())
            .ToList();

    [GeneratedRegex("  +")]
    private static partial Regex Columns();
}
