using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet data summary</c>: what the node holds, per indicator and year, and how much of it is withheld.</summary>
internal sealed class DataSummaryCommand : VerbCommand
{
    public DataSummaryCommand(CliContext context)
        : base(context, "summary", "Show what the node holds: records, published values, and per indicator and year the source, the total, the cells and how many are withheld (rapporteur or admin).")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, role: null);
        var summary = await new StatisticsService.StatisticsServiceClient(connection.Invoker).GetDataSummaryAsync(new GetDataSummaryRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var years = summary.Years
            .OrderBy(y => StatisticsText.IndicatorOrder(y.Indicator))
            .ThenBy(y => y.Indicator, StringComparer.Ordinal)
            .ThenBy(y => y.Year)
            .ToList();
        if (Output.Json)
        {
            Output.WriteJson(new
            {
                country = summary.Country,
                caseRecords = summary.CaseRecords,
                publishedValues = summary.PublishedValues,
                dataVersion = summary.DataVersion,
                updatedAt = CliValues.At(summary.UpdatedAt),
                synthetic = summary.Synthetic,
                threshold = summary.Threshold,
                cellKeyPerturbation = summary.CellKeyPerturbation,
                unprotectable = summary.Unprotectable,
                years = years.Select(y => new
                {
                    indicator = y.Indicator,
                    year = y.Year,
                    source = StatisticsText.SourceId(y.Source),
                    total = y.HasTotal ? y.Total : (long?)null,
                    cells = y.Cells,
                    primary = y.Primary,
                    secondary = y.Secondary,
                }),
            });
            return ExitCodes.Ok;
        }

        if (summary.Synthetic)
        {
            Output.Warning($"SYNTHETIC DATA: {summary.Country} holds invented figures (demonstration or test data), not real cases.");
        }

        Output.Line($"Node {summary.Country}: {StatisticsText.Number(summary.CaseRecords)} case records, {StatisticsText.Number(summary.PublishedValues)} published values; data version {(summary.DataVersion.Length == 0 ? "—" : summary.DataVersion)}, updated {CliValues.Time(summary.UpdatedAt)}.");
        Output.Line($"Threshold k = {summary.Threshold}; cell-key perturbation {(summary.CellKeyPerturbation ? "on" : "off")} by default.");
        if (summary.Unprotectable > 0)
        {
            Output.Warning($"{summary.Unprotectable} withheld cells could not be shielded fully by the suppression audit; their tables are withheld whole.");
        }

        if (years.Count == 0)
        {
            Output.Line("No figures yet: import case records or published statistics with 'nremnet data import FILE --kind cases|statistics'.");
            return ExitCodes.Ok;
        }

        Output.Table(
            $"Figures held by {summary.Country}{(summary.Synthetic ? " (SYNTHETIC)" : string.Empty)}",
            ["indicator", "year", "source", "total", "cells", "withheld C", "withheld D"],
            years.Select(y => (IReadOnlyList<string>)
            [
                y.Indicator,
                y.Year.ToString(CultureInfo.InvariantCulture),
                StatisticsText.Source(y.Source),
                y.HasTotal ? StatisticsText.Number(y.Total) : "..",
                StatisticsText.Number(y.Cells),
                StatisticsText.Number(y.Primary),
                StatisticsText.Number(y.Secondary),
            ]));
        return ExitCodes.Ok;
    }
}
