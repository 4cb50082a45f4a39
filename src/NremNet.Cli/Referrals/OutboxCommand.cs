using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral outbox</c>: the node's messages to peers not yet acknowledged, with their retries and each peer's circuit.</summary>
internal sealed class OutboxCommand : ReferralVerb
{
    /// <summary>The table's columns.</summary>
    public static readonly IReadOnlyList<string> Headers = ["message", "referral", "peer", "kind", "since", "attempts", "last error", "next attempt", "circuit"];

    private readonly Option<string?> _peer = new("--peer") { Description = "Only messages for this country, ISO 3166-1 alpha-2." };

    public OutboxCommand(CliContext context)
        : base(context, "outbox", "List the messages the node has not yet delivered to peers: since when, attempts, the last error, the next attempt and the peer's circuit (referral officer or admin: --profile XX-admin).")
    {
        Options.Add(_peer);
    }

    /// <summary>An entry's row.</summary>
    public static IReadOnlyList<string> Row(OutboxEntry entry) =>
    [
        ReferralIds.Short(entry.MessageId),
        ReferralIds.Short(entry.ReferralId),
        entry.PeerCountry,
        entry.Kind,
        CliValues.Time(entry.Since),
        entry.Attempts.ToString(CultureInfo.InvariantCulture),
        entry.LastError.Length == 0 ? "—" : entry.LastError,
        CliValues.Time(entry.NextAttemptAt),
        entry.Circuit.Length == 0 ? "—" : entry.Circuit,
    ];

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ListOutboxRequest { PeerCountry = parse.GetValue(_peer) is { } peer ? CliValues.Country(peer, "--peer") : string.Empty };
        using var session = Open(parse);
        var response = await session.Client.ListOutboxAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var node = session.Profile.Node;
        var to = request.PeerCountry.Length == 0 ? string.Empty : " for " + request.PeerCountry;
        if (response.Entries.Count == 0)
        {
            Output.Success($"The outbox of {node} is empty{to}: every message was delivered.");
            return ExitCodes.Ok;
        }

        Output.Table($"Outbox of {node}{to}", Headers, response.Entries.Select(Row));
        Output.Line(response.Total > response.Entries.Count
            ? $"The oldest {response.Entries.Count} of {response.Total} waiting messages."
            : $"{response.Total} message{(response.Total == 1 ? string.Empty : "s")} waiting; the node retries with back-off and stops trying a peer for a while after repeated failures (circuit open).");
        return ExitCodes.Ok;
    }
}
