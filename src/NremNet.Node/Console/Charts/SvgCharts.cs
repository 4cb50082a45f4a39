using System.Globalization;
using System.Text;
using System.Xml.Linq;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Console.Charts;

/// <summary>What each panel of small multiples draws.</summary>
public enum SmallMultipleKind
{
    /// <summary>Bars over the categories.</summary>
    Bars,

    /// <summary>A line over the categories (years).</summary>
    Lines,
}

/// <summary>
/// Server-rendered SVG charts of a <see cref="ChartModel"/>: grouped bars (the series side by side in each category),
/// lines over the categories (years), and small multiples (one small chart per series on a shared scale). Each is a
/// standalone SVG document that can also be placed inline in a page:
/// <list type="bullet">
/// <item><c>role="img"</c> named by its <c>&lt;title&gt;</c> and described by its <c>&lt;desc&gt;</c> through
/// <c>aria-labelledby</c>; axis labels; nice ticks; numbers formatted in the given culture;</item>
/// <item>every series a colour of at least 3:1 contrast and a distinct fill pattern (bars) or marker and dash (lines),
/// so no series is told apart by colour alone;</item>
/// <item>withheld and missing values drawn as a hatched, dashed box on the axis with their mark (<c>‹k</c>, <c>x</c>,
/// <c>..</c>), never as a zero bar; noisy values marked <c>~</c>; a banner when figures are synthetic; a note when
/// withheld values keep the parts from adding up to their totals;</item>
/// <item>right to left: the category axis runs from the right and the value axis stands on the right;</item>
/// <item>safe to embed: every text escaped by the XML writer (and cleaned of characters XML cannot hold), no script,
/// no style element or attribute (presentation attributes only, so a Content-Security-Policy without inline styles
/// holds), no reference outside the document, ids prefixed so several charts can share a page;</item>
/// <item>deterministic: the same model and options give the same text.</item>
/// </list>
/// </summary>
public static class SvgCharts
{
    /// <summary>The SVG namespace.</summary>
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>A grouped bar chart: in each category, one bar per series side by side.</summary>
    public static string Bars(ChartModel model, ChartOptions options)
    {
        var canvas = Canvas.Start(model, options, Legend.Patterns);
        var plot = canvas.Plot(model.Max, options.PlotHeight);
        var group = plot.Width / Math.Max(1, model.Categories.Count);
        var bar = group * 0.8 / Math.Max(1, model.Series.Count);
        for (var c = 0; c < model.Categories.Count; c++)
        {
            for (var s = 0; s < model.Series.Count; s++)
            {
                canvas.Bar(plot, model.Series[s], s, c, plot.Left + (c * group) + (group * 0.1) + (s * bar), bar);
            }
        }

        canvas.CategoryLabels(plot, model.Categories, group);
        return canvas.Finish(plot.Bottom + 40);
    }

    /// <summary>A line chart: one line per series over the categories (years), broken where a value is withheld or missing.</summary>
    public static string Lines(ChartModel model, ChartOptions options)
    {
        var canvas = Canvas.Start(model, options, Legend.Lines);
        var plot = canvas.Plot(model.Max, options.PlotHeight);
        var step = plot.Width / Math.Max(1, model.Categories.Count);
        for (var s = 0; s < model.Series.Count; s++)
        {
            canvas.Line(plot, model.Series[s], s, step, spread: model.Series.Count);
        }

        canvas.CategoryLabels(plot, model.Categories, step);
        return canvas.Finish(plot.Bottom + 40);
    }

    /// <summary>Small multiples: one small chart per series, all on the same value scale, in rows of up to three.</summary>
    public static string SmallMultiples(ChartModel model, ChartOptions options, SmallMultipleKind kind = SmallMultipleKind.Bars)
    {
        var canvas = Canvas.Start(model, options, Legend.MarksOnly);
        var columns = Math.Max(1, Math.Min(model.Series.Count, options.Width < 540 ? 2 : 3));
        const double Gap = 24;
        var panelWidth = (options.Width - (2 * Canvas.Margin) - ((columns - 1) * Gap)) / columns;
        var panelHeight = Math.Max(100, options.PlotHeight / 2);
        var top = canvas.Y;
        var max = model.Max;
        var bottom = top;
        for (var s = 0; s < model.Series.Count; s++)
        {
            var (row, column) = (s / columns, s % columns);
            var left = Canvas.Margin + (column * (panelWidth + Gap));
            var panelTop = top + (row * (panelHeight + 80));
            var series = model.Series[s];
            canvas.Text(left, panelTop + 14, canvas.SeriesLabel(series), anchor: "start", size: 13, bold: true);
            var plot = canvas.Panel(max, left, panelTop + 26, panelWidth, panelHeight);
            var step = plot.Width / Math.Max(1, model.Categories.Count);
            if (kind == SmallMultipleKind.Lines)
            {
                canvas.Line(plot, series, s, step, spread: 1);
            }
            else
            {
                for (var c = 0; c < model.Categories.Count; c++)
                {
                    canvas.Bar(plot, series, s, c, plot.Left + (c * step) + (step * 0.15), step * 0.7);
                }
            }

            canvas.CategoryLabels(plot, model.Categories, step, axisLabel: false);
            bottom = Math.Max(bottom, plot.Bottom + 24);
        }

        canvas.Text(options.Width / 2.0, bottom + 16, model.CategoryAxisLabel, anchor: "middle", size: 12);
        return canvas.Finish(bottom + 24);
    }

    /// <summary>What the legend shows of the series.</summary>
    private enum Legend
    {
        /// <summary>Only the marks (the series are named over their panels).</summary>
        MarksOnly,

        /// <summary>Each series' fill pattern.</summary>
        Patterns,

        /// <summary>Each series' line and marker.</summary>
        Lines,
    }

    /// <summary>The area values are drawn in, and the scale they are drawn to.</summary>
    private sealed record PlotArea(double Left, double Top, double Width, double Height, ChartScale Scale)
    {
        public double Bottom => Top + Height;

        public double YOf(double value) => Bottom - (Height * Math.Clamp(value / Scale.Top, 0, 1));
    }

    /// <summary>Builds one SVG document: header, defs, title, banner, legend, plot, notes.</summary>
    private sealed class Canvas
    {
        public const double Margin = 16;
        private const double CharWidth = 6.6;
        private const double MarkerBox = 14;
        private const double GapHeight = 7;

        private readonly ChartModel _model;
        private readonly ChartOptions _options;
        private readonly string _prefix;
        private readonly XElement _body = new(Svg + "g");
        private readonly XElement _defs = new(Svg + "defs");
        private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);

        private Canvas(ChartModel model, ChartOptions options)
        {
            _model = model;
            _options = options;
            _prefix = Prefix(options.IdPrefix);
        }

        /// <summary>The next free vertical position.</summary>
        public double Y { get; private set; } = Margin;

        private ChartText Words => _options.Text;

        public static Canvas Start(ChartModel model, ChartOptions options, Legend legend)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(options);
            model.Check();
            ArgumentOutOfRangeException.ThrowIfLessThan(options.Width, 200);
            ArgumentOutOfRangeException.ThrowIfLessThan(options.PlotHeight, 80);
            var canvas = new Canvas(model, options);
            canvas.Header(legend);
            return canvas;
        }

        public string SeriesLabel(ChartSeries series) => series.Synthetic ? $"{series.Label} ({Words.SyntheticSeries})" : series.Label;

        private void Header(Legend legend)
        {
            Text(Margin, Y + 16, _model.Title, anchor: "start", size: 16, bold: true);
            Y += 26;
            if (_model.Synthetic)
            {
                Text(Margin, Y + 14, Words.SyntheticBanner, anchor: "start", size: 13, bold: true, fill: ChartPalette.Warning);
                Y += 22;
            }

            // The legend: series swatches (bars: their pattern; lines: their marker and dash), then the marks used.
            var items = new List<(Action<double, double> Draw, string Label)>();
            for (var s = 0; s < _model.Series.Count && legend != Legend.MarksOnly; s++)
            {
                var index = s;
                items.Add(((x, y) => Swatch(x, y, index, legend == Legend.Lines), SeriesLabel(_model.Series[s])));
            }

            var values = _model.Series.SelectMany(s => s.Values).ToList();
            if (values.Any(v => v.Withheld))
            {
                items.Add(((x, y) => EmptyBox(x, y, MarkerBox, MarkerBox), Words.WithheldLegend + " (‹k, x)"));
            }

            if (values.Any(v => !v.Withheld && !v.Drawn))
            {
                items.Add(((x, y) => EmptyBox(x, y, MarkerBox, MarkerBox), Words.MissingLegend + " (" + CellMarks.Missing + ")"));
            }

            if (values.Any(v => v.Drawn && (v.Mark & CellMark.Noisy) != 0))
            {
                items.Add(((x, y) => Text(x + (MarkerBox / 2), y + 12, CellMarks.Noisy, anchor: "middle", size: 14, bold: true), Words.NoisyLegend + " (" + CellMarks.Noisy + ")"));
            }

            var x = Margin;
            var width = _options.Width - (2 * Margin);
            foreach (var (draw, label) in items)
            {
                var itemWidth = MarkerBox + 6 + Math.Min(TextWidth(label, 12), width - MarkerBox - 6) + 18;
                if (x > Margin && x + itemWidth > Margin + width)
                {
                    x = Margin;
                    Y += 20;
                }

                draw(x, Y);
                Text(x + MarkerBox + 6, Y + 11.5, Fit(label, width - MarkerBox - 6, 12), anchor: "start", size: 12);
                x += itemWidth;
            }

            if (items.Count > 0)
            {
                Y += 24;
            }
        }

        public PlotArea Plot(double max, int height)
        {
            var scale = ChartScale.For(max, 5, _model.Decimals);
            var widest = scale.Ticks.Select(t => TextWidth(_options.Format(t, scale.Decimals), 11)).Max();
            var left = Margin + 22 + widest + 6;
            var plot = new PlotArea(left, Y + 16, _options.Width - Margin - 8 - left, height, scale);
            Axes(plot, tickLabels: true);
            var middle = plot.Top + (plot.Height / 2);
            var x = X(Margin + 8);
            _body.Add(TextElement(x, middle, _model.ValueAxisLabel, "middle", 12, bold: false, ChartPalette.Ink,
                new XAttribute("transform", FormattableString.Invariant($"rotate(-90 {N(x)} {N(middle)})"))));
            return plot;
        }

        public PlotArea Panel(double max, double left, double top, double width, double height)
        {
            var scale = ChartScale.For(max, 4, _model.Decimals);
            var widest = scale.Ticks.Select(t => TextWidth(_options.Format(t, scale.Decimals), 11)).Max();
            var plot = new PlotArea(left + widest + 6, top, width - widest - 6, height, scale);
            Axes(plot, tickLabels: true);
            return plot;
        }

        private void Axes(PlotArea plot, bool tickLabels)
        {
            foreach (var tick in plot.Scale.Ticks)
            {
                var y = plot.YOf(tick);
                _body.Add(LineElement(plot.Left, y, plot.Left + plot.Width, y, tick == 0 ? ChartPalette.Ink : ChartPalette.Grid, tick == 0 ? 1.5 : 1));
                if (tickLabels)
                {
                    _body.Add(TextElement(X(plot.Left - 6), y + 4, _options.Format(tick, plot.Scale.Decimals), "end", 11, bold: false, ChartPalette.Muted));
                }
            }

            _body.Add(LineElement(plot.Left, plot.Top, plot.Left, plot.Bottom, ChartPalette.Ink, 1));
        }

        public void CategoryLabels(PlotArea plot, IReadOnlyList<ChartCategory> categories, double step, bool axisLabel = true)
        {
            for (var c = 0; c < categories.Count; c++)
            {
                var label = categories[c].Label;
                var fitted = Fit(label, step - 4, 11);
                var text = TextElement(X(plot.Left + ((c + 0.5) * step)), plot.Bottom + 16, fitted, "middle", 11, bold: false, ChartPalette.Ink);
                if (fitted != label)
                {
                    text.AddFirst(new XElement(Svg + "title", XmlText.Clean(label)));
                }

                _body.Add(text);
            }

            if (axisLabel)
            {
                _body.Add(TextElement(X(plot.Left + (plot.Width / 2)), plot.Bottom + 36, _model.CategoryAxisLabel, "middle", 12, bold: false, ChartPalette.Ink));
            }
        }

        /// <summary>One bar, or the marker of a value that has none, with its name and value as a tooltip.</summary>
        public void Bar(PlotArea plot, ChartSeries series, int seriesIndex, int category, double left, double width)
        {
            var value = series.Values[category];
            var group = new XElement(Svg + "g", new XElement(Svg + "title", XmlText.Clean(Tooltip(series, category))));
            var centre = left + (width / 2);
            if (value.Drawn)
            {
                var top = plot.YOf(value.Value!.Value);
                var rect = RectElement(left, top, width, plot.Bottom - top, Fill(seriesIndex), ChartPalette.Ink, 1);
                if ((value.Mark & CellMark.Noisy) != 0)
                {
                    rect.Add(new XAttribute("stroke-dasharray", "4 2"));
                }

                group.Add(rect);
                var shown = CellMarks.Text(_options.Format(value.Value.Value, _model.Decimals), value.Mark, series.Threshold);
                if (width >= TextWidth(shown, 10) + 2)
                {
                    group.Add(TextElement(X(centre), top - 4, shown, "middle", 10, bold: false, ChartPalette.Ink));
                }
                else if ((value.Mark & CellMark.Noisy) != 0)
                {
                    group.Add(TextElement(X(centre), top - 4, CellMarks.Noisy, "middle", 12, bold: true, ChartPalette.Ink));
                }
            }
            else
            {
                // A flat hatched strip on the axis, too low to pass for a bar, with the mark over it.
                var box = Math.Max(4, Math.Min(width * 0.8, MarkerBox + 4));
                group.Add(MarkerBoxElement(centre - (box / 2), plot.Bottom - GapHeight, box, GapHeight));
                group.Add(TextElement(X(centre), plot.Bottom - GapHeight - 4, CellMarks.Text(null, value.Mark, series.Threshold), "middle", 10, bold: false, ChartPalette.Ink));
            }

            _body.Add(group);
        }

        /// <summary>One series as a line broken at gaps, its points as markers, its gaps as boxes on the axis.</summary>
        public void Line(PlotArea plot, ChartSeries series, int seriesIndex, double step, int spread)
        {
            var style = ChartPalette.For(seriesIndex);
            var path = new StringBuilder();
            var open = false;
            for (var c = 0; c < series.Values.Count; c++)
            {
                var value = series.Values[c];
                if (!value.Drawn)
                {
                    open = false;
                    continue;
                }

                path.Append(open ? " L" : (path.Length > 0 ? " M" : "M")).Append(N(X(plot.Left + ((c + 0.5) * step)))).Append(' ').Append(N(plot.YOf(value.Value!.Value)));
                open = true;
            }

            if (path.Length > 0)
            {
                var line = new XElement(Svg + "path", new XAttribute("d", path.ToString()), new XAttribute("fill", "none"), new XAttribute("stroke", style.Colour), new XAttribute("stroke-width", "2"));
                if (style.Dash.Length > 0)
                {
                    line.Add(new XAttribute("stroke-dasharray", style.Dash));
                }

                _body.Add(line);
            }

            for (var c = 0; c < series.Values.Count; c++)
            {
                var value = series.Values[c];
                var group = new XElement(Svg + "g", new XElement(Svg + "title", XmlText.Clean(Tooltip(series, c))));
                var centre = plot.Left + ((c + 0.5) * step);
                if (value.Drawn)
                {
                    var y = plot.YOf(value.Value!.Value);
                    var noisy = (value.Mark & CellMark.Noisy) != 0;
                    group.Add(Marker(style, X(centre), y, noisy ? "#ffffff" : style.Colour));
                    if (noisy)
                    {
                        group.Add(TextElement(X(centre), y - 8, CellMarks.Noisy, "middle", 12, bold: true, ChartPalette.Ink));
                    }
                }
                else
                {
                    // Gaps of several series at one point sit side by side rather than on top of each other.
                    const double Box = 10;
                    var offset = spread <= 1 ? 0 : (seriesIndex - ((spread - 1) / 2.0)) * (Box + 2);
                    var x = centre + offset;
                    group.Add(MarkerBoxElement(x - (Box / 2), plot.Bottom - GapHeight, Box, GapHeight));
                    group.Add(TextElement(X(x), plot.Bottom - GapHeight - 3, CellMarks.Text(null, value.Mark, series.Threshold), "middle", 9, bold: false, ChartPalette.Ink));
                }

                _body.Add(group);
            }
        }

        public void Text(double x, double y, string text, string anchor, double size, bool bold = false, string fill = ChartPalette.Ink) =>
            _body.Add(TextElement(X(x), y, text, anchor, size, bold, fill));

        public string Finish(double bottom)
        {
            var notes = new List<string>();
            if (_model.AnyWithheld)
            {
                notes.Add(Words.TotalsNote);
            }

            notes.AddRange(_model.Notes);
            var y = bottom + 8;
            var width = _options.Width - (2 * Margin);
            foreach (var note in notes)
            {
                foreach (var line in Wrap(XmlText.Clean(note), width, 11))
                {
                    y += 15;
                    _body.Add(TextElement(X(Margin), y, line, "start", 11, bold: false, ChartPalette.Muted));
                }
            }

            var height = (int)Math.Ceiling(y + Margin);
            var description = string.Join(' ', new[] { _model.Description, _model.Synthetic ? Words.SyntheticBanner : null }.Concat(notes).Where(t => !string.IsNullOrWhiteSpace(t)));
            var svg = new XElement(
                Svg + "svg",
                new XAttribute("viewBox", FormattableString.Invariant($"0 0 {_options.Width} {height}")),
                new XAttribute("width", _options.Width.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("height", height.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("role", "img"),
                new XAttribute("aria-labelledby", $"{_prefix}-title {_prefix}-desc"),
                new XAttribute("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif"),
                new XAttribute("font-size", "12"));
            if (_options.RightToLeft)
            {
                svg.Add(new XAttribute("direction", "rtl"));
            }

            svg.Add(
                new XElement(Svg + "title", new XAttribute("id", $"{_prefix}-title"), XmlText.Clean(_model.Title)),
                new XElement(Svg + "desc", new XAttribute("id", $"{_prefix}-desc"), XmlText.Clean(description)),
                _defs,
                new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
                _body);
            return svg.ToString(SaveOptions.DisableFormatting);
        }

        private string Tooltip(ChartSeries series, int category)
        {
            var value = series.Values[category];
            var shown = CellMarks.Text(value.Value is { } v ? _options.Format(v, _model.Decimals) : null, value.Mark, series.Threshold);
            var words = Words.Describe(value.Mark | (series.Synthetic ? CellMark.Synthetic : CellMark.None));
            return $"{series.Label}, {_model.Categories[category].Label}: {shown}" + (words.Length > 0 ? $" ({words})" : string.Empty);
        }

        private void Swatch(double x, double y, int seriesIndex, bool line)
        {
            if (!line)
            {
                _body.Add(RectElement(x, y, MarkerBox, MarkerBox, Fill(seriesIndex), ChartPalette.Ink, 1));
                return;
            }

            var style = ChartPalette.For(seriesIndex);
            var stroke = LineElement(x - 4, y + (MarkerBox / 2), x + MarkerBox + 4, y + (MarkerBox / 2), style.Colour, 2);
            if (style.Dash.Length > 0)
            {
                stroke.Add(new XAttribute("stroke-dasharray", style.Dash));
            }

            _body.Add(stroke);
            _body.Add(Marker(style, X(x + (MarkerBox / 2)), y + (MarkerBox / 2), style.Colour));
        }

        private void EmptyBox(double x, double y, double width, double height) => _body.Add(MarkerBoxElement(x, y, width, height));

        private XElement MarkerBoxElement(double x, double y, double width, double height)
        {
            var rect = RectElement(x, y, width, height, $"url(#{HatchId()})", ChartPalette.Muted, 1);
            rect.Add(new XAttribute("stroke-dasharray", "3 2"));
            return rect;
        }

        private XElement Marker(SeriesStyle style, double x, double y, string fill)
        {
            const double R = 4.5;
            XElement shape = style.Marker switch
            {
                "square" => new XElement(Svg + "rect", Attr("x", x - R), Attr("y", y - R), Attr("width", 2 * R), Attr("height", 2 * R)),
                "triangle" => new XElement(Svg + "path", new XAttribute("d", $"M{N(x)} {N(y - R - 1)} L{N(x + R + 1)} {N(y + R)} L{N(x - R - 1)} {N(y + R)} Z")),
                "triangle-down" => new XElement(Svg + "path", new XAttribute("d", $"M{N(x)} {N(y + R + 1)} L{N(x + R + 1)} {N(y - R)} L{N(x - R - 1)} {N(y - R)} Z")),
                "diamond" => new XElement(Svg + "path", new XAttribute("d", $"M{N(x)} {N(y - R - 1)} L{N(x + R + 1)} {N(y)} L{N(x)} {N(y + R + 1)} L{N(x - R - 1)} {N(y)} Z")),
                "cross" => new XElement(Svg + "path", new XAttribute("d", $"M{N(x - R)} {N(y - R)} L{N(x + R)} {N(y + R)} M{N(x + R)} {N(y - R)} L{N(x - R)} {N(y + R)}")),
                _ => new XElement(Svg + "circle", Attr("cx", x), Attr("cy", y), Attr("r", R)),
            };
            shape.Add(new XAttribute("fill", style.Marker == "cross" ? "none" : fill), new XAttribute("stroke", style.Marker == "cross" ? style.Colour : ChartPalette.Ink), new XAttribute("stroke-width", style.Marker == "cross" ? "2.5" : "1"));
            return shape;
        }

        /// <summary>The fill of a series: its pattern (defined once), or its colour when solid.</summary>
        private string Fill(int seriesIndex)
        {
            var style = ChartPalette.For(seriesIndex);
            if (style.Pattern == "solid")
            {
                return style.Colour;
            }

            var id = FormattableString.Invariant($"{_prefix}-p{seriesIndex}");
            if (_patterns.Add(id))
            {
                var texture = style.Pattern switch
                {
                    "diagonal" => "M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6",
                    "back-diagonal" => "M-2 6 L2 10 M0 0 L8 8 M6 -2 L10 2",
                    "horizontal" => "M0 4 L8 4",
                    "vertical" => "M4 0 L4 8",
                    "crosshatch" => "M0 0 L8 8 M8 0 L0 8",
                    "grid" => "M0 4 L8 4 M4 0 L4 8",
                    _ => string.Empty,
                };
                var pattern = new XElement(
                    Svg + "pattern",
                    new XAttribute("id", id),
                    new XAttribute("patternUnits", "userSpaceOnUse"),
                    new XAttribute("width", "8"),
                    new XAttribute("height", "8"),
                    new XElement(Svg + "rect", new XAttribute("width", "8"), new XAttribute("height", "8"), new XAttribute("fill", style.Colour)));
                pattern.Add(style.Pattern == "dots"
                    ? new XElement(Svg + "circle", new XAttribute("cx", "4"), new XAttribute("cy", "4"), new XAttribute("r", "1.6"), new XAttribute("fill", "#ffffff"))
                    : new XElement(Svg + "path", new XAttribute("d", texture), new XAttribute("stroke", "#ffffff"), new XAttribute("stroke-width", "1.5")));
                _defs.Add(pattern);
            }

            return $"url(#{id})";
        }

        private string HatchId()
        {
            var id = $"{_prefix}-gap";
            if (_patterns.Add(id))
            {
                _defs.Add(new XElement(
                    Svg + "pattern",
                    new XAttribute("id", id),
                    new XAttribute("patternUnits", "userSpaceOnUse"),
                    new XAttribute("width", "6"),
                    new XAttribute("height", "6"),
                    new XElement(Svg + "rect", new XAttribute("width", "6"), new XAttribute("height", "6"), new XAttribute("fill", "#ffffff")),
                    new XElement(Svg + "path", new XAttribute("d", "M-1 1 L1 -1 M0 6 L6 0 M5 7 L7 5"), new XAttribute("stroke", ChartPalette.Hatch), new XAttribute("stroke-width", "1"))));
            }

            return id;
        }

        /// <summary>A horizontal position, mirrored when the chart runs right to left.</summary>
        private double X(double x) => _options.RightToLeft ? _options.Width - x : x;

        private XElement RectElement(double x, double y, double width, double height, string fill, string stroke, double strokeWidth)
        {
            var left = _options.RightToLeft ? _options.Width - x - width : x;
            return new XElement(
                Svg + "rect",
                Attr("x", left),
                Attr("y", y),
                Attr("width", Math.Max(0, width)),
                Attr("height", Math.Max(0, height)),
                new XAttribute("fill", fill),
                new XAttribute("stroke", stroke),
                new XAttribute("stroke-width", N(strokeWidth)));
        }

        private XElement LineElement(double x1, double y1, double x2, double y2, string stroke, double width) =>
            new(Svg + "line", Attr("x1", X(x1)), Attr("y1", y1), Attr("x2", X(x2)), Attr("y2", y2), new XAttribute("stroke", stroke), new XAttribute("stroke-width", N(width)));

        /// <summary>A text at an already mirrored position; with <c>direction="rtl"</c> on the root, start and end follow the reading direction.</summary>
        private static XElement TextElement(double x, double y, string text, string anchor, double size, bool bold, string fill, params object[] more)
        {
            var element = new XElement(Svg + "text", Attr("x", x), Attr("y", y), new XAttribute("text-anchor", anchor), new XAttribute("font-size", N(size)), new XAttribute("fill", fill));
            if (bold)
            {
                element.Add(new XAttribute("font-weight", "bold"));
            }

            element.Add(more);
            element.Add(XmlText.Clean(text));
            return element;
        }

        private static XAttribute Attr(string name, double value) => new(name, N(value));

        private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

        private static double TextWidth(string text, double size) => text.Length * CharWidth * size / 12;

        private static string Fit(string text, double width, double size)
        {
            var max = (int)Math.Floor(width / (CharWidth * size / 12));
            return text.Length <= max ? text : max <= 1 ? "…" : text[..(max - 1)].TrimEnd() + "…";
        }

        private static IEnumerable<string> Wrap(string text, double width, double size)
        {
            var max = Math.Max(10, (int)Math.Floor(width / (CharWidth * size / 12)));
            var line = new StringBuilder();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > max)
                {
                    yield return line.ToString();
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
            }

            if (line.Length > 0)
            {
                yield return line.ToString();
            }
        }

        private static string Prefix(string prefix)
        {
            var clean = new string([.. (prefix ?? string.Empty).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
            return clean.Length > 0 && char.IsAsciiLetter(clean[0]) ? clean : "c" + clean;
        }
    }
}
