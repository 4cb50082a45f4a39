using System.Globalization;
using System.Text;

namespace NremNet.Disclosure.Benchmarks;

/// <summary>A year before and after, with the ratios after/before (null where before is 0).</summary>
internal sealed record ComparedYear(int Year, YearFigures? Before, YearFigures? After, double? SecondsRatio, double? WithheldShareRatio);

/// <summary>Sums over an import's years, for one variant.</summary>
internal sealed record ImportTotals(int Records, int Years, int Cells, int Primary, int Secondary, int Relabelled, int Unprotectable, int Withheld, double WithheldShare, double AggregateSeconds, double SumOfYearsSeconds, double? ParallelWallSeconds, bool? ParallelIdentical)
{
    public static ImportTotals Of(ImportFigures figures) => new(
        figures.Records,
        figures.Years.Count,
        figures.Cells,
        figures.Years.Sum(y => y.Primary),
        figures.Years.Sum(y => y.Secondary),
        figures.Years.Sum(y => y.Relabelled),
        figures.Years.Sum(y => y.Unprotectable),
        figures.Withheld,
        figures.WithheldShare,
        figures.AggregateSeconds,
        figures.SumOfYearsSeconds,
        figures.ParallelWallSeconds,
        figures.ParallelIdentical);
}

/// <summary>Ratios after/before of an import's totals.</summary>
internal sealed record ImportRatios(double? SumOfYearsSeconds, double? ParallelWallSeconds, double? Withheld, double? WithheldShare);

/// <summary>An import before and after.</summary>
internal sealed record ComparedImport(string Name, string Country, string Source, ImportTotals? Before, ImportTotals? After, ImportRatios Ratios, IReadOnlyList<ComparedYear> Years);

/// <summary>The machine's 1-minute load average at the start and end of each variant's run.</summary>
internal sealed record LoadAverages(double? BeforeStart, double? BeforeEnd, double? AfterStart, double? AfterEnd);

/// <summary>What result.json holds.</summary>
internal sealed record ComparisonResult(int Cpus, int Threshold, string BeforeLabel, string AfterLabel, LoadAverages LoadAverages, IReadOnlyList<ComparedImport> Imports, ImportRatios? SampleNodes);

/// <summary>Pairs the two variants' figures, prints a table per import and a summary line each, and returns result.json's content.</summary>
internal static class Comparison
{
    public static ComparisonResult Compare(VariantFigures before, VariantFigures after, TextWriter output)
    {
        var imports = new List<ComparedImport>();
        var names = before.Imports.Select(i => i.Name).Union(after.Imports.Select(i => i.Name), StringComparer.Ordinal);
        output.WriteLine(Invariant($"Disclosure control, before ({before.Label}) and after ({after.Label}); k = {after.Threshold}, {after.Cpus} CPUs"));
        output.WriteLine(Invariant($"Load average: before {Load(before.LoadAverageStart)} → {Load(before.LoadAverageEnd)}, after {Load(after.LoadAverageStart)} → {Load(after.LoadAverageEnd)} (other work on the machine skews the times)"));
        output.WriteLine("Seconds: each year protected alone. Withheld: C + D, as a share of the year's cells. Ratios: after/before.");
        foreach (var name in names)
        {
            var b = before.Imports.SingleOrDefault(i => i.Name == name);
            var a = after.Imports.SingleOrDefault(i => i.Name == name);
            var any = (a ?? b)!;
            var years = (b?.Years.Select(y => y.Year) ?? []).Union(a?.Years.Select(y => y.Year) ?? []).Order()
                .Select(year =>
                {
                    var yb = b?.Years.SingleOrDefault(y => y.Year == year);
                    var ya = a?.Years.SingleOrDefault(y => y.Year == year);
                    return new ComparedYear(year, yb, ya, Ratio(ya?.Seconds, yb?.Seconds), Ratio(ya?.WithheldShare, yb?.WithheldShare));
                })
                .ToList();
            var compared = new ComparedImport(
                name,
                any.Country,
                any.Source,
                b is null ? null : ImportTotals.Of(b),
                a is null ? null : ImportTotals.Of(a),
                new ImportRatios(Ratio(a?.SumOfYearsSeconds, b?.SumOfYearsSeconds), Ratio(a?.ParallelWallSeconds, b?.ParallelWallSeconds), Ratio(a?.Withheld, b?.Withheld), Ratio(a?.WithheldShare, b?.WithheldShare)),
                years);
            imports.Add(compared);
            Print(compared, after.Cpus, output);
        }

        // The sample nodes as one federation: what every node's import costs, together.
        var samples = imports.Where(i => i.Name == i.Country && i.Before is not null && i.After is not null).ToList();
        ImportRatios? sampleNodes = null;
        if (samples.Count > 1)
        {
            double SumOf(Func<ImportTotals, double> figure, bool afterSide) => samples.Sum(i => figure(afterSide ? i.After! : i.Before!));
            var cellsBefore = SumOf(t => t.Cells, false);
            var cellsAfter = SumOf(t => t.Cells, true);
            var shareBefore = cellsBefore == 0 ? 0 : SumOf(t => t.Withheld, false) / cellsBefore;
            var shareAfter = cellsAfter == 0 ? 0 : SumOf(t => t.Withheld, true) / cellsAfter;
            sampleNodes = new ImportRatios(Ratio(SumOf(t => t.SumOfYearsSeconds, true), SumOf(t => t.SumOfYearsSeconds, false)), null, Ratio(SumOf(t => t.Withheld, true), SumOf(t => t.Withheld, false)), Ratio(shareAfter, shareBefore));
            output.WriteLine();
            output.WriteLine(Invariant($"all {samples.Count} sample nodes: protection {SumOf(t => t.SumOfYearsSeconds, false):F2} s → {SumOf(t => t.SumOfYearsSeconds, true):F2} s ({Times(sampleNodes.SumOfYearsSeconds)}); withheld {SumOf(t => t.Withheld, false):N0} of {cellsBefore:N0} cells ({Percent(shareBefore)}) → {SumOf(t => t.Withheld, true):N0} of {cellsAfter:N0} ({Percent(shareAfter)}), {Times(sampleNodes.WithheldShare)}"));
        }

        return new ComparisonResult(after.Cpus, after.Threshold, before.Label, after.Label, new LoadAverages(before.LoadAverageStart, before.LoadAverageEnd, after.LoadAverageStart, after.LoadAverageEnd), imports, sampleNodes);
    }

    private static void Print(ComparedImport import, int cpus, TextWriter output)
    {
        var records = import.After?.Records ?? import.Before?.Records ?? 0;
        output.WriteLine();
        output.WriteLine(Invariant($"{import.Name} — {import.Source}: {records:N0} records, {import.Years.Count} year(s)"));
        output.WriteLine(Invariant($"        {"",9} |{" before",-44}|{" after",-44}| after/before"));
        output.WriteLine(Invariant($"  {"year",-6}{"records",9} |{Header()}|{Header()}| {"withheld",8} {"time",9}"));
        foreach (var year in import.Years)
        {
            var yearRecords = year.After?.Records ?? year.Before?.Records ?? 0;
            output.WriteLine(Invariant($"  {year.Year,-6}{yearRecords,9:N0} |{Row(year.Before, false)}|{Row(year.After, true)}| {Times(year.WithheldShareRatio),8} {Times(year.SecondsRatio),9}"));
        }

        output.WriteLine(Invariant($"  {"all",-6}{records,9:N0} |{Row(import.Before, false)}|{Row(import.After, true)}| {Times(import.Ratios.WithheldShare),8} {Times(import.Ratios.SumOfYearsSeconds),9}"));
        var line = new StringBuilder(Invariant($"  import {import.Name}: protection {Seconds(import.Before?.SumOfYearsSeconds)} → {Seconds(import.After?.SumOfYearsSeconds)} year by year ({Times(import.Ratios.SumOfYearsSeconds)})"));
        if (import.Before?.ParallelWallSeconds is not null || import.After?.ParallelWallSeconds is not null)
        {
            line.Append(Invariant($", {Seconds(import.Before?.ParallelWallSeconds)} → {Seconds(import.After?.ParallelWallSeconds)} side by side on {cpus} CPUs ({Times(import.Ratios.ParallelWallSeconds)})"));
        }

        line.Append(Invariant($"; withheld {Share(import.Before)} → {Share(import.After)} of cells ({Times(import.Ratios.WithheldShare)})"));
        output.WriteLine(line);
        if (import.Before?.ParallelIdentical == false || import.After?.ParallelIdentical == false)
        {
            output.WriteLine("  note: protected side by side, some cells got another status than year by year (the result depends on timing)");
        }

        if (import.Before?.Unprotectable > 0 || import.After?.Unprotectable > 0)
        {
            output.WriteLine(Invariant($"  unprotectable withheld cells: before {import.Before?.Unprotectable ?? 0}, after {import.After?.Unprotectable ?? 0}"));
        }
    }

    private static string Header() => Invariant($"{"cells",7}{"C",6}{"D",6}{"rel",5}{"withheld",9}{"s",10} ");

    private static string Row(YearFigures? year, bool relabels) => year is null
        ? Invariant($"{"–",7}{"",38}")
        : Invariant($"{year.Cells,7:N0}{year.Primary,6:N0}{year.Secondary,6:N0}{Relabelled(year.Relabelled, relabels),5}{Percent(year.WithheldShare),9}{year.Seconds,10:F2} ");

    private static string Row(ImportTotals? totals, bool relabels) => totals is null
        ? Invariant($"{"–",7}{"",38}")
        : Invariant($"{totals.Cells,7:N0}{totals.Primary,6:N0}{totals.Secondary,6:N0}{Relabelled(totals.Relabelled, relabels),5}{Percent(totals.WithheldShare),9}{totals.SumOfYearsSeconds,10:F2} ");

    // Before had no relabelling; a dash says so rather than a zero that looks measured.
    private static string Relabelled(int relabelled, bool relabels) => relabels ? relabelled.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Share(ImportTotals? totals) => totals is null ? "–" : Invariant($"{totals.Withheld:N0}/{totals.Cells:N0} ({Percent(totals.WithheldShare)})");

    private static string Percent(double share) => Invariant($"{share * 100:F1}%");

    private static string Load(double? load) => load is { } l ? Invariant($"{l:F2}") : "?";

    private static string Seconds(double? seconds) => seconds is { } s ? Invariant($"{s:F2} s") : "–";

    private static string Times(double? ratio) => ratio is { } r ? Invariant($"{r:F2}×") : "–";

    private static double? Ratio(double? after, double? before) => after is { } a && before is { } b && b > 0 ? a / b : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
