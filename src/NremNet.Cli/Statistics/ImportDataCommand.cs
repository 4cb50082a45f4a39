using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Statistics;

/// <summary>
/// <c>nremnet data import FILE --kind cases|statistics</c>: streams a CSV file to the node in 64 KiB chunks; the node
/// validates it whole and stores it in one transaction or not at all. A rejected file exits with
/// <see cref="ExitCodes.CheckFailed"/> after listing its problems.
/// </summary>
internal sealed class ImportDataCommand : VerbCommand
{
    /// <summary>The size of each chunk sent.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>The most problems listed on screen; the rest are counted.</summary>
    public const int MaxProblemsShown = 200;

    private readonly Argument<string> _file = new("file") { Description = "The CSV file: case records or published statistics (see 'nremnet data generate' for the shape)." };
    private readonly Option<string> _kind = DataKinds.Option(required: true);

    public ImportDataCommand(CliContext context)
        : base(context, "import", "Import a CSV file of case records or published statistics into the node (admin only). Every bad row is reported by line and column, and a file with any problem stores nothing; exit code 8 when rejected.")
    {
        Arguments.Add(_file);
        Options.Add(_kind);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(parse.GetValue(_file)!);
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.NotFound, $"There is no file {path}.");
        }

        var kind = DataKinds.Parse(parse.GetValue(_kind)!);
        var name = Path.GetFileName(path);
        var size = new FileInfo(path).Length;
        var terminal = StatisticsTerminal.For(parse);
        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var node = connection.Profile.Node;

        var result = await ImportProgress.RunAsync(terminal, $"Sending {name} to node {node}", size, progress =>
            SendAsync(connection, path, name, kind, size, progress, cancellationToken)).ConfigureAwait(false);

        var problems = result.Problems.Select(p => new { p.Line, column = p.Column.Length == 0 ? null : p.Column, p.Message }).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new
            {
                node,
                file = path,
                kind = DataKinds.Name(kind),
                result.Imported,
                result.Rows,
                result.Changed,
                result.Unchanged,
                yearsRecomputed = result.YearsRecomputed.Order().ToList(),
                dataVersion = result.DataVersion.Length == 0 ? null : result.DataVersion,
                result.Synthetic,
                result.ProblemCount,
                problems,
            });
            return result.Imported ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }

        if (!result.Imported)
        {
            Output.Error($"{name} was rejected: {result.ProblemCount} problem{(result.ProblemCount == 1 ? string.Empty : "s")} in {result.Rows} rows; nothing was stored. Fix every row listed and import the file again.");
            var shown = result.Problems.Take(MaxProblemsShown).ToList();
            Output.Table(
                $"Problems in {name}",
                ["line", "column", "problem"],
                shown.Select(p => (IReadOnlyList<string>)[p.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Column.Length == 0 ? "—" : p.Column, p.Message]));
            if (result.ProblemCount > shown.Count)
            {
                Output.Line($"… and {result.ProblemCount - shown.Count} more problem{(result.ProblemCount - shown.Count == 1 ? string.Empty : "s")} not listed.");
            }

            return ExitCodes.CheckFailed;
        }

        if (result.Synthetic)
        {
            Output.Warning($"{name} holds SYNTHETIC data: the node's figures are marked synthetic in every answer.");
        }

        var years = result.YearsRecomputed.Count == 0 ? "none" : QueryTableRenderer.YearRanges(result.YearsRecomputed);
        Output.Success($"Imported {name} into {node}: {result.Rows} rows, {result.Changed} changed, {result.Unchanged} unchanged; years recomputed: {years}; data version {result.DataVersion}.");
        return ExitCodes.Ok;
    }

    private static async Task<ImportResult> SendAsync(NodeConnection connection, string path, string name, DataKind kind, long size, IImportProgress progress, CancellationToken cancellationToken)
    {
        using var call = new StatisticsService.StatisticsServiceClient(connection.Invoker).ImportData(new CallOptions(deadline: DateTime.UtcNow.AddMinutes(30), cancellationToken: cancellationToken));
        var reading = Task.Run(
            async () =>
            {
                ImportResult? result = null;
                await foreach (var step in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    progress.Node(step);
                    result = step.Result ?? result;
                }

                return result;
            },
            cancellationToken);

        try
        {
            await call.RequestStream.WriteAsync(new ImportDataRequest { Kind = kind, FileName = name, TotalBytes = size }, cancellationToken).ConfigureAwait(false);
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[ChunkSize];
                long sent = 0;
                int read;
                while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await call.RequestStream.WriteAsync(new ImportDataRequest { Chunk = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken).ConfigureAwait(false);
                    sent += read;
                    progress.Sent(sent);
                }
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The node may have ended the call (no role, bad request): its status says why better than a failed write.
            await reading.ConfigureAwait(false);
            throw;
        }

        return await reading.ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.Failed, $"The node ended the import of {name} without a result; check its log.");
    }
}
