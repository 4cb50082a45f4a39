using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace NremNet.Cli.Federation;

/// <summary>A process of the local federation (the directory or a node) started from this program.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>nremnet</c> itself with the arguments. The process appends its output to the log file itself, so the log
    /// goes on when this program exits (as after <c>federation up --detach</c>); this program follows the file to see
    /// when the process serves.
    /// </summary>
    public static ChildProcess StartSelf(string name, IEnumerable<string> arguments, string logFile)
    {
        var (program, prefix) = SelfCommand();
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var info = new ProcessStartInfo { UseShellExecute = false };
        if (OperatingSystem.IsWindows())
        {
            // No shell to redirect with: the log is written only while this program runs.
            info.FileName = program;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
        }
        else
        {
            info.FileName = "/bin/sh";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$0\" \"$@\" >> \"$NREMNET_CHILD_LOG\" 2>&1");
            info.ArgumentList.Add(program);
            info.Environment["NREMNET_CHILD_LOG"] = logFile;
        }

        foreach (var argument in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var start = new FileInfo(logFile).Length;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log);
        process.Exited += (_, _) => child._listening.TrySetException(new InvalidOperationException($"{name} exited with code {SafeExitCode(process)} before it served; see {logFile}."));
        process.Start();
        if (info.RedirectStandardOutput)
        {
            process.OutputDataReceived += (_, e) => child.OnLine(e.Data, write: true);
            process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, write: true);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        else
        {
            _ = child.FollowAsync(logFile, start);
        }

        return child;
    }

    /// <summary>The line the process printed once it served.</summary>
    public Task<string> Listening => _listening.Task;

    /// <summary>The last lines it printed, for error messages.</summary>
    public string Tail { get; private set; } = string.Empty;

    /// <summary>Asks the process to stop (SIGTERM), then waits; kills it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Terminate(_process.Id);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        _process.Dispose();
        _log.Dispose();
    }

    /// <summary>Sends SIGTERM to a process (on Windows, ends it).</summary>
    public static void Terminate(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }

            return;
        }

        _ = SendSignal(processId, 15);
    }

    /// <summary>Whether a process with the id is running.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void OnLine(string? line, bool write)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (write)
            {
                _log.WriteLine(line);
            }

            Tail = string.Join(Environment.NewLine, (Tail + Environment.NewLine + line).Split(Environment.NewLine).TakeLast(12));
        }

        if (ListeningLine().IsMatch(line))
        {
            _listening.TrySetResult(line);
        }
    }

    /// <summary>Reads what the process appends to its log until it serves or exits.</summary>
    private async Task FollowAsync(string logFile, long offset)
    {
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (!_listening.Task.IsCompleted)
        {
            var line = await reader.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
                continue;
            }

            OnLine(line, write: false);
        }
    }

    private static (string Program, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running.");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && entry is not null ? (path, [entry]) : (path, []);
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"listening on ")]
    private static partial Regex ListeningLine();
}
