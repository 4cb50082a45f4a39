namespace NremNet.Domain.Statistics;

/// <summary>
/// One person-level case record, after the subset of the CTDC HTCDS case standard NremNet holds. It never leaves the
/// node that imported it: only protected aggregates do.
/// </summary>
/// <param name="RecordId">The record's identifier at the node, unique there (1 to 64 of letters, digits, '.', '_', '-').</param>
/// <param name="YearIdentified">The year the person was registered as a (presumed) victim.</param>
/// <param name="IdentificationStatus"><c>IDENT</c> or <c>PRESUMED</c>.</param>
/// <param name="Sex"><c>F</c>, <c>M</c>, <c>X</c> or <c>UNK</c>.</param>
/// <param name="Age">Age in years at identification, or null when not known.</param>
/// <param name="Citizenship">ISO 3166-1 alpha-2 citizenship, <c>XX</c> for stateless, or null when not known.</param>
/// <param name="Exploitation">The forms of exploitation (codes of <c>EXPLOIT</c>), in catalogue order; just <c>UNK</c> when none is known.</param>
/// <param name="Assisted">Whether the person received assistance.</param>
/// <param name="ResidencePermit">Whether the person was granted a residence permit.</param>
/// <param name="ReferredTo">Countries the person was referred to (at most three), in code order.</param>
/// <param name="ReferredFrom">Countries the person was referred from (at most three), in code order.</param>
public sealed record CaseRecord(
    string RecordId,
    int YearIdentified,
    string IdentificationStatus,
    string Sex,
    int? Age,
    string? Citizenship,
    IReadOnlyList<string> Exploitation,
    bool Assisted,
    bool ResidencePermit,
    IReadOnlyList<string> ReferredTo,
    IReadOnlyList<string> ReferredFrom)
{
    /// <summary>The citizenship code of a stateless person.</summary>
    public const string Stateless = "XX";
}

/// <summary>SDMX OBS_STATUS of a value.</summary>
public enum ObservationStatus
{
    /// <summary>A: a normal value.</summary>
    Normal,

    /// <summary>O: missing — the value is not known (never 0).</summary>
    Missing,

    /// <summary>Q: withheld to protect confidentiality.</summary>
    Withheld,

    /// <summary>E: estimated.</summary>
    Estimated,

    /// <summary>P: provisional.</summary>
    Provisional,
}

/// <summary>SDMX CONF_STATUS of a value.</summary>
public enum ConfidentialityStatus
{
    /// <summary>F: free for publication.</summary>
    Free,

    /// <summary>C: withheld because the count itself is small (primary suppression).</summary>
    Primary,

    /// <summary>D: withheld so that a small count cannot be derived (secondary suppression).</summary>
    Secondary,
}

/// <summary>The SDMX codes of the statuses.</summary>
public static class StatusCodes
{
    /// <summary>The SDMX code of an observation status (A, O, Q, E, P).</summary>
    public static string Code(this ObservationStatus status) => status switch
    {
        ObservationStatus.Normal => "A",
        ObservationStatus.Missing => "O",
        ObservationStatus.Withheld => "Q",
        ObservationStatus.Estimated => "E",
        ObservationStatus.Provisional => "P",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The SDMX code of a confidentiality status (F, C, D).</summary>
    public static string Code(this ConfidentialityStatus status) => status switch
    {
        ConfidentialityStatus.Free => "F",
        ConfidentialityStatus.Primary => "C",
        ConfidentialityStatus.Secondary => "D",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The observation status with this SDMX code, or null.</summary>
    public static ObservationStatus? ParseObservation(string? code) => code switch
    {
        "A" => ObservationStatus.Normal,
        "O" => ObservationStatus.Missing,
        "Q" => ObservationStatus.Withheld,
        "E" => ObservationStatus.Estimated,
        "P" => ObservationStatus.Provisional,
        _ => null,
    };
}

/// <summary>
/// One value of a node's published statistics tables, imported as it is.
/// </summary>
/// <param name="Indicator">The indicator id.</param>
/// <param name="Year">TIME_PERIOD.</param>
/// <param name="Cell">The cell's codes, without TIME_PERIOD (see <see cref="CellCodes"/>).</param>
/// <param name="Value">OBS_VALUE; null when missing or withheld at publication.</param>
/// <param name="Status">OBS_STATUS as published.</param>
public sealed record PublishedValue(string Indicator, int Year, CellCodes Cell, long? Value, ObservationStatus Status);

/// <summary>A problem with one value of an input file, for a person to fix.</summary>
/// <param name="Line">The line of the file, from 1 (the header is line 1 unless comments come first).</param>
/// <param name="Column">The column's name, or empty for the whole row.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record DataProblem(long Line, string Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Column.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}, column {Column}: {Message}";
}
