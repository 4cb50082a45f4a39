using System.Globalization;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using NremNet.Testing;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>
/// A node of a <see cref="TestNetwork"/> run as its own process, <c>nremnet node run --config node.json</c>, as the
/// local federation runs its nodes: a test can kill it (SIGKILL) and start it again on the same configuration,
/// certificate, data folder and ports.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly TestNetwork _network;
    private readonly Dictionary<string, string?> _settings;
    private readonly List<ChildProcess> _runs = [];
    private readonly List<int> _processIds = [];
    private ChildProcess? _current;

    private NodeProcess(TestNetwork network, string country, Dictionary<string, string?> settings)
    {
        _network = network;
        _settings = settings;
        Country = country;
    }

    public string Country { get; }

    public string DataDirectory => _settings["Node:DataDirectory"]!;

    public string CertificateFile => _settings["Node:CertificateFile"]!;

    public string KeyFile => _settings["Node:KeyFile"]!;

    public string ConfigFile => Path.Combine(_network.Folder, $"node-{Country}.json");

    public X509Certificate2 Certificate => PemFiles.LoadWithKey(CertificateFile, KeyFile);

    public int PeerPort { get; private set; }

    public int ConsolePort { get; private set; }

    /// <summary>Whether a run of the node is under way.</summary>
    public bool Running => _current is not null;

    /// <summary>The last <paramref name="lines"/> lines each run wrote, each run after a header.</summary>
    public string Output(int lines = int.MaxValue)
    {
        var text = new StringBuilder();
        for (var i = 0; i < _runs.Count; i++)
        {
            var all = (_runs[i].StandardOutput + _runs[i].StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {Country} run {i + 1} (pid {_processIds[i]}), {all.Length} lines{(all.Length > lines ? $", the last {lines}" : string.Empty)} ---");
            foreach (var line in all.TakeLast(lines))
            {
                text.AppendLine(line.TrimEnd('\r'));
            }
        }

        return text.ToString();
    }

    /// <summary>The lines of every run logged at level error or critical.</summary>
    public IReadOnlyList<string> Errors =>
        [.. _runs.SelectMany(r => r.StandardError.Split('\n')).Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal))];

    /// <summary>
    /// Issues the node's certificate, writes its configuration (section Node, as the federation set-up writes it), starts
    /// it and has the secretariat approve it.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(TestNetwork network, string country, Action<IDictionary<string, string?>>? configure = null)
    {
        var (certificate, key, _) = network.IssueNode(country, country);
        var settings = new Dictionary<string, string?>
        {
            ["Node:Country"] = country,
            ["Node:MechanismName"] = $"Test mechanism {country} (synthetic)",
            ["Node:MechanismType"] = "NationalRapporteur",
            ["Node:DataDirectory"] = Path.Combine(network.Folder, "node-" + country),
            ["Node:PeerListen"] = "127.0.0.1:0",
            ["Node:ConsoleListen"] = "127.0.0.1:0",
            ["Node:CertificateFile"] = certificate,
            ["Node:KeyFile"] = key,
            ["Node:NetworkCaFile"] = network.AuthorityFile,
            ["Node:DirectoryUrl"] = network.DirectoryUrl.ToString().TrimEnd('/'),
            ["Node:SnapshotRefreshInterval"] = "00:00:05",
            ["Node:PeerCheckInterval"] = "00:00:05",
        };
        configure?.Invoke(settings);
        var node = new NodeProcess(network, country, settings);
        try
        {
            await node.StartAsync();
            await network.ApproveAsync(country);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Starts (again) and waits until it serves; the first run picks free ports, later runs keep them.</summary>
    public async Task StartAsync()
    {
        Assert.Null(_current);
        WriteConfiguration();
        var program = await NremnetProgram.EnsureBuiltAsync();
        var child = ChildProcess.Start(
            NremnetProgram.DotNet,
            [program, "node", "run", "--config", ConfigFile, "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            _network.Folder,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });
        _runs.Add(child);
        _processIds.Add(child.Id);
        _current = child;
        var line = await child.WaitForLineAsync(l => l.StartsWith($"NremNet node {Country} listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var ports = ListeningLine().Match(line);
        Assert.True(ports.Success, line);
        PeerPort = int.Parse(ports.Groups["peer"].Value, CultureInfo.InvariantCulture);
        ConsolePort = int.Parse(ports.Groups["console"].Value, CultureInfo.InvariantCulture);
        _settings["Node:PeerListen"] = $"127.0.0.1:{PeerPort}";
        _settings["Node:ConsoleListen"] = $"127.0.0.1:{ConsolePort}";
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown, nothing flushed that was not committed.</summary>
    public async Task KillAsync()
    {
        var child = _current ?? throw new InvalidOperationException($"{Country} is not running.");
        _current = null;
        child.Kill();
        await child.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    /// <summary>Asks the process to stop (SIGTERM), as a service manager does, and waits until it has.</summary>
    public async Task StopAsync()
    {
        var child = _current ?? throw new InvalidOperationException($"{Country} is not running.");
        _current = null;
        var signal = await ChildProcess.RunAsync("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(signal.ExitCode == 0, signal.Output);
        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    /// <summary>A channel to the node's user API; it reaches whichever run serves the port.</summary>
    public GrpcChannel ConsoleChannel() => NetworkChannel.Create(new Uri($"https://127.0.0.1:{ConsolePort}"), new NetworkChannelOptions { TrustedServerRoots = [_network.Authority] });

    public async ValueTask DisposeAsync()
    {
        _current = null;
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        TestContext.Current.TestOutputHelper?.WriteLine(Output(lines: 40));
        _runs.Clear();
    }

    private void WriteConfiguration()
    {
        var root = new JsonObject();
        foreach (var (key, value) in _settings)
        {
            var path = key.Split(':');
            var section = root;
            foreach (var name in path[..^1])
            {
                if (section[name] is not JsonObject child)
                {
                    child = new JsonObject();
                    section[name] = child;
                }

                section = child;
            }

            section[path[^1]] = value;
        }

        File.WriteAllText(ConfigFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    [GeneratedRegex(@"listening on peer [^ ]+:(?<peer>\d+) console [^ ]+:(?<console>\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>
/// The built <c>nremnet</c> program (src/NremNet.Cli/bin/&lt;configuration&gt;), as <c>tests/run.sh</c> builds it with the
/// solution. Built once per test run when it is missing or was built before the libraries it runs (e.g. after only the
/// test project was built).
/// </summary>
internal static class NremnetProgram
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _checked;

    public static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Configuration => typeof(NremnetProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string Folder => RepositoryPaths.Combine("src", "NremNet.Cli", "bin", Configuration, "net10.0");

    /// <summary>The path of nremnet.dll, built from the libraries as they are built now.</summary>
    public static async Task<string> EnsureBuiltAsync()
    {
        var program = Path.Combine(Folder, "nremnet.dll");
        await Gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_checked && Stale(program) is { } why)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"Building src/NremNet.Cli ({Configuration}): {why}.");
                var build = await ChildProcess.RunAsync(
                    DotNet, ["build", RepositoryPaths.Combine("src", "NremNet.Cli", "NremNet.Cli.csproj"), "-c", Configuration, "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(10),
                    RepositoryPaths.Root, cancellationToken: TestContext.Current.CancellationToken);
                if (build.ExitCode != 0 || !File.Exists(program))
                {
                    throw new InvalidOperationException(
                        $"These tests run nodes as 'nremnet node run' processes, and {program} could not be built. Build it with 'dotnet build src/NremNet.Cli -c {Configuration}' (or run 'bash tests/run.sh').{Environment.NewLine}{build.Output}");
                }
            }

            _checked = true;
        }
        finally
        {
            Gate.Release();
        }

        return program;
    }

    /// <summary>Why the program is not up to date with the libraries it runs (their project outputs); null when it is.</summary>
    private static string? Stale(string program)
    {
        if (!File.Exists(program))
        {
            return $"{program} does not exist";
        }

        foreach (var project in new[] { "NremNet.Node", "NremNet.Directory", "NremNet.Hosting", "NremNet.Domain", "NremNet.Contracts" })
        {
            var built = RepositoryPaths.Combine("src", project, "bin", Configuration, "net10.0", project + ".dll");
            var copy = Path.Combine(Folder, project + ".dll");
            if (File.Exists(built) && (!File.Exists(copy) || !File.ReadAllBytes(copy).AsSpan().SequenceEqual(File.ReadAllBytes(built))))
            {
                return $"its copy of {project}.dll is not the one built last";
            }
        }

        return null;
    }
}
