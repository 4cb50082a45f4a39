using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Audit;

/// <summary><c>nremnet audit list</c>: audit entries, newest first.</summary>
internal sealed class ListAuditCommand : VerbCommand
{
    private readonly Option<int> _limit = new("--limit") { Description = "At most this many entries (1 to 1000).", DefaultValueFactory = _ => 50 };
    private readonly Option<string?> _action = new("--action") { Description = "Only this action, e.g. user.add or peer.refused." };
    private readonly Option<long?> _before = new("--before") { Description = "Only entries older than this sequence number, to page back through the log." };

    public ListAuditCommand(CliContext context)
        : base(context, "list", "List the node's audit entries, newest first: who did what, to what, when, with what outcome (admin only).")
    {
        Options.Add(_limit);
        Options.Add(_action);
        Options.Add(_before);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var limit = parse.GetValue(_limit);
        if (limit is < 1 or > 1000)
        {
            throw new CliException(ExitCodes.Usage, $"--limit is {limit}; give 1 to 1000, and page back with --before.");
        }

        var before = parse.GetValue(_before);
        if (before is <= 0)
        {
            throw new CliException(ExitCodes.Usage, $"--before is {before}; give a sequence number from 1.");
        }

        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var response = await new AuditService.AuditServiceClient(connection.Invoker).ListAuditEntriesAsync(
            new ListAuditEntriesRequest { Limit = limit, BeforeSequence = before ?? 0, Action = parse.GetValue(_action)?.Trim() ?? string.Empty },
            NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var entries = response.Entries.Select(e => new
        {
            e.Sequence,
            at = CliValues.At(e.At),
            e.Actor,
            e.Action,
            e.Target,
            e.Outcome,
            e.Details,
            e.Hash,
        }).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, entries });
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            Output.Line("No audit entries match.");
            return ExitCodes.Ok;
        }

        Output.Table(
            $"Audit log of {connection.Profile.Node}",
            ["#", "at", "actor", "action", "target", "outcome", "details"],
            entries.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), CliValues.Time(e.at), e.Actor, e.Action, e.Target, e.Outcome, e.Details]));
        if (entries.Count == limit && entries[^1].Sequence > 1)
        {
            Output.Line($"Older entries: 'nremnet audit list --before {entries[^1].Sequence}'.");
        }

        return ExitCodes.Ok;
    }
}
