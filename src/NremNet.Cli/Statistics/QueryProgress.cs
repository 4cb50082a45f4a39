using Grpc.Core;
using NremNet.Contracts.Local.V1;
using Spectre.Console;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary>
/// Reads a federated query's results as they stream in, showing a status line per country as it arrives on standard
/// error: a spinner naming the countries still awaited on a terminal, plain lines otherwise.
/// </summary>
internal static class QueryProgress
{
    /// <summary>Every result of the stream, in the order they arrived.</summary>
    public static async Task<IReadOnlyList<FederatedQueryResponse>> CollectAsync(
        IAsyncStreamReader<FederatedQueryResponse> stream,
        IReadOnlyList<string> countries,
        string node,
        StatisticsTerminal terminal,
        CancellationToken cancellationToken)
    {
        var results = new List<FederatedQueryResponse>();
        var waiting = countries.ToList();
        var title = $"Asking {string.Join(", ", countries)} through node {node}";
        if (!terminal.Interactive)
        {
            await terminal.Error.WriteLineAsync(title + "…").ConfigureAwait(false);
            await foreach (var result in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
                await terminal.Error.WriteLineAsync("  " + Line(result)).ConfigureAwait(false);
            }

            return results;
        }

        var console = terminal.ErrorConsole();
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync(title + "…", async status =>
        {
            await foreach (var result in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
                waiting.Remove(result.Country);
                console.MarkupLine($"  {Mark(result.Status)} {Markup.Escape(Line(result))}");
                status.Status(waiting.Count == 0 ? "Done." : $"Waiting for {string.Join(", ", waiting)}…");
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>One country's arrival, in one line: status, reason, cells, timing.</summary>
    public static string Line(FederatedQueryResponse result)
    {
        var text = $"{result.Country}  {StatisticsText.Status(result.Status)}";
        if (result.Reason.Length > 0)
        {
            text += $": {result.Reason}";
        }

        if (result.Answer is { } answer && StatisticsText.Answered(result))
        {
            text += $" · {answer.Cells.Count} cells";
        }

        return text + " · " + StatisticsText.Timing(result);
    }

    private static string Mark(CountryStatus status) => status switch
    {
        CountryStatus.Ok => "[green]✓[/]",
        CountryStatus.PartlyWithheld => "[yellow]◐[/]",
        _ => "[red]✗[/]",
    };
}
