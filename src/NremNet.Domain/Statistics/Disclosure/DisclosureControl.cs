namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>A cell of a node's pre-aggregated store, with its true value, before protection.</summary>
/// <param name="Indicator">The indicator id.</param>
/// <param name="Year">TIME_PERIOD.</param>
/// <param name="Cell">The cell's codes.</param>
/// <param name="Value">The true value; null when not known.</param>
/// <param name="Status">OBS_STATUS of the value (A, or as published: O, Q, E, P).</param>
/// <param name="FromCaseRecords">Whether it was computed from the node's case records (else published statistics).</param>
/// <param name="CellKey">The cell key for consistent perturbation: the sum of the record keys of the persons it counts.</param>
public sealed record StatisticsCell(string Indicator, int Year, CellCodes Cell, long? Value, ObservationStatus Status, bool FromCaseRecords, uint CellKey);

/// <summary>How one year's cells were protected.</summary>
/// <param name="Year">The year.</param>
/// <param name="Confidentiality">The status of each cell, in the order given.</param>
/// <param name="Primary">Cells withheld because they are small.</param>
/// <param name="Secondary">Cells withheld so that small ones cannot be derived.</param>
/// <param name="Unprotectable">Withheld cells the audit could not bring to pass (expected to be none).</param>
/// <param name="Solves">Linear programs solved by the audit.</param>
public sealed record YearProtection(int Year, IReadOnlyList<ConfidentialityStatus> Confidentiality, int Primary, int Secondary, int Unprotectable, long Solves);

/// <summary>
/// Disclosure control at the source, computed once per import over a year's whole set of linked tables (every
/// indicator, every breakdown a query can ask for): threshold, primary suppression, and secondary suppression audited
/// by linear programming so that no withheld cell can be derived exactly, or narrowed to fewer than k whole numbers,
/// from any combination of released cells. Queries then only read the statuses.
/// </summary>
public static class DisclosureControl
{
    /// <summary>The default threshold: non-zero counts below it are withheld (GLOTIP's "&lt;5").</summary>
    public const int DefaultThreshold = 5;

    /// <summary>Protects one year's cells (all indicators of the node for that year).</summary>
    /// <exception cref="ArgumentException">The cells are not all of <paramref name="year"/>.</exception>
    public static YearProtection Protect(int year, IReadOnlyList<StatisticsCell> cells, int threshold)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        if (cells.Any(c => c.Year != year))
        {
            throw new ArgumentException($"Every cell must be of {year}.", nameof(cells));
        }

        var audit = Audit(cells, threshold);
        audit.Run();
        var status = audit.Status;
        return new YearProtection(
            year,
            status,
            status.Count(s => s == ConfidentialityStatus.Primary),
            status.Count(s => s == ConfidentialityStatus.Secondary),
            audit.Unprotectable.Count,
            audit.Solves);
    }

    /// <summary>The audit over a year's cells, before it runs.</summary>
    internal static SuppressionAudit Audit(IReadOnlyList<StatisticsCell> cells, int threshold)
    {
        var auditCells = cells.Select(c => new AuditCell(c.Indicator, c.Cell, c.Status is ObservationStatus.Missing or ObservationStatus.Withheld ? null : c.Value, c.FromCaseRecords)).ToList();
        return new SuppressionAudit(auditCells, CellRelations.Build(auditCells), threshold);
    }
}
