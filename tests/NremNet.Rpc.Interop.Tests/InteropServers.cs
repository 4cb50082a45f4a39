using System.Net;
using System.Text.RegularExpressions;
using NremNet.Testing;

[assembly: AssemblyFixture(typeof(NremNet.Rpc.Interop.Tests.InteropServers))]

namespace NremNet.Rpc.Interop.Tests;

/// <summary>
/// The interop servers, started once for the whole run: ours and Python grpcio's, each in plain HTTP/2 and in TLS
/// with a test CA made for the run (its server certificate also names foo.test.google.fr, the harness's usual override).
/// </summary>
public sealed partial class InteropServers : IAsyncLifetime
{
    private readonly List<ChildProcess> _processes = [];
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("nremnet-interop-").FullName;

    public string CaFile => Path.Combine(_folder, "ca.pem");

    public int OursPlain { get; private set; }

    public int OursTls { get; private set; }

    public int PythonPlain { get; private set; }

    public int PythonTls { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var authority = TestPki.CreateAuthority("NremNet interop test CA");
        var server = TestPki.IssueServer(authority, ["foo.test.google.fr", "*.test.google.fr", "localhost"], [IPAddress.Loopback]);
        TestPki.WritePem(authority, CaFile, null);
        var certFile = Path.Combine(_folder, "server.pem");
        var keyFile = Path.Combine(_folder, "server.key");
        TestPki.WritePem(server, certFile, keyFile);

        string[] tlsFlags = ["--use_tls=true", $"--tls_cert_file={certFile}", $"--tls_key_file={keyFile}"];
        var starts = new[]
        {
            StartAsync("dotnet", [Tools.OurInterop, "server", "--port=0"]),
            StartAsync("dotnet", [Tools.OurInterop, "server", "--port=0", .. tlsFlags]),
            StartAsync(Tools.Python, [Tools.PythonServer, "--port=0"]),
            StartAsync(Tools.Python, [Tools.PythonServer, "--port=0", .. tlsFlags]),
        };
        var ports = await Task.WhenAll(starts);
        (OursPlain, OursTls, PythonPlain, PythonTls) = (ports[0], ports[1], ports[2], ports[3]);
    }

    /// <summary>Client flags for a server port, in the harness's form.</summary>
    public IReadOnlyList<string> ClientFlags(int port, bool tls, string testCase) => tls
        ? [$"--server_host=127.0.0.1", $"--server_port={port}", $"--test_case={testCase}", "--use_tls=true", "--use_test_ca=true", $"--ca_file={CaFile}", "--server_host_override=foo.test.google.fr"]
        : [$"--server_host=127.0.0.1", $"--server_port={port}", $"--test_case={testCase}", "--use_tls=false"];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        System.IO.Directory.Delete(_folder, recursive: true);
    }

    private async Task<int> StartAsync(string program, IReadOnlyList<string> arguments)
    {
        var process = ChildProcess.Start(program, arguments, RepositoryPaths.Root);
        lock (_processes)
        {
            _processes.Add(process);
        }

        var line = await process.WaitForLineAsync(l => ListeningLine().IsMatch(l), TimeSpan.FromSeconds(60));
        return int.Parse(ListeningLine().Match(line).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"listening on [^\s:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
