using NremNet.Contracts.Aggregates.V1;
using ConfidentialityStatus = NremNet.Contracts.Aggregates.V1.ConfidentialityStatus;
using ObservationStatus = NremNet.Contracts.Aggregates.V1.ObservationStatus;

namespace NremNet.Node.Statistics.Exports;

/// <summary>The kinds of marking a released cell can carry, as flags.</summary>
[Flags]
public enum CellMark
{
    /// <summary>A normal value.</summary>
    None = 0,

    /// <summary>Withheld because the count is small (primary suppression, CONF_STATUS C).</summary>
    WithheldSmall = 1,

    /// <summary>Withheld to shield a small cell (secondary suppression, CONF_STATUS D), or withheld at publication.</summary>
    WithheldShielding = 2,

    /// <summary>Not available: OBS_STATUS O, or no cell at all.</summary>
    Missing = 4,

    /// <summary>The value carries deliberate noise (cell-key perturbation or differential privacy).</summary>
    Noisy = 8,

    /// <summary>Estimated (OBS_STATUS E).</summary>
    Estimated = 16,

    /// <summary>Provisional (OBS_STATUS P).</summary>
    Provisional = 32,

    /// <summary>The country's figures are synthetic.</summary>
    Synthetic = 64,

    /// <summary>Either kind of withheld.</summary>
    Withheld = WithheldSmall | WithheldShielding,
}

/// <summary>
/// How a released cell is shown to people, the same in the command line's table, the console's tables and charts and
/// the XLSX export: withheld cells <c>‹k</c> (small: primary, C) or <c>x</c> (shielding: secondary, D), missing ones
/// <c>..</c>, a noisy value with a leading <c>~</c>, estimated and provisional ones with a trailing <c>e</c> or <c>p</c>.
/// </summary>
public static class CellMarks
{
    /// <summary>What a missing value shows.</summary>
    public const string Missing = "..";

    /// <summary>What a cell withheld to shield a small one (secondary, D) shows.</summary>
    public const string Shielding = "x";

    /// <summary>What marks a value that carries deliberate noise.</summary>
    public const string Noisy = "~";

    /// <summary>What marks an estimated value.</summary>
    public const string Estimated = "e";

    /// <summary>What marks a provisional value.</summary>
    public const string Provisional = "p";

    /// <summary>The note that goes with figures of which some are withheld or missing.</summary>
    public const string TotalsNote = "Where cells are withheld or missing, the cells shown do not add up to their totals.";

    /// <summary>What a cell withheld as small shows: <c>‹k</c>.</summary>
    public static string Small(int threshold) => threshold > 0 ? "‹" + StatisticsText.Number(threshold) : "‹k";

    /// <summary>The markings of a cell (null: no such cell, so missing).</summary>
    public static CellMark Of(Cell? cell)
    {
        if (cell is null)
        {
            return CellMark.Missing;
        }

        if (cell.HasValue)
        {
            var mark = cell.Noisy ? CellMark.Noisy : CellMark.None;
            return cell.ObservationStatus switch
            {
                ObservationStatus.Estimated => mark | CellMark.Estimated,
                ObservationStatus.Provisional => mark | CellMark.Provisional,
                _ => mark,
            };
        }

        return cell.ConfidentialityStatus switch
        {
            ConfidentialityStatus.Primary => CellMark.WithheldSmall,
            ConfidentialityStatus.Secondary => CellMark.WithheldShielding,
            _ when cell.ObservationStatus == ObservationStatus.Withheld => CellMark.WithheldShielding,
            _ => CellMark.Missing,
        };
    }

    /// <summary>What one cell shows: the value (with <c>~</c> when noisy, <c>e</c>/<c>p</c> when estimated or provisional), or why there is none.</summary>
    public static string Text(Cell? cell, int threshold) =>
        Text(cell is not null && cell.HasValue ? StatisticsText.Number(cell.Value) : null, Of(cell), threshold);

    /// <summary>What a value shows, already formatted (null when there is none), with its markings.</summary>
    public static string Text(string? formatted, CellMark mark, int threshold)
    {
        if ((mark & CellMark.WithheldSmall) != 0)
        {
            return Small(threshold);
        }

        if ((mark & CellMark.WithheldShielding) != 0)
        {
            return Shielding;
        }

        if (formatted is null || (mark & CellMark.Missing) != 0)
        {
            return Missing;
        }

        var text = ((mark & CellMark.Noisy) != 0 ? Noisy : string.Empty) + formatted;
        return (mark & CellMark.Estimated) != 0 ? text + Estimated
            : (mark & CellMark.Provisional) != 0 ? text + Provisional
            : text;
    }

    /// <summary>The legend of the marks, in English: one line for the withheld, one for the rest.</summary>
    public static string Legend(IReadOnlyCollection<int> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var small = thresholds.Count == 1 ? Small(thresholds.First()) : "‹k";
        return $"{small} withheld: below the threshold (primary, C) · {Shielding} withheld to shield a small cell (secondary, D)\n"
            + $"{Missing} not available · {Noisy} value carries deliberate noise · {Estimated} estimated · {Provisional} provisional";
    }
}
