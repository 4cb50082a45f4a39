namespace NremNet.Domain.Statistics.Data;

/// <summary>How to read a published statistics file.</summary>
public sealed record PublishedStatisticsFileOptions
{
    /// <summary>The latest year a value may be given for.</summary>
    public required int CurrentYear { get; init; }

    /// <summary>How many problems to keep; all are counted.</summary>
    public int MaxProblems { get; init; } = 1000;
}

/// <summary>What was read from a published statistics file.</summary>
/// <param name="Values">The values of the rows without problems, in file order.</param>
/// <param name="Problems">The first <see cref="PublishedStatisticsFileOptions.MaxProblems"/> problems, in file order.</param>
/// <param name="ProblemCount">How many problems the file has, kept or not.</param>
/// <param name="Rows">How many data rows the file has (without the header, comments and blank lines).</param>
/// <param name="Synthetic">Whether a <c># synthetic</c> comment before the header marks the data as synthetic.</param>
public sealed record PublishedStatisticsFileResult(IReadOnlyList<PublishedValue> Values, IReadOnlyList<DataProblem> Problems, int ProblemCount, int Rows, bool Synthetic);

/// <summary>
/// The CSV file of a node's published statistics tables, in SDMX long format (RFC 4180, UTF-8): the header is
/// <c>INDICATOR,TIME_PERIOD,</c> any of the catalogue's dimension ids, <c>OBS_VALUE,OBS_STATUS</c>, in any order and any
/// case; <c>#</c> comment lines may come before it. A dimension without a column, or with an empty value, is at its
/// total <c>_T</c>. Every value is checked and every problem reported with its line and column.
/// </summary>
public static class PublishedStatisticsFile
{
    /// <summary>The indicator id of the catalogue.</summary>
    public const string IndicatorColumn = "INDICATOR";

    /// <summary>The year, from 2000 to the current year.</summary>
    public const string TimePeriodColumn = StatisticsCatalogue.TimePeriod;

    /// <summary>The value: a whole number 0 or more, empty when missing (O) or withheld (Q).</summary>
    public const string ValueColumn = "OBS_VALUE";

    /// <summary>A (normal), E (estimated), P (provisional), O (missing) or Q (withheld); empty with a value is A.</summary>
    public const string StatusColumn = "OBS_STATUS";

    /// <summary>The columns every file has.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = [IndicatorColumn, TimePeriodColumn, ValueColumn, StatusColumn];

    /// <summary>The header of a file that breaks values down by <paramref name="dimensions"/>, in catalogue order.</summary>
    /// <exception cref="ArgumentException">A dimension is not in the catalogue.</exception>
    public static IReadOnlyList<string> Header(IEnumerable<string> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        var ordered = dimensions.Distinct(StringComparer.Ordinal).Select(d => StatisticsCatalogue.Dimension(d).Id).OrderBy(StatisticsCatalogue.Order);
        return [IndicatorColumn, TimePeriodColumn, .. ordered, ValueColumn, StatusColumn];
    }

    /// <summary>Reads a published statistics file, streaming: only the values and the kept problems are held.</summary>
    /// <param name="stream">The file, UTF-8 with or without a byte order mark.</param>
    /// <param name="options">The current year and how many problems to keep.</param>
    /// <param name="bytesRead">Told how many bytes have been read so far, for a progress bar.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static async Task<PublishedStatisticsFileResult> ReadAsync(Stream stream, PublishedStatisticsFileOptions options, IProgress<long>? bytesRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        CsvValues.CheckOptions(options.CurrentYear, options.MaxProblems, nameof(options.CurrentYear), nameof(options.MaxProblems));

        var problems = new ProblemCollector(options.MaxProblems);
        var reader = new CsvReader(stream, bytesRead);
        var values = new List<PublishedValue>();
        var rows = 0;
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            problems.Add(reader.NextLine, string.Empty, $"the file has no header; expected {string.Join(',', RequiredColumns)} with dimension columns before OBS_VALUE");
            return new PublishedStatisticsFileResult(values, problems.Kept, problems.Count, rows, CsvValues.IsSynthetic(reader.Comments));
        }

        var header = CsvHeader.Read(reader, RequiredColumns, StatisticsCatalogue.Dimensions.Select(d => d.Id).ToList(), problems);
        var parser = header.Complete ? new PublishedValueParser(header, options.CurrentYear, problems) : null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (CsvValues.CheckShape(reader, header, problems) && parser?.Parse(reader) is { } value)
            {
                values.Add(value);
            }
        }

        return new PublishedStatisticsFileResult(values, problems.Kept, problems.Count, rows, CsvValues.IsSynthetic(reader.Comments));
    }
}
