using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Data;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Disclosure.Benchmarks;

/// <summary>
/// Measures this build's disclosure control on the inputs a node's store hands it: per year, the cells of the records
/// plus the published cells of indicators the records do not cover (as StatisticsStore.RecomputeAsync builds them),
/// protected once year by year alone (time per year) and once all side by side (the node's wall time).
/// </summary>
internal static class Measurement
{
    /// <summary>The years of the sample data (as 'nremnet federation up' loads it).</summary>
    public const int FirstYear = 2015;

    /// <summary>The last year of the sample data.</summary>
    public const int LastYear = 2024;

    /// <summary>The large import's profile.</summary>
    public const string LargeCountry = "NL";

    public static async Task<VariantFigures> RunAsync(IReadOnlyList<string> countries, int records, IReadOnlyList<int> years, bool parallel, string label, CancellationToken cancellationToken)
    {
        var loadStart = LoadAverage();
        var protector = new Protector();
        WarmUp(protector);
        var imports = new List<ImportFigures>();
        foreach (var country in countries)
        {
            var holdsRecords = SyntheticData.HoldsCaseRecords(country);
            var plan = new ImportPlan(
                country,
                country,
                holdsRecords ? "case records + published tables" : "published tables only",
                holdsRecords ? SyntheticData.Cases(country, FirstYear, LastYear) : [],
                SyntheticData.Statistics(country, FirstYear, LastYear));
            imports.Add(await MeasureAsync(protector, plan, years, parallel, cancellationToken));
        }

        if (records > 0)
        {
            var plan = new ImportPlan(
                string.Create(CultureInfo.InvariantCulture, $"{LargeCountry} {records:N0} records"),
                LargeCountry,
                "case records + published tables",
                SyntheticData.Cases(LargeCountry, FirstYear, LastYear, records),
                SyntheticData.Statistics(LargeCountry, FirstYear, LastYear));
            imports.Add(await MeasureAsync(protector, plan, years, parallel, cancellationToken));
        }

        return new VariantFigures(Protector.Variant, label, DisclosureControl.DefaultThreshold, Environment.ProcessorCount, imports, loadStart, LoadAverage());
    }

    /// <summary>The 1-minute load average, where the system says it (Linux); other work on the machine skews the times.</summary>
    private static double? LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;

    /// <summary>What an import holds: its records (streamed) and its published values, all years of the sample data.</summary>
    private sealed record ImportPlan(string Name, string Country, string Source, IEnumerable<CaseRecord> Records, IReadOnlyList<PublishedValue> Published);

    private static async Task<ImportFigures> MeasureAsync(Protector protector, ImportPlan plan, IReadOnlyList<int> years, bool parallel, CancellationToken cancellationToken)
    {
        var (inputs, aggregateSeconds) = Prepare(plan, years);
        Report($"{Protector.Variant}: {plan.Name} — {inputs.Sum(i => i.Records):N0} records, {inputs.Sum(i => i.Cells.Count):N0} cells in {inputs.Count} year(s) (aggregated in {aggregateSeconds:F2} s)");

        var figures = new List<YearFigures>();
        var alone = new List<Outcome>();
        foreach (var input in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var outcome = protector.Protect(input);
            var seconds = clock.Elapsed.TotalSeconds;
            alone.Add(outcome);
            var year = new YearFigures(input.Year, input.Records, input.Cells.Count, outcome.Primary, outcome.Secondary, outcome.Relabelled, outcome.Unprotectable, outcome.Solves, seconds);
            figures.Add(year);
            Report($"  {input.Year}: {year.Cells,6:N0} cells, C {year.Primary,4}, D {year.Secondary,4}, relabelled {year.Relabelled,3}, withheld {year.WithheldShare * 100,5:F1}%, {seconds,8:F2} s");
        }

        double? wall = null;
        bool? identical = null;
        if (parallel && inputs.Count > 0)
        {
            // As StatisticsStore.RecomputeAsync: years are independent, so they are protected side by side.
            var together = new Outcome[inputs.Count];
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, inputs.Count, new ParallelOptions { CancellationToken = cancellationToken }, (i, _) =>
            {
                together[i] = protector.Protect(inputs[i]);
                return ValueTask.CompletedTask;
            });
            wall = clock.Elapsed.TotalSeconds;
            identical = together.Zip(alone).All(p => p.First.Confidentiality.SequenceEqual(p.Second.Confidentiality));
            Report($"  side by side: {wall:F2} s wall ({figures.Sum(f => f.Seconds):F2} s year by year); same statuses: {(identical.Value ? "yes" : "NO")}");
        }

        return new ImportFigures(plan.Name, plan.Country, plan.Source, aggregateSeconds, figures, wall, identical);
    }

    /// <summary>
    /// The selected years' inputs. Records arrive year by year (the generator streams them so), so each year is
    /// aggregated as soon as it is complete and its records dropped: a million records are never held at once.
    /// </summary>
    private static (List<YearInput> Inputs, double AggregateSeconds) Prepare(ImportPlan plan, IReadOnlyList<int> years)
    {
        var selected = years.ToHashSet();
        var inputs = new SortedDictionary<int, YearInput>();
        var aggregating = new Stopwatch();
        var current = new List<CaseRecord>();
        var currentYear = 0;
        foreach (var record in plan.Records)
        {
            if (!selected.Contains(record.YearIdentified))
            {
                continue;
            }

            if (record.YearIdentified != currentYear)
            {
                Flush();
                currentYear = record.YearIdentified;
                if (inputs.ContainsKey(currentYear))
                {
                    throw new InvalidOperationException($"The records of {currentYear} do not arrive together; the benchmark aggregates year by year.");
                }
            }

            current.Add(record);
        }

        Flush();
        foreach (var year in plan.Published.Select(p => p.Year).Where(selected.Contains).Distinct())
        {
            if (!inputs.ContainsKey(year))
            {
                currentYear = year;
                Flush();
            }
        }

        return ([.. inputs.Values], aggregating.Elapsed.TotalSeconds);

        void Flush()
        {
            if (currentYear == 0)
            {
                return;
            }

            aggregating.Start();
            var cells = new List<StatisticsCell>(CaseAggregator.Aggregate(current, plan.Country, RecordKey));
            var covered = cells.Select(c => c.Indicator).ToHashSet(StringComparer.Ordinal);
            var year = currentYear;
            foreach (var value in plan.Published.Where(p => p.Year == year && !covered.Contains(p.Indicator)).OrderBy(p => p.Indicator, StringComparer.Ordinal).ThenBy(p => p.Cell.Key, StringComparer.Ordinal))
            {
                // As the store reads them back: the cell from its key, the status from its code, a key from a hash.
                var key = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{value.Indicator}|{year}|{value.Cell.Key}")));
                cells.Add(new StatisticsCell(value.Indicator, year, CellCodes.Parse(value.Cell.Key), value.Value, StatusCodes.ParseObservation(value.Status.Code()) ?? ObservationStatus.Normal, false, key));
            }

            inputs.Add(year, Protector.Input(year, current.Count, current, plan.Country, cells));
            aggregating.Stop();
            current = [];
            currentYear = 0;
        }
    }

    /// <summary>
    /// One small year protected and thrown away, so the first measured year does not pay for JIT compilation and
    /// loading the solver.
    /// </summary>
    private static void WarmUp(Protector protector)
    {
        const string Country = "SE";
        var records = SyntheticData.Cases(Country, FirstYear, FirstYear, 40).ToList();
        var cells = CaseAggregator.Aggregate(records, Country, RecordKey);
        var clock = Stopwatch.StartNew();
        protector.Protect(Protector.Input(FirstYear, records.Count, records, Country, cells));
        Report($"{Protector.Variant}: warmed up on {records.Count} records of {Country} {FirstYear} ({cells.Count} cells) in {clock.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>A record key (only cell-key perturbation uses them; any stable function does here): FNV-1a of the id.</summary>
    private static uint RecordKey(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private static void Report(string line) => Console.Error.WriteLine(line);
}
