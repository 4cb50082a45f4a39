using NremNet.Testing;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>The built <c>nremnet</c> program, run as a separate process, for verbs that serve until stopped.</summary>
internal static class NremnetProcess
{
    private static string Program => Path.Combine(AppContext.BaseDirectory, "nremnet.dll");

    private static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts <c>nremnet</c> with the arguments, from <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, params string[] args) =>
        ChildProcess.Start(DotNet, [Program, .. args], workingDirectory);

    /// <summary>Starts <c>nremnet</c> with the arguments and extra environment variables, from <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, IDictionary<string, string> environment, params string[] args) =>
        ChildProcess.Start(DotNet, [Program, .. args], workingDirectory, environment);

    /// <summary>Asks a process to stop as a service manager would (SIGTERM) and returns its exit code.</summary>
    public static async Task<int> TerminateAsync(ChildProcess child)
    {
        var signal = await ChildProcess.RunAsync("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(signal.ExitCode == 0, signal.Output);
        return await child.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
