using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Statistics;

/// <summary><c>--kind cases|statistics</c>: what a data file holds, as the data verbs read and name it.</summary>
internal static class DataKinds
{
    /// <summary>Person-level case records.</summary>
    public const string Cases = "cases";

    /// <summary>Published statistics tables in long format.</summary>
    public const string Statistics = "statistics";

    /// <summary>The <c>--kind</c> option.</summary>
    public static Option<string> Option(bool required)
    {
        var option = new Option<string>("--kind", "-k")
        {
            Description = required
                ? "What the file holds: cases (person-level case records) or statistics (published statistics tables)."
                : "What to write: cases or statistics (default: cases for a country whose synthetic node holds case records, else statistics).",
            Required = required,
        };
        option.AcceptOnlyFromAmong(Cases, Statistics);
        return option;
    }

    /// <summary>The user API's kind for a name of <c>--kind</c>.</summary>
    public static DataKind Parse(string name) => name switch
    {
        Cases => DataKind.CaseRecords,
        Statistics => DataKind.PublishedStatistics,
        _ => throw new CliException(ExitCodes.Usage, $"--kind '{name}': use {Cases} or {Statistics}."),
    };

    /// <summary>The name of a kind, as <c>--kind</c> takes it.</summary>
    public static string Name(DataKind kind) => kind == DataKind.CaseRecords ? Cases : Statistics;
}
