using System.Collections.Frozen;
using System.Globalization;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Statistics.Data;

/// <summary>Reading single values of the NremNet CSV formats, without allocating for the common cases.</summary>
internal static class CsvValues
{
    private const int MaxShownLength = 40;

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Countries =
        Country.Every.ToFrozenDictionary(c => c.Code, c => c.Code, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A value quoted for a message, shortened when long.</summary>
    public static string Show(ReadOnlySpan<char> value) =>
        value.Length <= MaxShownLength ? $"'{value}'" : $"'{value[..MaxShownLength]}…'";

    /// <summary>The assigned ISO 3166-1 alpha-2 code, in upper case, or null.</summary>
    public static string? FindCountry(ReadOnlySpan<char> code) =>
        code.Length == 2 && Countries.TryGetValue(code, out var found) ? found : null;

    /// <summary>The code of <paramref name="dimension"/> that <paramref name="value"/> names, ignoring case, or null.</summary>
    public static string? FindCode(CatalogueDimension dimension, ReadOnlySpan<char> value)
    {
        if (ReferenceEquals(dimension, StatisticsCatalogue.CounterpartArea))
        {
            return FindCountry(value);
        }

        foreach (var code in dimension.Codes)
        {
            if (value.Equals(code.Id, StringComparison.OrdinalIgnoreCase))
            {
                return code.Id;
            }
        }

        return null;
    }

    /// <summary>A whole number of digits only (no sign, no separators).</summary>
    public static bool TryParseCount(ReadOnlySpan<char> value, out long count) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count);

    /// <summary>
    /// Checks a year from <see cref="StatisticsCatalogue.FirstYear"/> to <paramref name="currentYear"/>; returns the
    /// problem, or null.
    /// </summary>
    public static string? CheckYear(ReadOnlySpan<char> value, int currentYear, out int year)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year >= StatisticsCatalogue.FirstYear && year <= currentYear)
        {
            return null;
        }

        var expected = $"expected a year from {StatisticsCatalogue.FirstYear} to {currentYear}";
        if (value.IsEmpty)
        {
            return $"empty; {expected}";
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out year)
            ? $"{year} is out of range; {expected}"
            : $"{Show(value)} is not a year; {expected}";
    }

    /// <summary>Whether a comment line is the marker of synthetic data: <c># synthetic</c>, in any case.</summary>
    public static bool IsSyntheticMarker(string comment)
    {
        var text = comment.AsSpan().TrimStart('#').TrimStart();
        return text.StartsWith("synthetic", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether any of the comments before the header marks the file as synthetic.</summary>
    public static bool IsSynthetic(IReadOnlyList<string> comments)
    {
        foreach (var comment in comments)
        {
            if (IsSyntheticMarker(comment))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Checks that the current row is well formed and has as many fields as the header; reports what is wrong and
    /// returns false when its values cannot be trusted.
    /// </summary>
    public static bool CheckShape(CsvReader reader, CsvHeader header, ProblemCollector problems)
    {
        if (reader.Problem is not null)
        {
            problems.Add(reader.ProblemLine, header.NameOf(reader.ProblemField), reader.Problem);
            return false;
        }

        if (reader.FieldCount != header.FieldCount)
        {
            problems.Add(
                reader.Line,
                string.Empty,
                $"the row has {reader.FieldCount} values but the header has {header.FieldCount} columns; put a value that contains a comma in double quotes");
            return false;
        }

        return true;
    }

    /// <summary>Checks the options both readers share.</summary>
    public static void CheckOptions(int currentYear, int maxProblems, string currentYearName, string maxProblemsName)
    {
        if (currentYear < StatisticsCatalogue.FirstYear)
        {
            throw new ArgumentException($"{currentYearName} {currentYear} is before {StatisticsCatalogue.FirstYear}, the first year of the catalogue.", currentYearName);
        }

        if (maxProblems < 0)
        {
            throw new ArgumentException($"{maxProblemsName} must be 0 or more.", maxProblemsName);
        }
    }
}
