using System.CommandLine;
using System.Text.Json;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>Runs <c>nremnet</c> commands in this process, each with fresh output, against a profile store of the test's own.</summary>
internal sealed class CliRunner(string profilesPath, ITestOutputHelper? log = null)
{
    public ProfileStore Profiles { get; } = new(profilesPath);

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new RecordingOutput();
        var context = new CliContext(output, TimeProvider.System) { Profiles = () => new ProfileStore(profilesPath) };
        var console = new StringWriter();
        var exitCode = await CliApplication.Create(context).Parse(args).InvokeAsync(
            new InvocationConfiguration { Output = console, Error = console },
            TestContext.Current.CancellationToken);
        var run = new CliRun(args, exitCode, output, console.ToString());
        log?.WriteLine($"$ nremnet {string.Join(' ', args)}{Environment.NewLine}{run.Describe()}");
        return run;
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<CliRun> SucceedAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == ExitCodes.Ok, $"'nremnet {string.Join(' ', args)}' failed: {run.Describe()}");
        return run;
    }
}

/// <summary>One command's exit code and everything it wrote.</summary>
internal sealed record CliRun(string[] Args, int ExitCode, RecordingOutput Output, string Console)
{
    /// <summary>The single JSON value the command wrote.</summary>
    public JsonElement Json => Assert.Single(Output.JsonValues);

    /// <summary>Errors in one string.</summary>
    public string ErrorText => string.Join(Environment.NewLine, Output.Errors) + Console;

    /// <summary>The table with this title.</summary>
    public RecordedTable Table(string titleStart) =>
        Output.Tables.FirstOrDefault(t => t.Title?.StartsWith(titleStart, StringComparison.Ordinal) == true)
            ?? throw new Xunit.Sdk.XunitException($"No table titled '{titleStart}…' in: {Describe()}");

    public string Describe() => $"exit code {ExitCode}{Environment.NewLine}{Output.Text}{(Console.Length > 0 ? Environment.NewLine + Console : string.Empty)}";
}
