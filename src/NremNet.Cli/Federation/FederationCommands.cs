using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Statistics;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Pki;
using Grpc.Core;
using Grpc.Net.Client;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Federation;

/// <summary><c>nremnet federation</c>: a local federation of the sample country nodes.</summary>
internal static class FederationCommands
{
    public static Command Create(CliContext context)
    {
        var federation = new Command("federation", "A local federation of the sample country nodes (synthetic), for trying NremNet out.");
        federation.Subcommands.Add(new FederationUpCommand(context));
        federation.Subcommands.Add(new FederationStatusCommand(context));
        federation.Subcommands.Add(new FederationDownCommand(context));
        return federation;
    }

    /// <summary>The state folder: <c>--state</c>, else <c>.state/federation</c> of the checkout.</summary>
    internal static StatePaths Paths(string? state) =>
        state is not null
            ? new StatePaths(Path.GetFullPath(state))
            : StatePaths.ForCheckout(StatePaths.FindCheckout(Environment.CurrentDirectory)
                ?? throw new CliException(ExitCodes.Usage, "Run this inside the NremNet checkout (the folder with NremNet.sln), or name a state folder with --state."));

    /// <summary>A channel to the directory as the secretariat of the local federation.</summary>
    internal static GrpcChannel SecretariatChannel(StatePaths paths, string directoryUrl, TimeProvider time)
    {
        var credentials = NetworkCredentials.Load(Path.Combine(paths.Pki, "secretariat.crt"), Path.Combine(paths.Pki, "secretariat.key"), paths.Authority, NetworkRole.Secretariat, null, time.GetUtcNow());
        var options = credentials.ClientOptions(pin: certificate => NetworkIdentity.Read(certificate).Role == NetworkRole.Directory);
        return NetworkChannel.Create(directoryUrl, options);
    }

    internal static CallOptions Deadline(CancellationToken cancellationToken, int seconds = 10) =>
        new(deadline: DateTime.UtcNow.AddSeconds(seconds), cancellationToken: cancellationToken);
}

/// <summary><c>federation up</c>: makes (or resumes) the local federation and keeps it running until Ctrl+C.</summary>
internal sealed class FederationUpCommand : VerbCommand
{
    private readonly Option<string?> _state = new("--state") { Description = "Folder for the federation's state (default: .state/federation in the checkout)." };
    private readonly Option<string?> _nodes = new("--nodes") { Description = "Folder of sample nodes (default: nodes/ in the checkout)." };
    private readonly Option<int> _directoryPort = new("--directory-port") { Description = "Port of the directory on 127.0.0.1.", DefaultValueFactory = _ => 7400 };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds to wait for every node to see every other.", DefaultValueFactory = _ => 120 };
    private readonly Option<string> _sampleYears = new("--sample-years")
    {
        Description = $"Years of SYNTHETIC sample data to load into a new federation, FIRST-LAST or one year (default {FederationSetup.FirstSampleYear}-{FederationSetup.LastSampleYear}); protecting each year of case records takes seconds.",
        DefaultValueFactory = _ => FormattableString.Invariant($"{FederationSetup.FirstSampleYear}-{FederationSetup.LastSampleYear}"),
    };

    private readonly Option<bool> _detach = new("--detach") { Description = "Start the federation and return, leaving it running ('federation down' stops it)." };

    public FederationUpCommand(CliContext context)
        : base(context, "up", "Bring up the directory and every sample node on 127.0.0.1 (synthetic demo data), and keep them up until Ctrl+C.")
    {
        Options.Add(_state);
        Options.Add(_nodes);
        Options.Add(_directoryPort);
        Options.Add(_timeout);
        Options.Add(_sampleYears);
        Options.Add(_detach);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var paths = FederationCommands.Paths(parse.GetValue(_state));
        var checkout = StatePaths.FindCheckout(Environment.CurrentDirectory);
        var nodesFolder = parse.GetValue(_nodes) ?? (checkout is null ? "nodes" : Path.Combine(checkout, "nodes"));
        var nodes = SampleNodes.Load(nodesFolder);
        var directoryPort = parse.GetValue(_directoryPort);

        if (FederationState.Load(paths) is { } previous
            && new[] { previous.SupervisorProcessId, previous.DirectoryProcessId }.Concat(previous.Nodes.Select(n => n.ProcessId)).OfType<int>().Any(ChildProcess.IsRunning))
        {
            throw new CliException(ExitCodes.Conflict, $"The federation in {paths.Root} is already up. See it with 'nremnet federation status'; stop it with 'nremnet federation down'.");
        }

        EnsurePortsFree([directoryPort, .. nodes.SelectMany(n => new[] { n.PeerPort, n.ConsolePort })]);
        var setup = new FederationSetup(paths, nodes, directoryPort, Context.Time, QueryArguments.Years(parse.GetValue(_sampleYears), "--sample-years"));
        var children = new List<ChildProcess>();
        var serving = 0.0;
        try
        {
            var state = await Output.ProgressAsync("Bringing up the federation", async step =>
            {
                var prepared = await setup.PrepareAsync(step, cancellationToken).ConfigureAwait(false);
                var parent = parse.GetValue(_detach) ? [] : new[] { "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) };

                step("starting the directory");
                var directory = ChildProcess.StartSelf("directory", ["directory", "serve", "--config", setup.DirectoryConfig, .. parent], Path.Combine(paths.Logs, "directory.log"));
                children.Add(directory);
                await WaitListeningAsync(directory, cancellationToken).ConfigureAwait(false);

                step($"starting {nodes.Count} nodes: {string.Join(", ", nodes.Select(n => n.Country))}");
                var nodeProcesses = nodes.ToDictionary(
                    n => n.Country,
                    n => ChildProcess.StartSelf(n.Country, ["node", "run", "--config", setup.NodeConfig(n.Country), .. parent], Path.Combine(paths.Logs, $"node-{n.Country}.log")));
                children.AddRange(nodeProcesses.Values);
                await Task.WhenAll(nodeProcesses.Values.Select(p => WaitListeningAsync(p, cancellationToken))).ConfigureAwait(false);
                serving = Stopwatch.GetElapsedTime(started).TotalSeconds;
                prepared = prepared with
                {
                    DirectoryProcessId = directory.Id,
                    SupervisorProcessId = parse.GetValue(_detach) ? null : Environment.ProcessId,
                    Nodes = prepared.Nodes.Select(n => n with { ProcessId = nodeProcesses[n.Country].Id }).ToList(),
                };
                prepared.Save(paths);

                step("approving the members");
                await ApproveAsync(paths, prepared, nodes, cancellationToken).ConfigureAwait(false);

                step("waiting until every node sees every other");
                await ConvergeAsync(paths, nodes, TimeSpan.FromSeconds(parse.GetValue(_timeout)), step, cancellationToken).ConfigureAwait(false);

                step("checking that every node's web console serves its login page, stylesheet and script");
                await ConsoleReadiness.WaitAllAsync(paths.Authority, prepared.Nodes.Select(n => n.ConsoleUrl), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);

                step("loading the SYNTHETIC sample practices and network questions");
                await setup.LoadSampleDocumentsAsync(step, cancellationToken).ConfigureAwait(false);
                return prepared;
            }).ConfigureAwait(false);

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Show(state, nodes, setup.LoadLogins(), paths, serving, seconds);
            if (parse.GetValue(_detach))
            {
                children.ForEach(c => c.Dispose());
                children.Clear();
                return ExitCodes.Ok;
            }

            if (!Output.Json)
            {
                Output.Line("The federation is up. Press Ctrl+C to stop it (or run 'nremnet federation down' elsewhere).");
            }

            await WaitUntilStoppedAsync(children, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        finally
        {
            if (children.Count > 0)
            {
                await StopAllAsync(children).ConfigureAwait(false);
                if (FederationState.Load(paths) is { } last)
                {
                    (last with { DirectoryProcessId = null, SupervisorProcessId = null, Nodes = last.Nodes.Select(n => n with { ProcessId = null }).ToList() }).Save(paths);
                }

                if (!Output.Json)
                {
                    Output.Success("Stopped the directory and every node; run 'nremnet federation up' again to resume the same federation.");
                }
            }
        }
    }

    private void Show(FederationState state, IReadOnlyList<SampleNode> nodes, IReadOnlyDictionary<string, string> logins, StatePaths paths, double serving, double seconds)
    {
        var rows = nodes.Select(n =>
        {
            var admin = n.DemoUsers.First(u => u.Roles.Contains("admin")).Username;
            var node = state.Nodes.Single(s => s.Country == n.Country);
            return new
            {
                country = n.Country,
                mechanism = n.MechanismName,
                peerEndpoint = node.PeerUrl,
                consoleUrl = node.ConsoleUrl,
                adminUser = admin,
                adminPassword = logins.GetValueOrDefault(admin, "(see demo-logins.json)"),
            };
        }).ToList();

        if (Output.Json)
        {
            Output.WriteJson(new
            {
                synthetic = true,
                secondsUntilServing = Math.Round(serving, 1),
                secondsUntilAllSeeEachOther = Math.Round(seconds, 1),
                directory = state.DirectoryUrl,
                state = paths.Root,
                nodes = rows,
            });
            return;
        }

        Output.Table(
            "NremNet local federation (synthetic demo data)",
            ["country", "mechanism", "peer endpoint", "console URL", "demo admin login"],
            rows.Select(r => (IReadOnlyList<string>)[r.country, r.mechanism, r.peerEndpoint, r.consoleUrl, $"{r.adminUser} / {r.adminPassword}"]));
        Output.Success($"Directory at {state.DirectoryUrl}; all {rows.Count} nodes serving after {serving:F1} s, and seeing each other after {seconds:F1} s.");
        Output.Line($"CLI profiles for every node and demo role are saved in {paths.Profiles}; e.g. 'nremnet node status --node SE' or 'nremnet federation status --json'.");
    }

    private static void EnsurePortsFree(IEnumerable<int> ports)
    {
        var busy = new List<int>();
        foreach (var port in ports)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException)
            {
                busy.Add(port);
            }
        }

        if (busy.Count > 0)
        {
            throw new CliException(ExitCodes.Conflict, $"Port{(busy.Count > 1 ? "s" : string.Empty)} {string.Join(", ", busy)} on 127.0.0.1 {(busy.Count > 1 ? "are" : "is")} in use. Stop what uses {(busy.Count > 1 ? "them" : "it")} (perhaps 'nremnet federation down'), or change the ports in nodes/*/node.json and --directory-port.");
        }
    }

    private static async Task WaitListeningAsync(ChildProcess child, CancellationToken cancellationToken)
    {
        try
        {
            await child.Listening.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new CliException(ExitCodes.Failed, $"{child.Name} did not start: {ex.Message}{Environment.NewLine}{child.Tail}");
        }
    }

    private async Task ApproveAsync(StatePaths paths, FederationState state, IReadOnlyList<SampleNode> nodes, CancellationToken cancellationToken)
    {
        using var channel = FederationCommands.SecretariatChannel(paths, state.DirectoryUrl, Context.Time);
        var directory = new DirectoryService.DirectoryServiceClient(channel);
        var wanted = nodes.Select(n => n.Country).ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            var members = (await directory.ListMembersAsync(new ListMembersRequest(), FederationCommands.Deadline(cancellationToken))).Members
                .Where(m => wanted.Contains(m.Application.Country))
                .ToList();
            foreach (var member in members.Where(m => m.Status is MemberStatus.Pending or MemberStatus.Suspended))
            {
                await directory.ApproveMemberAsync(new ApproveMemberRequest { Country = member.Application.Country }, FederationCommands.Deadline(cancellationToken));
            }

            if (members.Count == wanted.Count && members.All(m => m.Status is MemberStatus.Active or MemberStatus.Pending or MemberStatus.Suspended))
            {
                if (members.All(m => m.Status == MemberStatus.Active))
                {
                    return;
                }

                continue;
            }

            if (members.Any(m => m.Status == MemberStatus.Removed))
            {
                throw new CliException(ExitCodes.Conflict, $"The directory has removed {string.Join(", ", members.Where(m => m.Status == MemberStatus.Removed).Select(m => m.Application.Country))}; delete {paths.Root} to start a fresh federation.");
            }

            if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                var missing = wanted.Except(members.Select(m => m.Application.Country));
                throw new CliException(ExitCodes.Failed, $"These nodes did not register with the directory within a minute: {string.Join(", ", missing)}. See {paths.Logs}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConvergeAsync(StatePaths paths, IReadOnlyList<SampleNode> nodes, TimeSpan timeout, Action<string> step, CancellationToken cancellationToken)
    {
        var store = new ProfileStore(paths.Profiles);
        var connections = nodes.ToDictionary(n => n.Country, n => NodeConnection.Open(store.Resolve(null, n.Country, "admin")));
        try
        {
            var waited = Stopwatch.GetTimestamp();
            var lastReport = string.Empty;
            while (true)
            {
                var seeing = await Task.WhenAll(nodes.Select(async n =>
                {
                    try
                    {
                        var status = await new NodeService.NodeServiceClient(connections[n.Country].Invoker).GetNodeStatusAsync(new GetNodeStatusRequest(), FederationCommands.Deadline(cancellationToken, 5));
                        return (n.Country, Seen: status.Peers.Count(p => p.Reachable));
                    }
                    catch (RpcException)
                    {
                        return (n.Country, Seen: -1);
                    }
                })).ConfigureAwait(false);

                var report = string.Join(", ", seeing.Select(s => $"{s.Country} {Math.Max(s.Seen, 0)}/{nodes.Count - 1}"));
                if (report != lastReport)
                {
                    step($"peers seen: {report}");
                    lastReport = report;
                }

                if (seeing.All(s => s.Seen == nodes.Count - 1))
                {
                    return;
                }

                if (Stopwatch.GetElapsedTime(waited) > timeout)
                {
                    throw new CliException(ExitCodes.CheckFailed, $"Not every node sees every other after {timeout.TotalSeconds:F0} s ({report}). See the logs in {paths.Logs} and 'nremnet federation status'.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                connection.Dispose();
            }
        }
    }

    private async Task WaitUntilStoppedAsync(List<ChildProcess> children, CancellationToken cancellationToken)
    {
        var exited = children.Select(async c =>
        {
            await c.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return c;
        }).ToList();
        var stopping = Task.Delay(Timeout.Infinite, cancellationToken);
        while (true)
        {
            var done = await Task.WhenAny(exited.Cast<Task>().Append(stopping)).ConfigureAwait(false);
            if (done == stopping)
            {
                return;
            }

            var child = await (Task<ChildProcess>)done;
            exited.Remove((Task<ChildProcess>)done);
            Output.Warning($"{child.Name} stopped on its own; see its log. The rest of the federation keeps running.");
        }
    }

    private static async Task StopAllAsync(List<ChildProcess> children)
    {
        // Nodes first, then the directory, so nodes do not log the directory going away.
        await Task.WhenAll(children.Where(c => c.Name != "directory").Select(c => c.StopAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        await Task.WhenAll(children.Where(c => c.Name == "directory").Select(c => c.StopAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        children.ForEach(c => c.Dispose());
        children.Clear();
    }
}
