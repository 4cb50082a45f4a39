using System.CommandLine;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Federation;

/// <summary>
/// <c>federation status</c>: every member as the directory sees it (active, pending, suspended, removed — or
/// unreachable when its node does not answer), and how each node sees its peers.
/// </summary>
internal sealed class FederationStatusCommand : VerbCommand
{
    private readonly Option<string?> _state = new("--state") { Description = "Folder of the federation's state (default: .state/federation in the checkout)." };

    public FederationStatusCommand(CliContext context)
        : base(context, "status", "Show every member as the directory sees it, and how each node sees its peers.")
    {
        Options.Add(_state);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var paths = FederationCommands.Paths(parse.GetValue(_state));
        var state = FederationState.Load(paths)
            ?? throw new CliException(ExitCodes.NotFound, $"No federation in {paths.Root}; bring one up with 'nremnet federation up'.");

        Dictionary<string, Member>? members = null;
        string directoryError = string.Empty;
        try
        {
            using var channel = FederationCommands.SecretariatChannel(paths, state.DirectoryUrl, Context.Time);
            members = (await new DirectoryService.DirectoryServiceClient(channel).ListMembersAsync(new ListMembersRequest(), FederationCommands.Deadline(cancellationToken))).Members
                .ToDictionary(m => m.Application.Country, StringComparer.Ordinal);
        }
        catch (RpcException ex)
        {
            directoryError = CliContext.Describe(ex);
        }

        var store = new ProfileStore(paths.Profiles);
        var countries = state.Nodes.Select(n => n.Country).Concat(members?.Keys.AsEnumerable() ?? []).Distinct(StringComparer.Ordinal).ToList();
        var reports = await Task.WhenAll(countries.Select(country => ReportAsync(country, state, members, store, cancellationToken))).ConfigureAwait(false);

        if (Output.Json)
        {
            Output.WriteJson(reports);
        }
        else
        {
            if (members is null)
            {
                Output.Warning($"The directory at {state.DirectoryUrl} does not answer ({directoryError}); statuses come from the nodes themselves.");
            }

            Output.Table(
                "Members (synthetic demo federation)",
                ["country", "status", "directory says", "node healthy", "snapshot", "peers seen", "not seen"],
                reports.Select(r => (IReadOnlyList<string>)
                [
                    r.Country,
                    r.Status,
                    r.DirectoryStatus ?? "-",
                    r.Node is null ? "no answer" : r.Node.Healthy ? "yes" : "no",
                    r.Node is null ? "-" : r.Node.SnapshotVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    r.Node is null ? "-" : $"{r.Node.Peers.Count(p => p.Reachable)}/{r.Node.Peers.Count}",
                    r.Node is null ? "-" : string.Join(" ", r.Node.Peers.Where(p => !p.Reachable).Select(p => p.Country)),
                ]));
        }

        var allGood = reports.All(r => r.Status == "active" && r.Node is { Healthy: true } && r.Node.Peers.All(p => p.Reachable));
        return allGood ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static async Task<MemberReport> ReportAsync(string country, FederationState state, Dictionary<string, Member>? members, ProfileStore store, CancellationToken cancellationToken)
    {
        var directoryStatus = members?.GetValueOrDefault(country) is { } member ? StatusName(member.Status) : null;
        var node = state.Nodes.FirstOrDefault(n => n.Country == country);
        NodeReport? view = null;
        string? nodeError = null;
        if (node is not null)
        {
            try
            {
                using var connection = NodeConnection.Open(store.Resolve(null, country, "admin"));
                var status = await new NodeService.NodeServiceClient(connection.Invoker).GetNodeStatusAsync(new GetNodeStatusRequest(), FederationCommands.Deadline(cancellationToken, 5));
                view = new NodeReport(
                    status.Healthy,
                    status.MembershipStatus,
                    status.SnapshotVersion,
                    status.DirectoryReachable,
                    status.Checks.Where(c => !c.Healthy).Select(c => $"{c.Name}: {c.Reason}").ToList(),
                    status.Peers.Select(p => new PeerReport(p.Country, p.Reachable, p.LastContact?.ToDateTimeOffset(), Math.Round(p.RoundTripMs, 2), string.IsNullOrEmpty(p.LastError) ? null : p.LastError)).ToList());
            }
            catch (Exception ex) when (ex is RpcException or CliException or InvalidOperationException)
            {
                nodeError = ex is RpcException rpc ? CliContext.Describe(rpc) : ex.Message;
            }
        }

        var status1 = view is null && node is not null ? "unreachable" : directoryStatus ?? view?.Membership ?? "unknown";
        return new MemberReport(country, node?.MechanismName ?? members?.GetValueOrDefault(country)?.Application.MechanismName ?? string.Empty, status1, directoryStatus, node?.PeerUrl, node?.ConsoleUrl, view, nodeError);
    }

    private static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Active => "active",
        MemberStatus.Pending => "pending",
        MemberStatus.Suspended => "suspended",
        MemberStatus.Removed => "removed",
        _ => "unknown",
    };

    /// <summary>One member in the status report.</summary>
    internal sealed record MemberReport(string Country, string Mechanism, string Status, string? DirectoryStatus, string? PeerEndpoint, string? ConsoleUrl, NodeReport? Node, string? NodeError);

    /// <summary>How a node reports itself.</summary>
    internal sealed record NodeReport(bool Healthy, string Membership, ulong SnapshotVersion, bool DirectoryReachable, IReadOnlyList<string> Problems, IReadOnlyList<PeerReport> Peers);

    /// <summary>How a node sees one peer.</summary>
    internal sealed record PeerReport(string Country, bool Reachable, DateTimeOffset? LastContact, double RoundTripMs, string? LastError);
}

/// <summary><c>federation down</c>: stops a federation started by 'federation up' in another terminal or with --detach.</summary>
internal sealed class FederationDownCommand : VerbCommand
{
    private readonly Option<string?> _state = new("--state") { Description = "Folder of the federation's state (default: .state/federation in the checkout)." };

    public FederationDownCommand(CliContext context)
        : base(context, "down", "Stop the local federation's directory and nodes.")
    {
        Options.Add(_state);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var paths = FederationCommands.Paths(parse.GetValue(_state));
        var state = FederationState.Load(paths)
            ?? throw new CliException(ExitCodes.NotFound, $"No federation in {paths.Root}.");
        var processes = new[] { state.SupervisorProcessId }
            .Concat(state.Nodes.Select(n => n.ProcessId))
            .Append(state.DirectoryProcessId)
            .OfType<int>()
            .Where(ChildProcess.IsRunning)
            .ToList();
        if (processes.Count == 0)
        {
            Output.Line("The federation is not running.");
            return ExitCodes.Ok;
        }

        foreach (var pid in processes)
        {
            ChildProcess.Terminate(pid);
        }

        var until = DateTime.UtcNow.AddSeconds(30);
        while (processes.Any(ChildProcess.IsRunning) && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        var left = processes.Where(ChildProcess.IsRunning).ToList();
        foreach (var pid in left)
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }

        (state with { SupervisorProcessId = null, DirectoryProcessId = null, Nodes = state.Nodes.Select(n => n with { ProcessId = null }).ToList() }).Save(paths);
        if (Output.Json)
        {
            Output.WriteJson(new { stopped = processes.Count, killed = left.Count });
        }
        else
        {
            Output.Success($"Stopped {processes.Count} processes{(left.Count > 0 ? $" ({left.Count} had to be killed)" : string.Empty)}.");
        }

        return ExitCodes.Ok;
    }
}
