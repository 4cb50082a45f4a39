using System.Text.RegularExpressions;
using NremNet.Cli.Statistics;
using NremNet.Node.Statistics.Exports;
using NremNet.Node.Tests.Statistics.Exports;

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

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("sdmx-json")]
    [InlineData("sdmx-csv")]
    public void Render_TextFormats_AreTheNodesExports(string format)
    {
        var outcome = SampleResults.Outcome();

        Assert.Equal(QueryExports.RenderText(outcome, QueryExports.Find(format)!), QueryCommand.Render(outcome, format));
        Assert.Equal(QueryExports.Render(outcome, QueryExports.Find(format)!), QueryCommand.RenderFile(outcome, format));
    }

    [Fact]
    public void RenderFile_Xlsx_IsTheNodesWorkbook_AndTableIsUtf8Text()
    {
        var outcome = SampleResults.Outcome();

        Assert.Equal("PK"u8.ToArray(), QueryCommand.RenderFile(outcome, "xlsx")[..2]);
        Assert.Equal(QueryTableRenderer.Render(outcome), System.Text.Encoding.UTF8.GetString(QueryCommand.RenderFile(outcome, "table")));
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
