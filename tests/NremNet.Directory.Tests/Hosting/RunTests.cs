using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Hosting.Grpc;
using NremNet.Testing;

namespace NremNet.Directory.Tests.Hosting;

public sealed class RunTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_PrintsOneListeningLine_ServesUntilCancelled_AndReturnsZero()
    {
        using var network = TestNetwork.Create();
        var output = new LineWriter();
        var errors = new LineWriter();
        var testOutput = TestContext.Current.TestOutputHelper;
        var logs = new CapturingLoggerProvider(line => testOutput?.WriteLine(line));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var run = DirectoryHost.RunAsync(null, Arguments(network), Environment.ProcessId, output, errors, Capture(logs), stop.Token);
        var first = await Flows.Soon(Task.WhenAny(output.FirstLine, run));
        Assert.True(first == output.FirstLine, "The directory ended before it served: " + string.Join(Environment.NewLine, errors.Lines));
        var line = await output.FirstLine;

        Assert.Matches(@"^NremNet directory listening on 127\.0\.0\.1:\d+$", line);
        var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);
        using (var channel = NetworkChannel.Create($"https://127.0.0.1:{port}", network.NodeCredentials("NL").ClientOptions()))
        {
            await Flows.VerifiedSnapshotAsync(new DirectoryClient(channel), network);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Cancel));
        Assert.Equal([line], output.Lines);
        Assert.Empty(errors.Lines);
        Assert.Empty(logs.UnexpectedErrors());
    }

    [Fact]
    public async Task RunAsync_WithBadConfiguration_PrintsEveryProblemWithoutStackTrace_AndReturnsOne()
    {
        using var network = TestNetwork.Create();
        var output = new LineWriter();
        var errors = new LineWriter();
        string[] args = [.. Arguments(network), "--Directory:Listen=nowhere", "--Directory:SnapshotRenewBefore=-00:01:00"];

        var exitCode = await DirectoryHost.RunAsync(null, args, null, output, errors, Capture(new CapturingLoggerProvider()), Cancel);

        Assert.Equal(1, exitCode);
        Assert.Empty(output.Lines);
        var text = string.Join(Environment.NewLine, errors.Lines);
        Assert.Contains("Directory:Listen", text, StringComparison.Ordinal);
        Assert.Contains("Directory:SnapshotRenewBefore", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WithAMissingConfigurationFile_SaysSo_AndReturnsOne()
    {
        var output = new LineWriter();
        var errors = new LineWriter();

        var exitCode = await DirectoryHost.RunAsync("/nonexistent/directory.json", [], null, output, errors, null, Cancel);

        Assert.Equal(1, exitCode);
        Assert.Contains(errors.Lines, l => l.Contains("/nonexistent/directory.json", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OnAPortInUse_SaysSo_AndReturnsOne()
    {
        using var network = TestNetwork.Create();
        await using var running = await DirectoryServer.StartAsync(network);
        using var other = TestNetwork.Create();
        var output = new LineWriter();
        var errors = new LineWriter();
        string[] args = [.. Arguments(other), $"--Directory:Listen=127.0.0.1:{running.Address.Port}"];

        var exitCode = await DirectoryHost.RunAsync(null, args, null, output, errors, Capture(new CapturingLoggerProvider()), Cancel);

        Assert.Equal(1, exitCode);
        Assert.Empty(output.Lines);
        Assert.Contains(errors.Lines, l => l.Contains($"127.0.0.1:{running.Address.Port}", StringComparison.Ordinal));
        Assert.DoesNotContain(errors.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private static string[] Arguments(TestNetwork network) =>
        [.. network.Settings().Select(s => $"--{s.Key}={s.Value}")];

    private static Action<IServiceCollection> Capture(CapturingLoggerProvider logs) =>
        services => services.AddLogging(logging => logging.ClearProviders().AddProvider(logs));

    /// <summary>Collects written lines and signals the first.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly Lock _lock = new();
        private readonly List<string> _lines = [];
        private readonly StringBuilder _partial = new();
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public Task<string> FirstLine => _first.Task;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                if (value == '\n')
                {
                    var line = _partial.ToString().TrimEnd('\r');
                    _partial.Clear();
                    _lines.Add(line);
                    _first.TrySetResult(line);
                }
                else
                {
                    _partial.Append(value);
                }
            }
        }
    }
}
