using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NremNet.Disclosure.Benchmarks;

/// <summary>One year's protection, as one variant measured it.</summary>
/// <param name="Year">The year.</param>
/// <param name="Records">Case records of the year (0 for a node with published tables only).</param>
/// <param name="Cells">Cells of the year's release set, from records and published tables.</param>
/// <param name="Primary">Withheld as small (C).</param>
/// <param name="Secondary">Withheld to protect others (D), relabelled small cells included.</param>
/// <param name="Relabelled">Small cells flagged D rather than C (after only; 0 before, which had no such step).</param>
/// <param name="Unprotectable">Withheld cells the audit could not prove.</param>
/// <param name="Solves">Programs the audit solved.</param>
/// <param name="Seconds">Protection time of the year alone (nothing else running in the process).</param>
internal sealed record YearFigures(int Year, int Records, int Cells, int Primary, int Secondary, int Relabelled, int Unprotectable, long Solves, double Seconds)
{
    public int Withheld => Primary + Secondary;

    public double WithheldShare => Cells == 0 ? 0 : (double)Withheld / Cells;
}

/// <summary>One import (every selected year of a node's data), as one variant measured it.</summary>
/// <param name="Name">What was imported; the key that pairs before with after.</param>
/// <param name="Country">The node's country.</param>
/// <param name="Source">case records (with the published tables they do not cover), or published tables only.</param>
/// <param name="AggregateSeconds">
/// Building every year's input: records to cells (and, after, to joint tables), with the published cells added.
/// </param>
/// <param name="Years">Each year, protected alone.</param>
/// <param name="ParallelWallSeconds">Every year protected side by side (Parallel.ForAsync, as the node does); null when not run.</param>
/// <param name="ParallelIdentical">Whether the side-by-side run gave every cell the same status as the years alone.</param>
internal sealed record ImportFigures(string Name, string Country, string Source, double AggregateSeconds, IReadOnlyList<YearFigures> Years, double? ParallelWallSeconds, bool? ParallelIdentical)
{
    public double SumOfYearsSeconds => Years.Sum(y => y.Seconds);

    public int Records => Years.Sum(y => y.Records);

    public int Cells => Years.Sum(y => y.Cells);

    public int Withheld => Years.Sum(y => y.Withheld);

    public double WithheldShare => Cells == 0 ? 0 : (double)Withheld / Cells;
}

/// <summary>Everything one variant (build) measured.</summary>
/// <param name="Variant">before (commit 6762291) or after (the working tree).</param>
/// <param name="Label">Which code it was, as run.sh names it.</param>
/// <param name="Threshold">k.</param>
/// <param name="Cpus">Processors the side-by-side run could use.</param>
/// <param name="Imports">The imports, in the order measured.</param>
/// <param name="LoadAverageStart">The machine's 1-minute load average when measuring started (Linux), for judging the times.</param>
/// <param name="LoadAverageEnd">The same when it ended.</param>
internal sealed record VariantFigures(string Variant, string Label, int Threshold, int Cpus, IReadOnlyList<ImportFigures> Imports, double? LoadAverageStart, double? LoadAverageEnd);

internal static class FiguresJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people and scripts, not for a web page
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, value, Options, cancellationToken);
    }

    public static async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(file, Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} holds no figures.");
    }
}
