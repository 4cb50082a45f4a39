using System.Globalization;

namespace NremNet.Rpc.Framing;

/// <summary>The <c>grpc-timeout</c> header: up to 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        long number = 0;
        for (var i = 0; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = number * TimeSpan.TicksPerHour; break;
            case 'M': ticks = number * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = number * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = number * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = number * TimeSpan.TicksPerMicrosecond; break;
            case 'n': ticks = number / TimeSpan.NanosecondsPerTick; break;
            default: return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout, rounding up to the unit that keeps it within 8 digits.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 1);
        if (ticks % TimeSpan.TicksPerMillisecond == 0 && ticks / TimeSpan.TicksPerMillisecond <= MaxValue)
        {
            return (ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "m";
        }

        var micros = CeilDiv(ticks, TimeSpan.TicksPerMicrosecond);
        if (micros <= MaxValue)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        var millis = CeilDiv(ticks, TimeSpan.TicksPerMillisecond);
        if (millis <= MaxValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = CeilDiv(ticks, TimeSpan.TicksPerSecond);
        if (seconds <= MaxValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var minutes = CeilDiv(ticks, TimeSpan.TicksPerMinute);
        if (minutes <= MaxValue)
        {
            return minutes.ToString(CultureInfo.InvariantCulture) + "M";
        }

        return Math.Min(CeilDiv(ticks, TimeSpan.TicksPerHour), MaxValue).ToString(CultureInfo.InvariantCulture) + "H";
    }

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
