using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Statistics;

/// <summary>The statistics verbs: <c>query</c> (rapporteur), <c>data</c> and <c>agreement</c> (admin).</summary>
internal static class StatisticsCommands
{
    /// <summary>Adds the statistics verbs to the command tree.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(new QueryCommand(context));
        root.Subcommands.Add(DataCommands.Create(context));
        root.Subcommands.Add(AgreementCommands.Create(context));
    }
}
