using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet data</c>: a node's statistics data — import files, write synthetic ones, see what is held.</summary>
internal static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "A node's statistics data: import case records or published statistics (admin), write synthetic files, see what the node holds.");
        data.Subcommands.Add(new ImportDataCommand(context));
        data.Subcommands.Add(new GenerateDataCommand(context));
        data.Subcommands.Add(new DataSummaryCommand(context));
        return data;
    }
}
