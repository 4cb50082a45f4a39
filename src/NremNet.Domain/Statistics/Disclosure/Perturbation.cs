using System.Security.Cryptography;

namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>
/// Consistent cell-key perturbation (the ABS / Eurostat cell-key method): the noise added to a released cell depends
/// only on its value and its cell key — the sum of the record keys of the persons it counts — so the same cell gets the
/// same answer in every query, and repeating or differencing queries gains nothing. Noise lies in
/// [-<see cref="Bound"/>, +<see cref="Bound"/>], averages zero, never takes a value below the threshold, and zeros stay zero.
/// </summary>
public static class CellKeyPerturbation
{
    /// <summary>The largest change perturbation makes to a value.</summary>
    public const int Bound = 2;

    // The p-table: cumulative probabilities of -2, -1, 0, +1, +2 (symmetric, variance 1.2).
    private static readonly double[] Cumulative = [0.1, 0.3, 0.7, 0.9, 1.0];

    /// <summary>The perturbed value of a released cell.</summary>
    public static long Apply(long value, uint cellKey, int threshold)
    {
        if (value <= 0)
        {
            return value;
        }

        var position = cellKey / 4294967296.0;
        var noise = Bound;
        for (var i = 0; i < Cumulative.Length; i++)
        {
            if (position < Cumulative[i])
            {
                noise = i - Bound;
                break;
            }
        }

        // Perturbation never turns a releasable count into one that looks small.
        return Math.Max(value + noise, Math.Max(threshold, 1));
    }

    /// <summary>The record key of a case record: a keyed hash of its id, secret to the node.</summary>
    public static uint RecordKey(ReadOnlySpan<byte> nodeSecret, string recordId)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(nodeSecret, System.Text.Encoding.UTF8.GetBytes(recordId), hash);
        return BitConverter.ToUInt32(hash);
    }
}

/// <summary>
/// Differential privacy for one answer: the two-sided geometric mechanism, integer noise with
/// P(k) ∝ exp(-ε·|k| / Δ), where the sensitivity Δ is the most one person can change the answer: one per table for a
/// single-valued breakdown, as many as the codes a person can carry for a multi-valued one, summed over the answer's
/// tables (the breakdown and its margins).
/// </summary>
public static class GeometricMechanism
{
    /// <summary>The sensitivity of an answer drawing on the given cell signatures of an indicator.</summary>
    public static int Sensitivity(IEnumerable<string> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var total = 0;
        foreach (var signature in signatures)
        {
            var product = 1;
            foreach (var dimension in signature.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var d = StatisticsCatalogue.Dimension(dimension);
                product *= d.MultiValued ? d.MaxCodesPerUnit : 1;
            }

            total += product;
        }

        return Math.Max(total, 1);
    }

    /// <summary>Draws one noise value from a cryptographic source.</summary>
    public static long Noise(double epsilon, int sensitivity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sensitivity);
        var alpha = Math.Exp(-epsilon / sensitivity);
        return Geometric(alpha) - Geometric(alpha);
    }

    /// <summary>The expected absolute noise, for the policy text.</summary>
    public static double ExpectedAbsoluteNoise(double epsilon, int sensitivity)
    {
        var alpha = Math.Exp(-epsilon / sensitivity);
        return 2 * alpha / (1 - (alpha * alpha));
    }

    // Failures before the first success with success probability 1 - alpha.
    private static long Geometric(double alpha)
    {
        var u = (RandomNumberGenerator.GetInt32(int.MaxValue) + 1.0) / int.MaxValue;
        return (long)Math.Floor(Math.Log(u) / Math.Log(alpha));
    }
}
