using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;
#if !BEFORE
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Solvers;
#endif

namespace NremNet.Disclosure.Benchmarks;

/// <summary>What one Protect call gave, in the terms both implementations share.</summary>
internal sealed record Outcome(IReadOnlyList<ConfidentialityStatus> Confidentiality, int Primary, int Secondary, int Relabelled, int Unprotectable, long Solves);

/// <summary>
/// The only code that differs between the two builds: what a year's protection takes as input, and the call itself.
/// The "before" build (BEFORE, against commit 6762291) protects the release cells alone; the "after" build also hands
/// over the joint tables of the year's records and the OR-Tools solver, one solver for every year as the node has.
/// </summary>
internal sealed class Protector
{
#if BEFORE
    public const string Variant = "before";

    /// <summary>The year's input: its release cells (from records, and published ones the records do not cover).</summary>
    public static YearInput Input(int year, int records, IReadOnlyList<CaseRecord> yearRecords, string country, IReadOnlyList<StatisticsCell> cells) =>
        new(year, records, cells);

    public Outcome Protect(YearInput input)
    {
        var protection = DisclosureControl.Protect(input.Year, input.Cells, DisclosureControl.DefaultThreshold);
        return new Outcome(protection.Confidentiality, protection.Primary, protection.Secondary, 0, protection.Unprotectable, protection.Solves);
    }
#else
    public const string Variant = "after";

    private readonly OrToolsSolver _solver = new();

    /// <summary>The year's input: its release cells, and the joint tables of its records (none for published tables).</summary>
    public static YearInput Input(int year, int records, IReadOnlyList<CaseRecord> yearRecords, string country, IReadOnlyList<StatisticsCell> cells) =>
        new(year, records, cells, yearRecords.Count == 0 ? [] : CaseAggregator.Joint(yearRecords, country));

    public Outcome Protect(YearInput input)
    {
        var protection = DisclosureControl.Protect(input.Year, input.Cells, input.Joint, DisclosureControl.DefaultThreshold, _solver);
        return new Outcome(protection.Confidentiality, protection.Primary, protection.Secondary, protection.Relabelled, protection.Unprotectable, protection.Solves);
    }
#endif
}

#if BEFORE
/// <summary>One year as the store hands it to disclosure control.</summary>
internal sealed record YearInput(int Year, int Records, IReadOnlyList<StatisticsCell> Cells);
#else
/// <summary>One year as the store hands it to disclosure control.</summary>
internal sealed record YearInput(int Year, int Records, IReadOnlyList<StatisticsCell> Cells, IReadOnlyList<JointTable> Joint);
#endif
