using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics.Data;
using NremNet.Node.Audit;

namespace NremNet.Node.Statistics;

/// <summary>
/// Imports one CSV file: validated whole first, every bad row reported by line and column; a file with any problem
/// stores nothing; a valid one is stored in one transaction, its years recomputed; the same file again changes nothing.
/// Shared by the user API and node setup.
/// </summary>
internal sealed class DataImporter(StatisticsStore store, AuditLog audit, IOptions<NodeOptions> options, TimeProvider time)
{
    /// <summary>Rows from which an import gives the memory it took back to the system when it ends.</summary>
    public const int LargeImportRows = 100_000;

    public async Task<ImportResult> ImportAsync(string actor, DataKind kind, string fileName, Stream content, long totalBytes, IProgress<ImportStep>? progress, CancellationToken cancellationToken)
    {
        var result = await ValidateAndStoreAsync(actor, kind, fileName, content, totalBytes, progress, cancellationToken).ConfigureAwait(false);
        if (result.Rows >= LargeImportRows)
        {
            // A large file is held whole while it is validated and stored (a million case records take several hundred
            // MB); the garbage collector would keep that memory committed while the node idles afterwards. The rows
            // are unreachable once ValidateAndStoreAsync has returned, so hand the memory back now.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        progress?.Report(new ImportStep("done", 1, 1));
        return result;
    }

    private async Task<ImportResult> ValidateAndStoreAsync(string actor, DataKind kind, string fileName, Stream content, long totalBytes, IProgress<ImportStep>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var read = new Progress<long>(bytes => progress?.Report(new ImportStep("validating", bytes, totalBytes)));
        var currentYear = time.GetUtcNow().Year;
        var result = new ImportResult();
        switch (kind)
        {
            case DataKind.CaseRecords:
            {
                var file = await CaseRecordFile.ReadAsync(content, new CaseRecordFileOptions { Country = options.Value.Country, CurrentYear = currentYear }, read, cancellationToken).ConfigureAwait(false);
                Fill(result, file.Rows, file.Problems, file.ProblemCount, file.Synthetic);
                if (file.ProblemCount == 0)
                {
                    Apply(result, await store.ImportCasesAsync(actor, fileName, file.Records, file.Synthetic, progress, cancellationToken).ConfigureAwait(false));
                }

                break;
            }

            case DataKind.PublishedStatistics:
            {
                var file = await PublishedStatisticsFile.ReadAsync(content, new PublishedStatisticsFileOptions { CurrentYear = currentYear }, read, cancellationToken).ConfigureAwait(false);
                Fill(result, file.Rows, file.Problems, file.ProblemCount, file.Synthetic);
                if (file.ProblemCount == 0)
                {
                    Apply(result, await store.ImportPublishedAsync(actor, fileName, file.Values, file.Synthetic, progress, cancellationToken).ConfigureAwait(false));
                }

                break;
            }

            default:
                throw new StatisticsRefusedException(StatisticsRefusalKind.Invalid, "Say what the file holds: case records or published statistics.");
        }

        if (!result.Imported)
        {
            await audit.AppendAsync(actor, "statistics.import", fileName, "rejected", new { kind = kind.ToString(), rows = result.Rows, problems = result.ProblemCount, first = result.Problems.Take(5).Select(p => $"line {p.Line} {p.Column}: {p.Message}") }, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    private static void Fill(ImportResult result, int rows, IReadOnlyList<Domain.Statistics.DataProblem> problems, int problemCount, bool synthetic)
    {
        result.Rows = rows;
        result.ProblemCount = problemCount;
        result.Synthetic = synthetic;
        result.Problems.Add(problems.Select(p => new DataProblem { Line = (int)p.Line, Column = p.Column, Message = p.Message }));
    }

    private static void Apply(ImportResult result, ImportOutcome outcome)
    {
        result.Imported = true;
        result.Changed = outcome.Changed;
        result.Unchanged = outcome.Unchanged;
        result.YearsRecomputed.Add(outcome.Years);
        result.DataVersion = outcome.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
