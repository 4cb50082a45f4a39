using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using NremNet.Contracts.Local.V1;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Practices.Benchmarks;

/// <summary>
/// One sample node as the benchmark sees it: its rapporteur's connection to the user API (the profile
/// <c>federation up</c> saved), its process (found in <c>federation.json</c>, or started again by the benchmark with
/// the command line, working directory and environment <c>federation up</c> gave it) and its <c>node.db</c>.
/// </summary>
internal sealed class BenchNode : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string _token;
    private readonly string[] _commandLine;
    private readonly string _workingDirectory;
    private Process? _started;

    private BenchNode(string country, string url, string token, string caFile, int processId, string database, string log)
    {
        Country = country;
        Url = new Uri(url);
        _token = token;
        ProcessId = processId;
        Database = database;
        Log = log;
        _channel = NetworkChannel.Create(url, new NetworkChannelOptions { TrustedServerRoots = [PemFiles.Load(caFile)] });
        Client = new PracticeService.PracticeServiceClient(_channel);

        // Read now, while the process 'federation up' started is alive: the same command line starts it again.
        _commandLine = [.. File.ReadAllText($"/proc/{processId}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        _workingDirectory = new DirectoryInfo($"/proc/{processId}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Environment.CurrentDirectory;
    }

    /// <summary>The node's country.</summary>
    public string Country { get; }

    /// <summary>The user API's address.</summary>
    public Uri Url { get; }

    /// <summary>The node's current process.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Whether the benchmark started the current process (and must stop it at the end).</summary>
    public bool StartedHere => _started is not null;

    /// <summary>The node's SQLite file.</summary>
    public string Database { get; }

    /// <summary>The node's log file, which a process started again appends to.</summary>
    public string Log { get; }

    /// <summary>Whether the node is stopped or killed and not started again yet.</summary>
    public bool Down { get; private set; }

    /// <summary>How many times the node was started again; a call that failed in an older generation may have been lost with the process.</summary>
    public int Generation { get; private set; }

    /// <summary>The practice service, called as the node's rapporteur.</summary>
    public PracticeService.PracticeServiceClient Client { get; }

    /// <summary>The node of <paramref name="country"/> in the federation of <paramref name="state"/>.</summary>
    public static BenchNode Open(string state, JsonNode federation, JsonArray profiles, string country)
    {
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(profiles);
        var entry = federation["nodes"]!.AsArray().FirstOrDefault(n => (string?)n!["country"] == country)
            ?? throw new InvalidOperationException($"{country} is not a node of the federation in {state}.");
        var configFile = (string)entry["configFile"]!;
        var processId = NodeProcess((int?)entry["processId"], configFile)
            ?? throw new InvalidOperationException($"No process runs {country}'s node (nremnet node run --config {configFile}); is the federation up?");
        var profile = profiles.FirstOrDefault(p => (string?)p!["node"] == country && p!["roles"]!.AsArray().Any(r => (string?)r == "rapporteur"))
            ?? throw new InvalidOperationException($"No saved profile of a rapporteur of {country} in {state}/profiles.json; did 'federation up' make the demo accounts?");
        var config = JsonNode.Parse(File.ReadAllText(configFile))!;
        var dataDirectory = (string?)config["node"]?["dataDirectory"] ?? Path.Combine(state, "nodes", country, "data");
        return new BenchNode(
            country, (string)profile["url"]!, (string)profile["token"]!, (string)profile["caFile"]!, processId,
            Path.Combine(dataDirectory, "node.db"), Path.Combine(state, "logs", $"node-{country}.log"));
    }

    /// <summary>
    /// The process running the node of <paramref name="configFile"/>: the one <c>federation.json</c> names if it still
    /// does, else one found by its command line (a node started again since, e.g. by an earlier benchmark).
    /// </summary>
    private static int? NodeProcess(int? recorded, string configFile)
    {
        static bool Runs(int processId, string configFile)
        {
            try
            {
                var arguments = File.ReadAllText($"/proc/{processId}/cmdline").Split('\0');
                var at = Array.IndexOf(arguments, "--config");
                return at > 0 && at + 1 < arguments.Length && arguments[at + 1] == configFile && arguments.Contains("node") && arguments.Contains("run");
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        if (recorded is { } known && Runs(known, configFile))
        {
            return known;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var processId) && Runs(processId, configFile))
            {
                return processId;
            }
        }

        return null;
    }

    /// <summary>Call options with the rapporteur's token and a deadline.</summary>
    public CallOptions Call(double seconds = 60, CancellationToken cancellationToken = default) =>
        new(new Metadata { { "authorization", "Bearer " + _token } }, DateTime.UtcNow.AddSeconds(seconds), cancellationToken);

    /// <summary>Stops the node as an operator would (SIGTERM; SIGKILL after 30 s).</summary>
    public async Task StopAsync()
    {
        Down = true;
        using var process = Process.GetProcessById(ProcessId);
        using (var kill = Process.Start("kill", ["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the node with SIGKILL: no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        Down = true;
        using var process = Process.GetProcessById(ProcessId);
        process.Kill();
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the node again with the command line, directory and environment it had; its output is appended to its log.</summary>
    public void Start()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = _workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >> \"$NREMNET_CHILD_LOG\" 2>&1");
        foreach (var argument in _commandLine)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NREMNET_CHILD_LOG"] = Log;
        info.Environment["DOTNET_gcServer"] = "0";
        _started?.Dispose();
        _started = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', _commandLine)}.");
        ProcessId = _started.Id;
        Generation++;
        Down = false;
    }

    /// <summary>Whether the process the benchmark started has exited on its own.</summary>
    public bool ExitedOnItsOwn => _started is { HasExited: true } && !Down;

    /// <summary>The replication status, or null when the node does not answer within <paramref name="seconds"/>.</summary>
    public async Task<GetSyncStatusResponse?> StatusAsync(double seconds = 5)
    {
        if (Down)
        {
            return null;
        }

        try
        {
            return await Client.GetSyncStatusAsync(new GetSyncStatusRequest(), Call(seconds)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown)
        {
            return null;
        }
    }

    /// <summary>Waits until the node answers (at most <paramref name="timeout"/>); the seconds it took, or null.</summary>
    public async Task<double?> WaitServingAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await StatusAsync(2).ConfigureAwait(false) is not null)
            {
                return clock.Elapsed.TotalSeconds;
            }

            if (ExitedOnItsOwn)
            {
                throw new InvalidOperationException($"{Country} exited on its own after it was started again; see {Log}.");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Resident memory of the node's process in MB, 0 when it is not running.</summary>
    public double RssMb()
    {
        try
        {
            var line = File.ReadLines($"/proc/{ProcessId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _channel.Dispose();
        _started?.Dispose();
    }
}
