using System.Globalization;
using System.Text.Json.Nodes;

namespace NremNet.Practices.Benchmarks;

/// <summary>
/// Phase F's timings, in milliseconds per query: the user API's SearchPractices, the bare FTS5 statement on the
/// query's own table, every hit of it with its rank, and the bare statement on every table the search reads (the
/// target's reference); with the API's hit counts, corrected answers and the queries skipped as empty.
/// </summary>
internal sealed record SearchLatency(
    List<double> ApiMs, List<double> BareMs, List<double> BareAllMs, List<double> BareSameMs, List<int> ApiHits, int Corrected, int Skipped)
{
    /// <summary>The issue's target for the user API against the bare statement on the same tables, at p50.</summary>
    public const double TargetRatio = 1.5;

    private double Api(int p) => Figures.Percentile(ApiMs, p);

    private double Bare(int p) => Figures.Percentile(BareMs, p);

    private double Same(int p) => Figures.Percentile(BareSameMs, p);

    private double MedianHits => Figures.Percentile(ApiHits.Select(h => (double)h).ToList(), 50);

    private static double? Ratio(double value, double reference) => reference > 0 ? Math.Round(value / reference, 2) : null;

    /// <summary>The figures as result.json holds them.</summary>
    public JsonObject Json(string node) => new()
    {
        ["node"] = node,
        ["queries"] = ApiMs.Count,
        ["skipped_empty"] = Skipped,
        ["user_api"] = Figures.Stats(ApiMs),
        ["bare_fts5"] = Figures.Stats(BareMs),
        ["fts5_every_hit_with_rank"] = Figures.Stats(BareAllMs),
        ["bare_fts5_same_tables"] = Figures.Stats(BareSameMs),
        ["ratio_p50"] = Ratio(Api(50), Same(50)),
        ["ratio_p99"] = Ratio(Api(99), Same(99)),
        ["ratio_own_table_p50"] = Ratio(Api(50), Bare(50)),
        ["ratio_own_table_p99"] = Ratio(Api(99), Bare(99)),
        ["target_ratio"] = TargetRatio,
        ["api_hits_median"] = MedianHits,
        ["api_answers_corrected"] = Corrected,
        ["api_answers_empty"] = ApiHits.Count(h => h == 0),
    };

    /// <summary>The F lines of the figures table (label in 62 columns, measured in 16, target in 12).</summary>
    public void Print(string node)
    {
        var met = Same(50) > 0 && Api(50) / Same(50) <= TargetRatio;
        Console.WriteLine($"{"F. search on " + node + ", user API p50 / p99",-62}{Ms(Api(50), "F1") + " / " + Ms(Api(99), "F1") + " ms",16}");
        Console.WriteLine($"{"   bare FTS5 statement on the same tables p50 / p99",-62}{Ms(Same(50), "F2") + " / " + Ms(Same(99), "F2") + " ms",16}");
        Console.WriteLine($"{"   ratio user API / bare on the same tables p50 (p99)",-62}{Ratio(Api(50), Same(50)) ?? 0,15:F1}×{"≤ " + TargetRatio.ToString("F1", CultureInfo.InvariantCulture) + "×",12}   {(met ? "met" : "NOT MET")} (p99 {Ratio(Api(99), Same(99)) ?? 0:F1}×)");
        Console.WriteLine($"{"   (beside it) bare FTS5 on the query's own table p50 / p99",-62}{Ms(Bare(50), "F2") + " / " + Ms(Bare(99), "F2") + " ms",16}");
        Console.WriteLine($"{"   (beside it) FTS5 every hit with its rank, p50 / p99",-62}{Ms(Figures.Percentile(BareAllMs, 50), "F2") + " / " + Ms(Figures.Percentile(BareAllMs, 99), "F2") + " ms",16}");
        Console.WriteLine($"{"   (beside it) ratio user API / bare on its own table p50 (p99)",-62}{Ratio(Api(50), Bare(50)) ?? 0,15:F1}×{"",12}   facets count every match, snippets are cut, other languages read by concept (p99 {Ratio(Api(99), Bare(99)) ?? 0:F1}×); {ApiMs.Count} queries, median {MedianHits:F0} hits, {Corrected} corrected, {ApiHits.Count(h => h == 0)} empty");
    }

    private static string Ms(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
