namespace NremNet.Node.Console.Charts;

/// <summary>
/// The value axis of a chart: from 0 to a round top, with "nice" ticks — steps of 1, 2 or 5 times a power of ten —
/// about as many as asked for, at most two more.
/// </summary>
/// <param name="Top">The top of the axis: the largest value rounded up to a whole step.</param>
/// <param name="Step">The distance between ticks.</param>
/// <param name="Decimals">Decimals the tick labels need to show the step.</param>
public sealed record ChartScale(double Top, double Step, int Decimals)
{
    /// <summary>The ticks, from 0 to <see cref="Top"/>.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var count = (int)Math.Round(Top / Step);
            return [.. Enumerable.Range(0, count + 1).Select(i => Math.Round(i * Step, 10))];
        }
    }

    /// <summary>The scale for values up to <paramref name="max"/> (0 or less: an axis from 0 to 1).</summary>
    /// <param name="max">The largest value.</param>
    /// <param name="ticks">About how many steps.</param>
    /// <param name="decimals">The decimals of the values: a step never goes below one unit of the last of them.</param>
    public static ChartScale For(double max, int ticks = 5, int decimals = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var smallest = Math.Pow(10, -decimals);
        if (!(max > 0) || double.IsInfinity(max))
        {
            return decimals == 0 ? new ChartScale(1, 1, 0) : new ChartScale(1, 0.2, 1);
        }

        // The smallest step of 1, 2 or 5 times a power of ten that needs at most two more steps than asked for.
        var step = smallest;
        for (var power = Math.Floor(Math.Log10(max / (ticks + 2))) - 1; ; power++)
        {
            var found = false;
            foreach (var multiple in (ReadOnlySpan<double>)[1, 2, 5])
            {
                step = multiple * Math.Pow(10, power);
                if (step >= smallest - 1e-12 && Math.Ceiling((max / step) - 1e-9) <= ticks + 2)
                {
                    found = true;
                    break;
                }
            }

            if (found)
            {
                break;
            }
        }

        var top = Math.Ceiling((max / step) - 1e-9) * step;
        var stepDecimals = step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(step) - 1e-9);
        return new ChartScale(Math.Round(top, 10), step, stepDecimals);
    }
}
