using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Statistics;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary>
/// How the statistics verbs read their values from the command line: years, dimensions, filters, countries and
/// durations. Each reader throws a usage error that names the option and shows what is expected.
/// </summary>
internal static class QueryArguments
{
    /// <summary>The latest year any verb accepts.</summary>
    public const int LastYear = 9999;

    /// <summary><c>2019-2024</c> or <c>2022</c> (an en dash works too), as first and last year.</summary>
    public static (int First, int Last) Years(string? text, string option = "--years")
    {
        var value = text?.Trim() ?? string.Empty;
        var parts = value.Split(['-', '–', '‒'], 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && Year(parts[0]) is { } single)
        {
            return (single, single);
        }

        if (parts.Length == 2 && Year(parts[0]) is { } first && Year(parts[1]) is { } last)
        {
            return first <= last
                ? (first, last)
                : throw new CliException(ExitCodes.Usage, $"{option} {value}: the first year comes after the last; write it as {last}-{first}.");
        }

        throw new CliException(ExitCodes.Usage, $"{option} '{value}' is not a year or a range of years; write e.g. 2019-2024 or 2022 (years from {StatisticsCatalogue.FirstYear}).");
    }

    /// <summary>
    /// <c>--by TIME_PERIOD,EXPLOIT</c>: the breakdown dimensions (TIME_PERIOD excluded: cells are always per year) and
    /// the order rows nest in (TIME_PERIOD where it was named, first when it was not). Names are upper-cased; a name
    /// given twice is an error.
    /// </summary>
    public static (IReadOnlyList<string> Breakdown, IReadOnlyList<string> RowOrder) Breakdown(IEnumerable<string>? values)
    {
        var names = Split(values).Select(n => n.ToUpperInvariant()).ToList();
        var twice = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, $"--by names {string.Join(", ", twice)} more than once; name each dimension once, e.g. --by TIME_PERIOD,EXPLOIT.");
        }

        var breakdown = names.Where(n => n != StatisticsCatalogue.TimePeriod).ToList();
        var rows = names.Contains(StatisticsCatalogue.TimePeriod) ? names : [StatisticsCatalogue.TimePeriod, .. names];
        return (breakdown, rows);
    }

    /// <summary>
    /// <c>--filter EXPLOIT=SEX,LAB</c> (repeatable): codes to keep per breakdown dimension. Every problem of every filter
    /// is reported at once; a filter must name a dimension of <paramref name="breakdown"/>, and one dimension may be
    /// filtered once.
    /// </summary>
    public static IReadOnlyList<QueryFilter> Filters(IEnumerable<string>? values, IReadOnlyList<string> breakdown)
    {
        var filters = new List<QueryFilter>();
        var problems = new List<string>();
        foreach (var raw in values ?? [])
        {
            var text = raw.Trim();
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var dimension = equals > 0 ? text[..equals].Trim().ToUpperInvariant() : string.Empty;
            var codes = equals > 0 ? Split([text[(equals + 1)..]]).Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList() : [];
            if (equals <= 0 || codes.Count == 0)
            {
                problems.Add($"'{text}' is not DIMENSION=CODE[,CODE...], e.g. EXPLOIT=SEX,LAB");
            }
            else if (dimension == StatisticsCatalogue.TimePeriod)
            {
                problems.Add($"'{text}': choose the years with --years, not a filter");
            }
            else if (!breakdown.Contains(dimension, StringComparer.Ordinal))
            {
                problems.Add($"'{text}': {dimension} is not in --by ({(breakdown.Count == 0 ? "no dimension given" : string.Join(",", breakdown))}); only a breakdown dimension can be filtered");
            }
            else if (filters.Any(f => f.Dimension == dimension))
            {
                problems.Add($"'{text}': {dimension} is filtered twice; give its codes in one --filter");
            }
            else
            {
                filters.Add(new QueryFilter(dimension, codes));
            }
        }

        return problems.Count == 0
            ? filters
            : throw new CliException(ExitCodes.Usage, "--filter: " + string.Join("; ", problems) + ".");
    }

    /// <summary><c>--countries NL,SE</c> (commas, or the option repeated): ISO codes, upper case, each once, in the order given.</summary>
    public static IReadOnlyList<string> Countries(IEnumerable<string>? values)
    {
        var codes = Split(values).ToList();
        if (codes.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "--countries names no country; give ISO 3166-1 alpha-2 codes, e.g. --countries NL,SE,FI,BG.");
        }

        var unknown = codes.Where(c => Domain.Countries.Country.Find(c) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, $"--countries: {string.Join(", ", unknown.Select(c => $"'{c}'"))} {(unknown.Count == 1 ? "is not an ISO 3166-1 alpha-2 code" : "are not ISO 3166-1 alpha-2 codes")}; give two letters each, e.g. NL,SE,FI,BG.");
        }

        return [.. codes.Select(c => CliValues.Country(c)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary><c>10s</c>, <c>1500ms</c>, <c>2m</c> or a number of seconds; above zero and at most <paramref name="maximum"/>.</summary>
    public static TimeSpan Duration(string text, string option, TimeSpan maximum)
    {
        var value = text.Trim().ToLowerInvariant();
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : (value, 1.0);
        if (!double.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new CliException(ExitCodes.Usage, $"{option} '{text}' is not a duration; write e.g. 10s, 1500ms or 2m.");
        }

        var duration = TimeSpan.FromSeconds(amount * unit);
        return duration > TimeSpan.Zero && duration <= maximum
            ? duration
            : throw new CliException(ExitCodes.Usage, $"{option} {text} is out of range; give more than 0 and at most {maximum.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
    }

    /// <summary>The comma-separated items of one or more option values, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static int? Year(string text) =>
        text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= StatisticsCatalogue.FirstYear && year <= LastYear ? year : null;
}
