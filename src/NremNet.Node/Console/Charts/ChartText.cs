using System.Globalization;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Console.Charts;

/// <summary>
/// The words a chart and its table use for markings and notes, in one language. <see cref="English"/> is the default;
/// the console passes its own, read from its resources, so no word is fixed here.
/// </summary>
public sealed record ChartText
{
    /// <summary>What a value withheld because it is small is called, e.g. "withheld (small count)".</summary>
    public required string WithheldSmall { get; init; }

    /// <summary>What a value withheld to shield a small one is called.</summary>
    public required string WithheldShielding { get; init; }

    /// <summary>What a missing or unavailable value is called.</summary>
    public required string Missing { get; init; }

    /// <summary>What a value with deliberate noise is called.</summary>
    public required string Noisy { get; init; }

    /// <summary>What an estimated value is called.</summary>
    public required string Estimated { get; init; }

    /// <summary>What a provisional value is called.</summary>
    public required string Provisional { get; init; }

    /// <summary>The label of synthetic figures on a series, e.g. "synthetic".</summary>
    public required string SyntheticSeries { get; init; }

    /// <summary>The banner over a chart with synthetic figures.</summary>
    public required string SyntheticBanner { get; init; }

    /// <summary>The note under a chart with withheld values.</summary>
    public required string TotalsNote { get; init; }

    /// <summary>The legend entry of the withheld marker.</summary>
    public required string WithheldLegend { get; init; }

    /// <summary>The legend entry of the missing marker.</summary>
    public required string MissingLegend { get; init; }

    /// <summary>The legend entry of the noisy mark.</summary>
    public required string NoisyLegend { get; init; }

    /// <summary>English.</summary>
    public static ChartText English { get; } = new()
    {
        WithheldSmall = "withheld (small count)",
        WithheldShielding = "withheld (shields a small count)",
        Missing = "not available",
        Noisy = "carries deliberate noise",
        Estimated = "estimated",
        Provisional = "provisional",
        SyntheticSeries = "synthetic",
        SyntheticBanner = "SYNTHETIC DATA — invented figures, not real cases",
        TotalsNote = CellMarks.TotalsNote,
        WithheldLegend = "withheld",
        MissingLegend = "not available",
        NoisyLegend = "noisy value",
    };

    /// <summary>The words for a value's markings, joined by "; " (empty for a plain value).</summary>
    public string Describe(CellMark mark)
    {
        var words = new List<string>();
        if ((mark & CellMark.WithheldSmall) != 0)
        {
            words.Add(WithheldSmall);
        }
        else if ((mark & CellMark.WithheldShielding) != 0)
        {
            words.Add(WithheldShielding);
        }
        else if ((mark & CellMark.Missing) != 0)
        {
            words.Add(Missing);
        }

        if ((mark & CellMark.Noisy) != 0)
        {
            words.Add(Noisy);
        }

        if ((mark & CellMark.Estimated) != 0)
        {
            words.Add(Estimated);
        }

        if ((mark & CellMark.Provisional) != 0)
        {
            words.Add(Provisional);
        }

        if ((mark & CellMark.Synthetic) != 0)
        {
            words.Add(SyntheticSeries);
        }

        return string.Join("; ", words);
    }
}

/// <summary>How a chart is drawn.</summary>
public sealed record ChartOptions
{
    /// <summary>The culture numbers are formatted in (tick labels, values).</summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>Right to left (Arabic): the category axis runs from the right, the value axis stands on the right.</summary>
    public bool RightToLeft { get; init; }

    /// <summary>The width in user units (pixels).</summary>
    public int Width { get; init; } = 720;

    /// <summary>The height of the plot area and its axes, in user units; title, legend and notes add to it.</summary>
    public int PlotHeight { get; init; } = 280;

    /// <summary>
    /// The prefix of every id in the SVG (title, description, patterns): distinct for each chart of a page, since ids
    /// of inline SVGs share the page's id space. Letters, digits, '-' and '_'; anything else is replaced.
    /// </summary>
    public string IdPrefix { get; init; } = "chart";

    /// <summary>The words of markings and notes.</summary>
    public ChartText Text { get; init; } = ChartText.English;

    /// <summary>A number as the culture writes it, with the given decimals.</summary>
    public string Format(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);
}
