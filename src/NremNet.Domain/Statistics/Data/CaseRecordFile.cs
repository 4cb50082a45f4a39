using NremNet.Domain.Countries;

namespace NremNet.Domain.Statistics.Data;

/// <summary>How to read a case record file.</summary>
public sealed record CaseRecordFileOptions
{
    /// <summary>The node's country (ISO 3166-1 alpha-2): no referral may name it.</summary>
    public required string Country { get; init; }

    /// <summary>The latest year a record may be identified in.</summary>
    public required int CurrentYear { get; init; }

    /// <summary>How many problems to keep; all are counted.</summary>
    public int MaxProblems { get; init; } = 1000;
}

/// <summary>What was read from a case record file.</summary>
/// <param name="Records">The records of the rows without problems, in file order.</param>
/// <param name="Problems">The first <see cref="CaseRecordFileOptions.MaxProblems"/> problems, in file order.</param>
/// <param name="ProblemCount">How many problems the file has, kept or not.</param>
/// <param name="Rows">How many data rows the file has (without the header, comments and blank lines).</param>
/// <param name="Synthetic">Whether a <c># synthetic</c> comment before the header marks the data as synthetic.</param>
public sealed record CaseRecordFileResult(IReadOnlyList<CaseRecord> Records, IReadOnlyList<DataProblem> Problems, int ProblemCount, int Rows, bool Synthetic);

/// <summary>
/// The CSV file of person-level case records a node imports (RFC 4180, UTF-8). Its header names exactly the columns of
/// <see cref="Columns"/>, in any order and any case; <c>#</c> comment lines may come before it. Every value is checked and
/// every problem reported with its line and column; a row with a problem gives no record.
/// </summary>
public static class CaseRecordFile
{
    /// <summary>The record's identifier: 1 to 64 of letters, digits, '.', '_', ':', '-'; unique in the file.</summary>
    public const string RecordIdColumn = "record_id";

    /// <summary>The year the person was registered, from 2000 to the current year.</summary>
    public const string YearColumn = "year_identified";

    /// <summary><c>IDENT</c> or <c>PRESUMED</c>.</summary>
    public const string StatusColumn = "identification_status";

    /// <summary><c>F</c>, <c>M</c>, <c>X</c>, <c>UNK</c>; empty is <c>UNK</c>.</summary>
    public const string SexColumn = "sex";

    /// <summary>Age in years from 0 to 120; empty or <c>UNK</c> when not known.</summary>
    public const string AgeColumn = "age";

    /// <summary>ISO 3166-1 alpha-2 code, <c>XX</c> for stateless; empty (or <c>UNK</c>) when not known.</summary>
    public const string CitizenshipColumn = "citizenship";

    /// <summary>Codes of <c>EXPLOIT</c> separated by ';'; <c>UNK</c> only alone; empty is <c>UNK</c>.</summary>
    public const string ExploitationColumn = "exploitation";

    /// <summary>yes/no, true/false or 1/0; empty is no.</summary>
    public const string AssistanceColumn = "assistance";

    /// <summary>yes/no, true/false or 1/0; empty is no.</summary>
    public const string ResidencePermitColumn = "residence_permit";

    /// <summary><c>out:CC</c> and <c>in:CC</c> separated by ';', at most three countries each way.</summary>
    public const string ReferralsColumn = "referrals";

    /// <summary>The longest record id.</summary>
    public const int MaxRecordIdLength = 64;

    /// <summary>The highest age.</summary>
    public const int MaxAge = 120;

    /// <summary>The columns of the header, in the order files are written.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        RecordIdColumn,
        YearColumn,
        StatusColumn,
        SexColumn,
        AgeColumn,
        CitizenshipColumn,
        ExploitationColumn,
        AssistanceColumn,
        ResidencePermitColumn,
        ReferralsColumn,
    ];

    /// <summary>Reads a case record file, streaming: only the records and the kept problems are held.</summary>
    /// <param name="stream">The file, UTF-8 with or without a byte order mark.</param>
    /// <param name="options">The node's country, the current year and how many problems to keep.</param>
    /// <param name="bytesRead">Told how many bytes have been read so far, for a progress bar.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static async Task<CaseRecordFileResult> ReadAsync(Stream stream, CaseRecordFileOptions options, IProgress<long>? bytesRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var home = Country.Find(options.Country)
            ?? throw new ArgumentException($"Country '{options.Country}' is not an ISO 3166-1 alpha-2 code.", nameof(options));
        CsvValues.CheckOptions(options.CurrentYear, options.MaxProblems, nameof(options.CurrentYear), nameof(options.MaxProblems));

        var problems = new ProblemCollector(options.MaxProblems);
        var reader = new CsvReader(stream, bytesRead);
        var records = new List<CaseRecord>();
        var rows = 0;
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            problems.Add(reader.NextLine, string.Empty, $"the file has no header; expected the columns {string.Join(',', Columns)}");
            return new CaseRecordFileResult(records, problems.Kept, problems.Count, rows, CsvValues.IsSynthetic(reader.Comments));
        }

        var header = CsvHeader.Read(reader, Columns, [], problems);
        var parser = header.Complete ? new CaseRecordParser(header, home.Code, options.CurrentYear, problems) : null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (CsvValues.CheckShape(reader, header, problems) && parser?.Parse(reader) is { } record)
            {
                records.Add(record);
            }
        }

        return new CaseRecordFileResult(records, problems.Kept, problems.Count, rows, CsvValues.IsSynthetic(reader.Comments));
    }
}
