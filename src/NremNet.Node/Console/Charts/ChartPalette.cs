using System.Globalization;

namespace NremNet.Node.Console.Charts;

/// <summary>How one series is drawn: a colour, a fill pattern over it, a marker shape and a line dash.</summary>
/// <param name="Colour">The fill colour, <c>#rrggbb</c>: contrast at least 3:1 with the white background.</param>
/// <param name="Pattern">The name of its fill pattern: solid, diagonal, dots, horizontal, vertical, crosshatch, back-diagonal or grid.</param>
/// <param name="Marker">The marker of its points in line charts: circle, square, triangle, diamond, …</param>
/// <param name="Dash">The stroke-dasharray of its line, empty for a solid line.</param>
public sealed record SeriesStyle(string Colour, string Pattern, string Marker, string Dash);

/// <summary>
/// The colours and patterns of series: the Okabe–Ito palette (safe for the common colour-vision deficiencies), the
/// light ones darkened so that every colour has a contrast of at least 3:1 with white, each paired with a distinct
/// fill pattern and marker so that no series is told apart by colour alone. After eight series the patterns repeat
/// with the next colour.
/// </summary>
public static class ChartPalette
{
    /// <summary>The colours, in order.</summary>
    public static readonly IReadOnlyList<string> Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9A6A00", "#000000", "#882255", "#5A5A5A"];

    /// <summary>The patterns, in order.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["solid", "diagonal", "dots", "horizontal", "vertical", "crosshatch", "back-diagonal", "grid"];

    /// <summary>The markers of line charts, in order.</summary>
    public static readonly IReadOnlyList<string> Markers = ["circle", "square", "triangle", "diamond", "triangle-down", "cross", "circle", "square"];

    /// <summary>The line dashes of line charts, in order.</summary>
    public static readonly IReadOnlyList<string> Dashes = [string.Empty, "6 3", "2 3", "8 3 2 3", string.Empty, "6 3", "2 3", "8 3 2 3"];

    /// <summary>The colour of text, axes and outlines.</summary>
    public const string Ink = "#1a1a1a";

    /// <summary>The colour of secondary text (notes, tick labels): 4.5:1 or more on white.</summary>
    public const string Muted = "#4d4d4d";

    /// <summary>The colour of grid lines (decoration only).</summary>
    public const string Grid = "#d9d9d9";

    /// <summary>The colour of the hatch of withheld and missing markers: 4.5:1 on white.</summary>
    public const string Hatch = "#767676";

    /// <summary>The colour of the synthetic banner: dark red, 4.5:1 or more on white.</summary>
    public const string Warning = "#a4000f";

    /// <summary>The style of the series at <paramref name="index"/>.</summary>
    public static SeriesStyle For(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var round = index / Patterns.Count;
        var slot = index % Patterns.Count;
        return new SeriesStyle(Colours[(slot + round) % Colours.Count], Patterns[slot], Markers[slot], Dashes[slot]);
    }

    /// <summary>The contrast ratio of two colours <c>#rrggbb</c>, as WCAG 2.1 defines it (1 to 21).</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string colour)
    {
        double Channel(int offset)
        {
            var c = int.Parse(colour.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
    }
}
