using System.Text.Json.Nodes;

namespace NremNet.Practices.Benchmarks;

/// <summary>Percentiles and the p50/p99/max/mean summary every figure of the benchmark is given as.</summary>
internal static class Figures
{
    /// <summary>The nearest-rank percentile; 0 when there are no values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, int percent)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>p50, p99, max and mean, rounded to thousandths.</summary>
    public static JsonObject Stats(IReadOnlyCollection<double> values) => new()
    {
        ["p50"] = Math.Round(Percentile(values, 50), 3),
        ["p99"] = Math.Round(Percentile(values, 99), 3),
        ["max"] = values.Count == 0 ? 0 : Math.Round(values.Max(), 3),
        ["mean"] = values.Count == 0 ? 0 : Math.Round(values.Average(), 3),
    };
}
