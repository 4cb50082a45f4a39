using System.Globalization;
using System.Xml.Linq;
using NremNet.Domain.Statistics.Rates;
using NremNet.Node.Console.Charts;
using NremNet.Node.Statistics.Exports;
using NremNet.Node.Tests.Statistics.Exports;

namespace NremNet.Node.Tests.Console.Charts;

public sealed class SvgChartsTests(ITestOutputHelper log)
{
    private static readonly XNamespace Svg = SvgCharts.Svg;

    public static TheoryData<string> Kinds => ["bars", "lines", "small-bars", "small-lines"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Chart_IsAStandaloneAccessibleSvg_WithoutScriptStylesOrOutsideReferences(string kind)
    {
        var (text, svg) = Draw(kind, Model(), new ChartOptions { IdPrefix = "cmp1" });

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("cmp1-title cmp1-desc", (string?)svg.Attribute("aria-labelledby"));
        var children = svg.Elements().ToList();
        Assert.Equal(Svg + "title", children[0].Name);
        Assert.Equal(("cmp1-title", "Registered victims by form of exploitation, 2023"), ((string?)children[0].Attribute("id"), children[0].Value));
        Assert.Equal(Svg + "desc", children[1].Name);
        Assert.Equal("cmp1-desc", (string?)children[1].Attribute("id"));
        Assert.StartsWith("Victims per form of exploitation in four countries.", children[1].Value, StringComparison.Ordinal);
        Assert.NotNull(svg.Attribute("viewBox"));

        var elements = svg.DescendantsAndSelf().ToList();
        Assert.DoesNotContain(elements, e => e.Name.LocalName is "script" or "style" or "foreignObject" or "image" or "a" or "use");
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes()), a => a.Name.LocalName is "style" or "href" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<?xml", text, StringComparison.Ordinal);

        // Every url(#id) points inside the document, at an id of this chart.
        var ids = elements.Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("cmp1-", id, StringComparison.Ordinal));
        var references = elements.SelectMany(e => e.Attributes()).Select(a => a.Value).Where(v => v.Contains("url(", StringComparison.Ordinal)).ToList();
        Assert.All(references, r => Assert.Matches("^url\\(#[A-Za-z0-9_-]+\\)$", r));
        Assert.All(references, r => Assert.Contains(r[5..^1], ids));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Chart_SameModelTwice_GivesTheSameText(string kind)
    {
        Assert.Equal(Draw(kind, Model(), new ChartOptions()).Text, Draw(kind, Model(), new ChartOptions()).Text);
    }

    [Fact]
    public void Bars_EachSeries_HasItsOwnColourAndPattern_WithEnoughContrast()
    {
        var (_, svg) = Draw("bars", Model(), new ChartOptions { IdPrefix = "b" });

        var patterns = svg.Descendants(Svg + "pattern").Where(p => ((string)p.Attribute("id")!).StartsWith("b-p", StringComparison.Ordinal)).ToList();
        Assert.Equal(["b-p1", "b-p2", "b-p3"], patterns.Select(p => (string)p.Attribute("id")!));
        Assert.Equal(3, patterns.Select(p => p.Elements().Last().ToString(SaveOptions.DisableFormatting)).Distinct().Count());

        // The legend: one swatch per series, each with a different fill.
        var fills = Enumerable.Range(0, 4).Select(s => Fill(s, "b")).ToList();
        Assert.Equal(4, fills.Distinct().Count());
        Assert.All(Enumerable.Range(0, 4), s => Assert.Contains(svg.Descendants(Svg + "rect"), r => (string?)r.Attribute("fill") == fills[s]));

        Assert.All(Enumerable.Range(0, 16).Select(ChartPalette.For), style => Assert.True(ChartPalette.Contrast(style.Colour, "#ffffff") >= 3, $"{style.Colour} has too little contrast"));
        Assert.Equal(16, Enumerable.Range(0, 16).Select(ChartPalette.For).Distinct().Count());
        Assert.True(ChartPalette.Contrast(ChartPalette.Muted, "#ffffff") >= 4.5);
        Assert.True(ChartPalette.Contrast(ChartPalette.Warning, "#ffffff") >= 4.5);
        Assert.True(ChartPalette.Contrast(ChartPalette.Hatch, "#ffffff") >= 4.5);
    }

    [Fact]
    public void Bars_WithheldAndMissingValues_AreHatchedMarkersWithTheirMark_NotZeroBars()
    {
        var (_, svg) = Draw("bars", Model(), new ChartOptions { IdPrefix = "w" });

        var small = Group(svg, "SE, Sexual exploitation: ‹5 (withheld (small count))");
        Assert.DoesNotContain(small.Elements(Svg + "rect"), r => ((string)r.Attribute("fill")!).StartsWith("url(#w-p", StringComparison.Ordinal) || (string)r.Attribute("fill")! == "#0072B2");
        var marker = Assert.Single(small.Elements(Svg + "rect"));
        Assert.Equal(("url(#w-gap)", "3 2"), ((string?)marker.Attribute("fill"), (string?)marker.Attribute("stroke-dasharray")));
        Assert.Equal("‹5", small.Elements(Svg + "text").Single().Value);

        var shielding = Group(svg, "SE, Forced labour or services: x (withheld (shields a small count))");
        Assert.Equal("x", shielding.Elements(Svg + "text").Single().Value);
        var missing = Group(svg, "FI, Total: .. (not available)");
        Assert.Equal("..", missing.Elements(Svg + "text").Single().Value);

        // The note that withheld cells keep parts from adding up, and legend entries for both markers.
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("Where cells are withheld or missing", StringComparison.Ordinal));
        Assert.Contains("withheld (‹k, x)", texts);
        Assert.Contains("not available (..)", texts);
        Assert.Contains(CellMarks.TotalsNote, svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Bars_NoisyValue_IsMarked_AndSyntheticFiguresCarryABanner()
    {
        var (_, svg) = Draw("bars", Model(), new ChartOptions { IdPrefix = "n" });

        var noisy = Group(svg, "NL, Forced labour or services: ~212 (carries deliberate noise; synthetic)");
        var bar = noisy.Elements(Svg + "rect").Single();
        Assert.Equal("4 2", (string?)bar.Attribute("stroke-dasharray"));
        Assert.StartsWith("~", noisy.Elements(Svg + "text").Single().Value, StringComparison.Ordinal);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains(ChartText.English.SyntheticBanner, texts);
        Assert.Contains("NL (synthetic)", texts);
        Assert.Contains("noisy value (~)", texts);

        var real = Draw("bars", Model() with { Series = [.. Model().Series.Select(s => s with { Synthetic = false })] }, new ChartOptions()).Svg;
        Assert.DoesNotContain(real.Descendants(Svg + "text"), t => t.Value.Contains("SYNTHETIC", StringComparison.Ordinal));
    }

    [Fact]
    public void Bars_BarHeights_FollowTheValuesOnANiceScale()
    {
        var (_, svg) = Draw("bars", Model(), new ChartOptions { IdPrefix = "h" });

        var total = Group(svg, "NL, Total: 1,012 (synthetic)").Elements(Svg + "rect").Single();
        var sexual = Group(svg, "NL, Sexual exploitation: 611 (synthetic)").Elements(Svg + "rect").Single();
        Assert.Equal(1012.0 / 611, Height(total) / Height(sexual), 2);
        var ticks = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("font-size") == "11" && (string?)t.Attribute("text-anchor") == "end").Select(t => t.Value).ToList();
        Assert.Equal(["0", "200", "400", "600", "800", "1,000", "1,200"], ticks);
    }

    [Fact]
    public void Chart_UntrustedTexts_AreEscaped_AndCleanedOfCharactersXmlCannotHold()
    {
        var model = Model() with
        {
            Title = "<script>alert('t')</script> & \"quotes\"",
            Description = "</desc><script>alert(1)</script>",
            Series = [.. Model().Series.Select((s, i) => i == 0 ? s with { Label = "\"><script>alert('s')</script>\u0001" } : s)],
            Categories = [.. Model().Categories.Select((c, i) => i == 0 ? c with { Label = "Tom & Jerry's <b>\"x\"</b>" } : c)],
            Notes = ["<img src=x onerror=alert(1)>"],
        };

        foreach (var kind in new[] { "bars", "lines", "small-bars" })
        {
            var (text, svg) = Draw(kind, model, new ChartOptions());

            Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>", text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(model.Title, svg.Element(Svg + "title")!.Value);
            Assert.StartsWith(model.Description, svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
            var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
            Assert.Contains("\"><script>alert('s')</script>\uFFFD (synthetic)", texts);
            Assert.Contains(texts, t => t.Contains("<img src=x onerror=alert(1)>", StringComparison.Ordinal));
            Assert.DoesNotContain(svg.DescendantsAndSelf().SelectMany(e => e.Attributes()), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Chart_RightToLeft_MirrorsTheCategoryAxis_AndPutsTheValueAxisOnTheRight()
    {
        var ltr = Draw("bars", Model(), new ChartOptions { IdPrefix = "l" }).Svg;
        var rtl = Draw("bars", Model(), new ChartOptions { IdPrefix = "r", RightToLeft = true }).Svg;

        Assert.Null(ltr.Attribute("direction"));
        Assert.Equal("rtl", (string?)rtl.Attribute("direction"));
        double X(XElement svg, string tooltip) => double.Parse((string)Group(svg, tooltip).Elements(Svg + "rect").Single().Attribute("x")!, CultureInfo.InvariantCulture);
        const string First = "NL, Total: 1,012 (synthetic)";
        const string Last = "NL, Forced labour or services: ~212 (carries deliberate noise; synthetic)";
        Assert.True(X(ltr, First) < X(ltr, Last));
        Assert.True(X(rtl, First) > X(rtl, Last));
        Assert.Equal(720 - X(ltr, First) - Width(Group(ltr, First).Elements(Svg + "rect").Single()), X(rtl, First), 1);

        // The value axis: the vertical line at the left in LTR, at the right in RTL, with the tick labels outside it.
        double Axis(XElement svg) => svg.Descendants(Svg + "line").Where(l => (string?)l.Attribute("x1") == (string?)l.Attribute("x2")).Select(l => double.Parse((string)l.Attribute("x1")!, CultureInfo.InvariantCulture)).Single();
        Assert.True(Axis(ltr) < 360);
        Assert.True(Axis(rtl) > 360);
        var tick = rtl.Descendants(Svg + "text").First(t => t.Value == "1,000");
        Assert.True(double.Parse((string)tick.Attribute("x")!, CultureInfo.InvariantCulture) > Axis(rtl));
    }

    [Fact]
    public void Chart_NumbersFollowTheCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberGroupSeparator = "\u202F";
        culture.NumberFormat.NumberDecimalSeparator = ",";

        var svg = Draw("bars", Model(), new ChartOptions { Culture = culture }).Svg;
        var table = ChartTable.Of(Model() with { Decimals = 1 }, new ChartOptions { Culture = culture });

        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("1\u202F000", texts);
        Assert.Contains(svg.Descendants(Svg + "title"), t => t.Value == "NL, Total: 1\u202F012 (synthetic)");
        Assert.Equal("1\u202F012,0", table.Rows[0].Cells[0].Text);
    }

    [Fact]
    public void Lines_BreakAtGaps_AndMarkGapsOnTheAxis()
    {
        var model = new ChartModel
        {
            Title = "Registered victims, 2019–2023",
            Description = "One line per country.",
            CategoryAxisLabel = "Year",
            ValueAxisLabel = "Persons",
            Categories = [.. Enumerable.Range(2019, 5).Select(y => new ChartCategory(y.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture)))],
            Series =
            [
                new("NL", "NL", [ChartValue.Of(900), ChartValue.Of(950), new ChartValue(null, CellMark.WithheldShielding), ChartValue.Of(1000), new ChartValue(1012, CellMark.Noisy)]),
                new("SE", "SE", [ChartValue.Of(300), ChartValue.Of(320), ChartValue.Of(330), ChartValue.Missing, ChartValue.Missing]),
            ],
        };

        var (_, svg) = Draw("lines", model, new ChartOptions { IdPrefix = "ln" });

        var paths = svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("fill") == "none" && p.Attribute("stroke-width")?.Value == "2").ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal(2, ((string)paths[0].Attribute("d")!).Count(c => c == 'M'));
        Assert.Equal(1, ((string)paths[1].Attribute("d")!).Count(c => c == 'M'));
        Assert.NotEqual((string?)paths[0].Attribute("stroke-dasharray"), (string?)paths[1].Attribute("stroke-dasharray"));
        Assert.Equal("x", Group(svg, "NL, 2021: x (withheld (shields a small count))").Elements(Svg + "text").Single().Value);
        Assert.Equal("~", Group(svg, "NL, 2023: ~1,012 (carries deliberate noise)").Elements(Svg + "text").Single().Value);
        Assert.Equal(("url(#ln-gap)", "3 2"), ((string?)Group(svg, "SE, 2022: .. (not available)").Elements(Svg + "rect").Single().Attribute("fill"), (string?)Group(svg, "SE, 2022: .. (not available)").Elements(Svg + "rect").Single().Attribute("stroke-dasharray")));
    }

    [Fact]
    public void SmallMultiples_OnePanelPerSeries_OnASharedScale()
    {
        var (_, svg) = Draw("small-bars", Model(), new ChartOptions { IdPrefix = "sm" });

        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Equal(["NL (synthetic)", "SE", "FI", "BG"], svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("font-size") == "13" && (string?)t.Attribute("font-weight") == "bold" && (string?)t.Attribute("fill") == ChartPalette.Ink).Select(t => t.Value));
        // Every panel has the same ticks: the shared scale.
        Assert.Equal(4, texts.Count(t => t == "1,200"));
        Assert.Equal(4, svg.Descendants(Svg + "line").Count(l => (string?)l.Attribute("x1") == (string?)l.Attribute("x2")));
        Assert.Contains(texts, t => t == "Form of exploitation");
    }

    [Fact]
    public void Table_BesideTheChart_ShowsTheSameValuesAndMarks()
    {
        var model = Model();
        var options = new ChartOptions();

        var table = ChartTable.Of(model, options);
        var svg = Draw("bars", model, options).Svg;

        Assert.Equal(model.Title, table.Caption);
        Assert.Equal("Form of exploitation", table.CategoryHeader);
        Assert.Equal(["NL (synthetic)", "SE", "FI", "BG"], table.SeriesHeaders);
        Assert.Equal(["Total", "Sexual exploitation", "Forced labour or services"], table.Rows.Select(r => r.Header));
        Assert.Equal(["~212", "x", "..", ".."], table.Rows[2].Cells.Select(c => c.Text));
        Assert.Equal("withheld (small count)", table.Rows[1].Cells[1].Description);
        Assert.Null(table.Rows[1].Cells[1].Value);
        Assert.Equal(ChartText.English.SyntheticBanner, table.Notes[0]);
        Assert.Contains(CellMarks.TotalsNote, table.Notes);
        var tooltips = svg.Descendants(Svg + "title").Select(t => t.Value).ToHashSet();
        for (var r = 0; r < table.Rows.Count; r++)
        {
            for (var s = 0; s < model.Series.Count; s++)
            {
                Assert.Contains(tooltips, t => t.StartsWith($"{model.Series[s].Label}, {table.Rows[r].Header}: {table.Rows[r].Cells[s].Text}", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void ComparisonCharts_Counts_HoldOtherDimensionsAtTheirTotalAndTheLastYear()
    {
        var outcome = SampleResults.Outcome();
        var titles = new ChartTitles("t", "d", "Form of exploitation", "Persons");

        var latest = ComparisonCharts.Counts(outcome, "EXPLOIT", titles);
        var first = ComparisonCharts.Counts(outcome, "EXPLOIT", titles, new Dictionary<string, string> { ["TIME_PERIOD"] = "2022" });
        var years = ComparisonCharts.Counts(outcome, "TIME_PERIOD", titles);

        Assert.Equal(["_T", "SEX", "LAB"], latest.Categories.Select(c => c.Id));
        Assert.Equal(["Total", "Sexual exploitation", "Forced labour or services"], latest.Categories.Select(c => c.Label));
        Assert.Equal(["NL", "SE", "FI", "BG"], latest.Series.Select(s => s.Id));
        Assert.Equal([1012d, 611d, 1240d], latest.Series[0].Values.Select(v => v.Value!.Value));
        Assert.True(latest.Series[0].Synthetic);
        Assert.Equal(CellMark.Missing, latest.Series[1].Values[0].Mark);
        Assert.All(latest.Series[2].Values, v => Assert.Equal(CellMark.Missing, v.Mark));
        Assert.Equal([CellMark.None, CellMark.WithheldSmall, CellMark.WithheldShielding], first.Series[1].Values.Select(v => v.Mark));
        Assert.Equal(5, first.Series[1].Threshold);
        Assert.Equal(CellMark.Noisy, first.Series[0].Values[2].Mark);
        Assert.Equal(["2022", "2023"], years.Categories.Select(c => c.Id));
        Assert.Equal([958d, 1012d], years.Series[0].Values.Select(v => v.Value!.Value));
        Assert.Throws<ArgumentException>(() => ComparisonCharts.Counts(outcome, "SEX", titles));
    }

    [Fact]
    public void ComparisonCharts_Rates_ArePer100000_WithheldStaysWithheld_AndNoPopulationIsMissing()
    {
        var outcome = SampleResults.Outcome();
        var population = SampleResults.Population();

        var rates = PopulationRates.Compute(QueryFigures.Of(outcome), QueryFigures.Of(population));
        var model = ComparisonCharts.Rates(outcome, rates, "EXPLOIT", new ChartTitles("t", "d", "Form of exploitation", "Per 100,000 population"), new Dictionary<string, string> { ["TIME_PERIOD"] = "2022" });

        Assert.Equal(2, model.Decimals);
        Assert.Equal(958 * 100_000.0 / 17_800_000, model.Series[0].Values[0].Value!.Value, 10);
        Assert.Equal(CellMark.Noisy, model.Series[0].Values[2].Mark);
        Assert.Equal(412 * 100_000.0 / 10_500_000, model.Series[1].Values[0].Value!.Value, 10);
        Assert.Equal([CellMark.WithheldSmall, CellMark.WithheldShielding], model.Series[1].Values.Skip(1).Select(v => v.Mark));
        Assert.All(model.Series.Skip(2).SelectMany(s => s.Values), v => Assert.Equal(CellMark.Missing, v.Mark));
        Assert.Contains(rates, r => r.Count.Country == "NL" && r.Count.Year == 2023 && r.Outcome == RateOutcome.NotAvailable && r.Gap == RateGap.NoPopulation);

        var table = ChartTable.Of(model, new ChartOptions());
        Assert.Equal(["5.38", "3.92", "..", ".."], table.Rows[0].Cells.Select(c => c.Text));
        Assert.Equal(["~1.19", "x", "..", ".."], table.Rows[2].Cells.Select(c => c.Text));
    }

    [Fact]
    public void Scale_HasNiceTicks()
    {
        Assert.Equal((1000d, 200d, 0), Parts(ChartScale.For(958)));
        Assert.Equal((1400d, 200d, 0), Parts(ChartScale.For(1240)));
        Assert.Equal((0.4d, 0.1d, 1), Parts(ChartScale.For(0.37, 5, 2)));
        Assert.Equal((6d, 1d, 0), Parts(ChartScale.For(5.38, 5, 2)));
        Assert.Equal((3d, 1d, 0), Parts(ChartScale.For(3, 5, 0)));
        Assert.Equal((200_000_000d, 50_000_000d, 0), Parts(ChartScale.For(198_000_000)));
        Assert.Equal((1d, 1d, 0), Parts(ChartScale.For(0)));
        Assert.Equal([0d, 200, 400, 600, 800, 1000], ChartScale.For(958).Ticks);
    }

    private static (double, double, int) Parts(ChartScale scale) => (scale.Top, scale.Step, scale.Decimals);

    /// <summary>The sample results as a bar chart model: 2023 by form of exploitation (SE's small cells are in 2022, so moved here).</summary>
    private static ChartModel Model() => new()
    {
        Title = "Registered victims by form of exploitation, 2023",
        Description = "Victims per form of exploitation in four countries.",
        CategoryAxisLabel = "Form of exploitation",
        ValueAxisLabel = "Persons",
        Categories = [new("_T", "Total"), new("SEX", "Sexual exploitation"), new("LAB", "Forced labour or services")],
        Series =
        [
            new("NL", "NL", [ChartValue.Of(1012), ChartValue.Of(611), new ChartValue(212, CellMark.Noisy)]) { Synthetic = true, Threshold = 5 },
            new("SE", "SE", [ChartValue.Of(412), new ChartValue(null, CellMark.WithheldSmall), new ChartValue(null, CellMark.WithheldShielding)]) { Threshold = 5 },
            new("FI", "FI", [ChartValue.Missing, ChartValue.Missing, ChartValue.Missing]),
            new("BG", "BG", [ChartValue.Missing, ChartValue.Missing, ChartValue.Missing]),
        ],
    };

    private (string Text, XElement Svg) Draw(string kind, ChartModel model, ChartOptions options)
    {
        var text = kind switch
        {
            "bars" => SvgCharts.Bars(model, options),
            "lines" => SvgCharts.Lines(model, options),
            "small-bars" => SvgCharts.SmallMultiples(model, options),
            _ => SvgCharts.SmallMultiples(model, options, SmallMultipleKind.Lines),
        };
        log.WriteLine(text);
        return (text, XElement.Parse(text));
    }

    private static string Fill(int series, string prefix) => ChartPalette.For(series).Pattern == "solid" ? ChartPalette.For(series).Colour : $"url(#{prefix}-p{series})";

    private static XElement Group(XElement svg, string tooltip) =>
        svg.Descendants(Svg + "g").SingleOrDefault(g => g.Element(Svg + "title")?.Value == tooltip)
            ?? throw new Xunit.Sdk.XunitException($"No group titled '{tooltip}'; groups: {string.Join(" | ", svg.Descendants(Svg + "g").Select(g => g.Element(Svg + "title")?.Value))}");

    private static double Height(XElement rect) => double.Parse((string)rect.Attribute("height")!, CultureInfo.InvariantCulture);

    private static double Width(XElement rect) => double.Parse((string)rect.Attribute("width")!, CultureInfo.InvariantCulture);
}
