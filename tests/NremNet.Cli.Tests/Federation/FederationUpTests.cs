using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Federation;

/// <summary>
/// The README's run command end to end: the built <c>nremnet</c> brings up a directory and three sample nodes (NL, SE,
/// FI) as separate processes on free ports of 127.0.0.1, and <c>federation status</c>, <c>node status</c> and
/// <c>federation down</c> work on them. Every federation a test starts is taken down afterwards, also when it fails.
/// </summary>
public sealed class FederationUpTests(ITestOutputHelper log) : IAsyncDisposable
{
    // A guard against a hung process, not a speed target: 'federation up' protects a year of sample data per node, and
    // while the other test projects run alongside on two cores that alone has taken close to three minutes.
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromMinutes(6);
    private static readonly string[] Countries = ["NL", "SE", "FI"];

    private readonly TempFolder _folder = new();
    private readonly List<string> _states = [];

    [Fact]
    public async Task Up_ThreeSampleNodes_ServesAFederationWhereEveryNodeSeesTheOthers_AndDownStopsEveryProcess()
    {
        var (nodes, ports) = WriteSampleNodes();
        var state = NewState();

        var up = await UpAsync(state, nodes, ports);

        Assert.True(up.ExitCode == ExitCodes.Ok, Describe("federation up", up, state));
        var shown = ParseJson(up, "federation up", state);
        Assert.True(shown.GetProperty("synthetic").GetBoolean(), up.Output);
        Assert.Equal($"https://127.0.0.1:{ports.Directory}", shown.GetProperty("directory").GetString());
        var logins = DemoLogins(state);
        var rows = shown.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("country").GetString()!);
        Assert.Equal(Countries.Order(), rows.Keys.Order());
        foreach (var country in Countries)
        {
            var row = rows[country];
            Assert.Equal($"https://127.0.0.1:{ports.Peer[country]}", row.GetProperty("peerEndpoint").GetString());
            Assert.Equal($"https://127.0.0.1:{ports.Console[country]}", row.GetProperty("consoleUrl").GetString());
            Assert.Equal($"{country.ToLowerInvariant()}-admin", row.GetProperty("adminUser").GetString());
            Assert.True(logins.TryGetValue($"{country.ToLowerInvariant()}-admin", out var password), $"demo-logins.json has no {country.ToLowerInvariant()}-admin: {string.Join(", ", logins.Keys)}");
            Assert.False(string.IsNullOrWhiteSpace(password));
            Assert.Equal(password, row.GetProperty("adminPassword").GetString());
        }

        var status = await RunAsync("federation", "status", "--json", "--state", state);
        Assert.True(status.ExitCode == ExitCodes.Ok, Describe("federation status", status, state));
        var members = ParseJson(status, "federation status", state).EnumerateArray().ToDictionary(m => m.GetProperty("country").GetString()!);
        Assert.Equal(Countries.Order(), members.Keys.Order());
        foreach (var (country, member) in members)
        {
            Assert.True(member.GetProperty("status").GetString() == "active", $"{country} is not active: {member}");
            var peers = member.GetProperty("node").GetProperty("peers").EnumerateArray().ToList();
            Assert.Equal(Countries.Where(c => c != country).Order(), peers.Select(p => p.GetProperty("country").GetString()).Order());
            Assert.True(peers.All(p => p.GetProperty("reachable").GetBoolean()), $"{country} does not reach every peer: {member}");
        }

        var profiles = Path.Combine(state, "profiles.json");
        Assert.True(File.Exists(profiles), $"federation up saved no profiles at {profiles}.");
        var se = await RunAsync(new Dictionary<string, string> { ["NREMNET_PROFILES"] = profiles }, "node", "status", "--node", "SE", "--json");
        Assert.True(se.ExitCode == ExitCodes.Ok, Describe("node status --node SE", se, state));
        var seStatus = ParseJson(se, "node status --node SE", state);
        Assert.Equal("SE", seStatus.GetProperty("country").GetString());
        Assert.True(seStatus.GetProperty("healthy").GetBoolean(), se.Output);

        var processes = FederationProcesses(state);
        Assert.Equal(1 + Countries.Length, processes.Count);
        Assert.All(processes, pid => Assert.True(IsRunning(pid), $"Process {pid} of federation.json is not running while the federation is up."));

        var down = await RunAsync("federation", "down", "--state", state);

        Assert.True(down.ExitCode == ExitCodes.Ok, Describe("federation down", down, state));
        var left = processes.Where(IsRunning).ToList();
        Assert.True(left.Count == 0, $"Still running after 'federation down': {string.Join(", ", left.Select(CommandLine))}");
        Assert.Empty(FederationProcesses(state));
        AssertNoErrorsLogged(state);
    }

    [Fact]
    public async Task Up_WhileUp_IsRefusedWithConflict_AndAfterDownResumesTheSameFederation()
    {
        var (nodes, ports) = WriteSampleNodes();
        var state = NewState();

        var first = await UpAsync(state, nodes, ports);
        Assert.True(first.ExitCode == ExitCodes.Ok, Describe("federation up", first, state));
        var authority = CaThumbprint(state);
        var logins = DemoLogins(state);
        var passwords = AdminPasswords(ParseJson(first, "federation up", state));

        var again = await UpAsync(state, nodes, ports);

        Assert.True(again.ExitCode == ExitCodes.Conflict, Describe("a second federation up", again, state));
        Assert.Contains("already up", again.StandardError, StringComparison.Ordinal);

        var down = await RunAsync("federation", "down", "--state", state);
        Assert.True(down.ExitCode == ExitCodes.Ok, Describe("federation down", down, state));

        var resumed = await UpAsync(state, nodes, ports);

        Assert.True(resumed.ExitCode == ExitCodes.Ok, Describe("federation up after down", resumed, state));
        Assert.Equal(authority, CaThumbprint(state));
        Assert.Equal(logins, DemoLogins(state));
        Assert.Equal(passwords, AdminPasswords(ParseJson(resumed, "federation up after down", state)));
        AssertNoErrorsLogged(state);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var state in _states.Where(s => File.Exists(Path.Combine(s, "federation.json"))))
        {
            var processes = FederationProcesses(state);
            try
            {
                var down = await RunAsync("federation", "down", "--state", state);
                log.WriteLine($"cleanup: federation down exited with {down.ExitCode}");
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                log.WriteLine($"cleanup: federation down failed: {ex.Message}");
            }

            // Whatever 'down' missed: only processes whose command line names this test's state folder.
            foreach (var pid in processes.Where(p => IsRunning(p) && CommandLine(p).Contains(state, StringComparison.Ordinal)))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
                    log.WriteLine($"cleanup: killed {pid}, which 'federation down' left running");
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TimeoutException)
                {
                    log.WriteLine($"cleanup: could not kill {pid}: {ex.Message}");
                }
            }
        }

        _folder.Dispose();
    }

    /// <summary>The sample nodes NL, SE and FI of the repository, on free ports, in a nodes folder of the test's own.</summary>
    private (string Folder, FederationPorts Ports) WriteSampleNodes()
    {
        var free = FreePorts(1 + (2 * Countries.Length));
        var ports = new FederationPorts(free[0], [], []);
        var folder = _folder.Combine("nodes");
        for (var i = 0; i < Countries.Length; i++)
        {
            var country = Countries[i];
            var node = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("nodes", country, "node.json")))!;
            Assert.Equal(country, node["country"]!.GetValue<string>());
            node["peerPort"] = ports.Peer[country] = free[1 + (2 * i)];
            node["consolePort"] = ports.Console[country] = free[2 + (2 * i)];
            System.IO.Directory.CreateDirectory(Path.Combine(folder, country));
            File.WriteAllText(Path.Combine(folder, country, "node.json"), node.ToJsonString());
        }

        return (folder, ports);
    }

    private string NewState()
    {
        var state = _folder.Combine("state");
        _states.Add(state);
        return state;
    }

    private Task<ProcessResult> UpAsync(string state, string nodes, FederationPorts ports) =>
        RunAsync(
            "federation", "up", "--detach", "--json", "--state", state, "--nodes", nodes, "--sample-years", "2024",
            "--directory-port", ports.Directory.ToString(CultureInfo.InvariantCulture), "--timeout", "90");

    private Task<ProcessResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs the built <c>nremnet</c> from the repository root, as the README does, to its end (at most <see cref="ProcessLimit"/>).</summary>
    private async Task<ProcessResult> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        await using var child = NremnetProcess.Start(RepositoryPaths.Root, environment, args);
        var exitCode = await child.WaitForExitAsync(ProcessLimit, TestContext.Current.CancellationToken);
        var result = new ProcessResult(exitCode, child.StandardOutput, child.StandardError);
        log.WriteLine($"$ nremnet {string.Join(' ', args)}{Environment.NewLine}{result.Output}");
        return result;
    }

    /// <summary>Free TCP ports on 127.0.0.1, all different: each is held until all are picked.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>The processes <c>federation.json</c> says run the federation.</summary>
    private static List<int> FederationProcesses(string state)
    {
        var file = Path.Combine(state, "federation.json");
        if (!File.Exists(file))
        {
            return [];
        }

        var saved = JsonNode.Parse(File.ReadAllText(file))!;
        return [.. new[] { saved["supervisorProcessId"], saved["directoryProcessId"] }
            .Concat(saved["nodes"]!.AsArray().Select(n => n!["processId"]))
            .Where(n => n is not null)
            .Select(n => n!.GetValue<int>())];
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string CommandLine(int pid)
    {
        var file = $"/proc/{pid}/cmdline";
        return File.Exists(file) ? $"{pid}: {File.ReadAllText(file).Replace('\0', ' ')}" : $"{pid}";
    }

    private static string CaThumbprint(string state)
    {
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(state, "pki", "ca.crt")));
        return authority.GetCertHashString(HashAlgorithmName.SHA256);
    }

    private static Dictionary<string, string> DemoLogins(string state)
    {
        var file = Path.Combine(state, "demo-logins.json");
        Assert.True(File.Exists(file), $"federation up wrote no {file}.");
        return JsonNode.Parse(File.ReadAllText(file))!["logins"].Deserialize<Dictionary<string, string>>()!;
    }

    private static Dictionary<string, string> AdminPasswords(JsonElement shown) =>
        shown.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("adminUser").GetString()!, n => n.GetProperty("adminPassword").GetString()!);

    private static JsonElement ParseJson(ProcessResult run, string what, string state)
    {
        try
        {
            using var document = JsonDocument.Parse(run.StandardOutput);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{what} did not write JSON ({ex.Message}).{Environment.NewLine}{Describe(what, run, state)}");
        }
    }

    /// <summary>Fails when the directory or a node logged an error (the logs of <c>state/logs</c>).</summary>
    private static void AssertNoErrorsLogged(string state)
    {
        var errors = System.IO.Directory.EnumerateFiles(Path.Combine(state, "logs"), "*.log")
            .SelectMany(file => File.ReadLines(file).Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal)).Select(l => $"{Path.GetFileName(file)}: {l}"))
            .ToList();
        Assert.True(errors.Count == 0, $"The federation logged errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    /// <summary>A command's output and the end of every federation log, for assertion messages.</summary>
    private static string Describe(string what, ProcessResult run, string state)
    {
        var text = new StringBuilder($"'{what}' gave {run.Output}");
        var logs = Path.Combine(state, "logs");
        if (System.IO.Directory.Exists(logs))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(logs, "*.log").Order(StringComparer.Ordinal))
            {
                var lines = File.ReadAllLines(file);
                text.AppendLine(CultureInfo.InvariantCulture, $"--- {Path.GetFileName(file)} (last 30 of {lines.Length} lines)");
                foreach (var line in lines.TakeLast(30))
                {
                    text.AppendLine(line);
                }
            }
        }

        return text.ToString();
    }

    private sealed record FederationPorts(int Directory, Dictionary<string, int> Peer, Dictionary<string, int> Console);
}
