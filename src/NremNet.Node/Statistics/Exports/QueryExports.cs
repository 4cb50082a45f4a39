using System.Globalization;
using System.Text;

namespace NremNet.Node.Statistics.Exports;

/// <summary>A file format query results can be downloaded in.</summary>
/// <param name="Id">The id the command line's <c>--format</c> and the console's links use, e.g. <c>sdmx-csv</c>.</param>
/// <param name="Name">The format's name for people (English).</param>
/// <param name="MediaType">The media type to serve it with.</param>
/// <param name="Extension">The file name extension, with its dot.</param>
/// <param name="Binary">Whether the file is binary (XLSX) rather than UTF-8 text.</param>
public sealed record ExportFormat(string Id, string Name, string MediaType, string Extension, bool Binary);

/// <summary>
/// The downloads of a federated query's results, one piece of code for the command line (<c>nremnet query --format</c>)
/// and the console: CSV, JSON, SDMX-JSON, SDMX-CSV and XLSX, each marking withheld, missing, noisy and synthetic
/// figures as the command line does. Text formats are UTF-8 without a byte order mark, LF line ends.
/// </summary>
public static class QueryExports
{
    /// <summary>SDMX-style long CSV (<see cref="QueryCsvRenderer"/>).</summary>
    public static readonly ExportFormat Csv = new("csv", "CSV", "text/csv; charset=utf-8", ".csv", Binary: false);

    /// <summary>NremNet's stable JSON for scripts (<see cref="QueryJsonRenderer"/>).</summary>
    public static readonly ExportFormat Json = new("json", "JSON", "application/json; charset=utf-8", ".json", Binary: false);

    /// <summary>An SDMX-JSON 1.0 data message (<see cref="SdmxJsonRenderer"/>).</summary>
    public static readonly ExportFormat SdmxJson = new("sdmx-json", "SDMX-JSON", "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8", ".sdmx.json", Binary: false);

    /// <summary>SDMX-CSV 2.0 (<see cref="SdmxCsvRenderer"/>).</summary>
    public static readonly ExportFormat SdmxCsv = new("sdmx-csv", "SDMX-CSV", "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", ".sdmx.csv", Binary: false);

    /// <summary>An Excel workbook (<see cref="QueryXlsxRenderer"/>).</summary>
    public static readonly ExportFormat Xlsx = new("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", Binary: true);

    /// <summary>Every format, in the order to offer them.</summary>
    public static readonly IReadOnlyList<ExportFormat> All = [Csv, SdmxCsv, SdmxJson, Xlsx, Json];

    /// <summary>The format with this id (exact, lower case), or null.</summary>
    public static ExportFormat? Find(string? id) => All.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.Ordinal));

    /// <summary>The text of a text format.</summary>
    /// <exception cref="ArgumentException">The format is binary.</exception>
    public static string RenderText(QueryOutcome outcome, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(format);
        return format.Id switch
        {
            "csv" => QueryCsvRenderer.Render(outcome),
            "json" => QueryJsonRenderer.Render(outcome),
            "sdmx-json" => SdmxJsonRenderer.Render(outcome),
            "sdmx-csv" => SdmxCsvRenderer.Render(outcome),
            _ => throw new ArgumentException($"{format.Name} is not a text format.", nameof(format)),
        };
    }

    /// <summary>The file's bytes, in any format.</summary>
    public static byte[] Render(QueryOutcome outcome, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Binary ? QueryXlsxRenderer.Render(outcome) : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(RenderText(outcome, format));
    }

    /// <summary>
    /// A file name for the download, e.g. <c>nremnet-THB_VICT_REG-2019-2024-20250314T092653Z.csv</c>; only letters,
    /// digits, '-', '_' and '.'.
    /// </summary>
    public static string FileName(QueryOutcome outcome, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(format);
        var query = outcome.Query;
        var name = string.Create(CultureInfo.InvariantCulture, $"nremnet-{query.Indicator}-{query.StartYear}-{query.EndYear}-{outcome.Prepared.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
        return new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]) + format.Extension;
    }
}
