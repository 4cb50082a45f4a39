using NremNet.Domain.Statistics.Aggregation;

namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>A cell of a node's release set, with its true value, before protection.</summary>
/// <param name="Indicator">The indicator id.</param>
/// <param name="Year">TIME_PERIOD.</param>
/// <param name="Cell">The cell's codes.</param>
/// <param name="Value">The true value; null when not known.</param>
/// <param name="Status">OBS_STATUS of the value (A, or as published: O, Q, E, P).</param>
/// <param name="FromCaseRecords">Whether it was computed from the node's case records (else published statistics).</param>
/// <param name="CellKey">The cell key for consistent perturbation: the sum of the record keys of the persons it counts.</param>
public sealed record StatisticsCell(string Indicator, int Year, CellCodes Cell, long? Value, ObservationStatus Status, bool FromCaseRecords, uint CellKey);

/// <summary>How one year's release set was protected.</summary>
/// <param name="Year">The year.</param>
/// <param name="Confidentiality">The status of each cell, in the order given.</param>
/// <param name="Primary">Cells withheld because they are small (C).</param>
/// <param name="Secondary">Cells withheld so that no withheld cell can be narrowed (D), small cells relabelled included.</param>
/// <param name="Relabelled">Small cells flagged D rather than C, because the C flags around them would have given them away.</param>
/// <param name="Unprotectable">Withheld cells the audit could not prove (expected to be none; they stay withheld).</param>
/// <param name="Solves">Integer programs solved.</param>
public sealed record YearProtection(int Year, IReadOnlyList<ConfidentialityStatus> Confidentiality, int Primary, int Secondary, int Relabelled, int Unprotectable, long Solves);

/// <summary>
/// Disclosure control at the source, computed once per import over a year's whole release set — every indicator, its
/// total, every one-dimensional and every two-dimensional breakdown the catalogue allows — jointly, in whole numbers.
/// Queries only select from the stored result: a code subset, a range of years or a repeat reveals nothing more.
/// See <see cref="SuppressionSearch"/> for what is promised and how it is proven.
/// </summary>
public static class DisclosureControl
{
    /// <summary>The default threshold: non-zero counts below it are withheld (GLOTIP's "&lt;5").</summary>
    public const int DefaultThreshold = 5;

    /// <summary>What a peer may infer from the flags, for the policy every answer carries.</summary>
    public static string FlagPromise(int threshold) =>
        $"C: withheld, the count is between 1 and {threshold - 1}; D: withheld to protect other cells, the count may be anything (0, small or large). "
        + $"No withheld count can be narrowed to fewer than {threshold} possible values (a C count to fewer than {Math.Min(3, threshold - 1)} between 1 and {threshold - 1}) from everything this node releases";

    /// <summary>Protects one year's release set (all indicators of the node for that year).</summary>
    /// <param name="year">The year.</param>
    /// <param name="cells">The year's cells: from case records and from published tables.</param>
    /// <param name="joint">The joint tables of the year's case records (<see cref="CaseAggregator.Joint"/>), for every indicator counted from them.</param>
    /// <param name="threshold">k: non-zero counts below it are small.</param>
    /// <param name="solver">The integer solver.</param>
    /// <exception cref="ArgumentException">The cells are not all of <paramref name="year"/>, or do not agree with the joint tables.</exception>
    public static YearProtection Protect(int year, IReadOnlyList<StatisticsCell> cells, IReadOnlyList<JointTable> joint, int threshold, IIntegerSolver solver)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(joint);
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        if (cells.Any(c => c.Year != year) || joint.Any(j => j.Year != year))
        {
            throw new ArgumentException($"Every cell and joint table must be of {year}.", nameof(cells));
        }

        // Public data (ExemptFromDisclosureControl) is released as published: it is left out of the search, which
        // protects the rest jointly as before, and every one of its cells is free.
        var exempt = new bool[cells.Count];
        var controlled = new List<StatisticsCell>(cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            exempt[i] = StatisticsCatalogue.FindIndicator(cells[i].Indicator)?.ExemptFromDisclosureControl == true;
            if (!exempt[i])
            {
                controlled.Add(cells[i]);
            }
        }

        var search = new SuppressionSearch(YearModel.Build(controlled, joint), threshold, solver);
        search.Run();
        var status = new ConfidentialityStatus[cells.Count];
        for (int i = 0, c = 0; i < cells.Count; i++)
        {
            status[i] = exempt[i] ? ConfidentialityStatus.Free : search.Status[c++];
        }

        return new YearProtection(
            year,
            status,
            status.Count(s => s == ConfidentialityStatus.Primary),
            status.Count(s => s == ConfidentialityStatus.Secondary),
            search.Relabelled,
            search.Unprotectable.Count,
            search.Solves);
    }
}
