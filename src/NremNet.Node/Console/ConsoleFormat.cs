using System.Globalization;

namespace NremNet.Node.Console;

/// <summary>How the console writes times and numbers: in the request's culture, times in UTC and saying so.</summary>
internal static class ConsoleFormat
{
    /// <summary>A date and time, e.g. <c>04/12/2026 14:30 UTC</c> in French.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    /// <summary>The machine-readable form of a time, for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A count, with the culture's digit grouping.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A number with one decimal, e.g. a round trip in milliseconds.</summary>
    public static string Decimal(double value) => value.ToString("N1", CultureInfo.CurrentCulture);
}
