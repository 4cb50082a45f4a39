using System.CommandLine;
using Spectre.Console;

namespace NremNet.Cli.Statistics;

/// <summary>
/// The raw streams the statistics verbs write to: documents (tables, CSV, JSON) go to standard output unchanged, never
/// wrapped to the terminal's width; live status and progress go to standard error — drawn with Spectre.Console on a
/// terminal, as plain lines when it is redirected or under CI. Tests get the streams they invoked the command with.
/// </summary>
internal sealed class StatisticsTerminal(TextWriter output, TextWriter error, bool interactive)
{
    /// <summary>Standard output, for documents.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error, for status and progress.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Whether standard error is a terminal a person watches (not redirected, not CI).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The streams of this invocation.</summary>
    public static StatisticsTerminal For(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var interactive = ReferenceEquals(error, Console.Error)
            && !Console.IsErrorRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new StatisticsTerminal(output, error, interactive);
    }

    /// <summary>A Spectre console drawing on standard error (for <see cref="Interactive"/> only).</summary>
    public IAnsiConsole ErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
}
