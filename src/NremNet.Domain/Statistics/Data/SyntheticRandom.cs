using System.Text;

namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// SplitMix64: a small generator whose sequence is fixed by its seed on every platform and .NET version, unlike
/// <see cref="Random"/>. Only integer arithmetic and exact double operations are used, so synthetic data come out the
/// same everywhere.
/// </summary>
internal sealed class SyntheticRandom(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state = seed;

    /// <summary>A generator for one stream of a seed, e.g. one year's records.</summary>
    public static SyntheticRandom For(ulong seed, long stream, long part) => new(Mix(Mix(seed ^ ((ulong)stream * Golden)) ^ (ulong)part));

    /// <summary>The 64-bit FNV-1a hash of the UTF-8 bytes of a text: stable, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }

    /// <summary>The SplitMix64 finaliser: spreads every bit of <paramref name="z"/> over the result.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Uniform in [1 - <paramref name="spread"/>, 1 + <paramref name="spread"/>): multiplicative noise.</summary>
    public double Noise(double spread) => 1 + (spread * ((2 * NextDouble()) - 1));

    /// <summary>An index drawn with the given weights (not necessarily summing to 1).</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var target = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>An item drawn with its weight.</summary>
    public string Pick(IReadOnlyList<(string Code, double Weight)> items)
    {
        Span<double> weights = stackalloc double[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            weights[i] = items[i].Weight;
        }

        return items[Pick(weights)].Code;
    }

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/> by largest remainder, so the parts
    /// add up to it exactly.
    /// </summary>
    public static long[] Split(long total, ReadOnlySpan<double> weights)
    {
        var parts = new long[weights.Length];
        var sum = 0.0;
        foreach (var weight in weights)
        {
            sum += weight;
        }

        if (total <= 0 || sum <= 0)
        {
            return parts;
        }

        Span<double> remainders = stackalloc double[weights.Length];
        var given = 0L;
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = total * weights[i] / sum;
            parts[i] = (long)Math.Floor(exact);
            remainders[i] = exact - parts[i];
            given += parts[i];
        }

        for (; given < total; given++)
        {
            var best = 0;
            for (var i = 1; i < remainders.Length; i++)
            {
                if (remainders[i] > remainders[best])
                {
                    best = i;
                }
            }

            parts[best]++;
            remainders[best] = -1;
        }

        return parts;
    }
}
