using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Statistics;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral list</c>: referrals sent and received, newest first, with filters.</summary>
internal sealed class ListReferralsCommand : ReferralVerb
{
    /// <summary>The table's columns.</summary>
    public static readonly IReadOnlyList<string> Headers = ["id", "direction", "peer", "purpose", "urgency", "status", "updated", "undelivered"];

    private const int MaxLimit = 1000;

    private readonly Option<string?> _direction = new("--direction") { Description = "Only referrals sent (out) or received (in)." };
    private readonly Option<string[]> _statuses = new("--status") { Description = "Only these statuses, comma-separated, e.g. SUBMITTED,UNDER_ASSESSMENT." };
    private readonly Option<string?> _peer = new("--peer") { Description = "Only referrals with this country, ISO 3166-1 alpha-2." };
    private readonly Option<string?> _purpose = new("--purpose") { Description = "Only this purpose: assistance, risk_assessment, safe_return, family_tracing, protection_in_proceedings or information_request." };
    private readonly Option<string?> _urgency = new("--urgency") { Description = "Only this urgency: routine, urgent or immediate." };
    private readonly Option<int?> _limit = new("--limit") { Description = $"At most this many (default 100, at most {MaxLimit})." };

    public ListReferralsCommand(CliContext context)
        : base(context, "list", "List referrals sent and received, newest first: status, peer, purpose, urgency, and changes not yet delivered to the other side.")
    {
        _direction.AcceptOnlyFromAmong("in", "out");
        Options.Add(_direction);
        Options.Add(_statuses);
        Options.Add(_peer);
        Options.Add(_purpose);
        Options.Add(_urgency);
        Options.Add(_limit);
    }

    /// <summary>The request the options ask for, or a usage error naming what is wrong.</summary>
    public ListReferralsRequest Request(ParseResult parse)
    {
        var request = new ListReferralsRequest
        {
            Direction = parse.GetValue(_direction) switch
            {
                "in" => ReferralDirection.Incoming,
                "out" => ReferralDirection.Outgoing,
                _ => ReferralDirection.Unspecified,
            },
            PeerCountry = parse.GetValue(_peer) is { } peer ? CliValues.Country(peer, "--peer") : string.Empty,
            Purpose = parse.GetValue(_purpose) is { } purpose ? ReferralText.Parse<Purpose>(purpose, "--purpose") : Purpose.Unspecified,
            Urgency = parse.GetValue(_urgency) is { } urgency ? ReferralText.Parse<Urgency>(urgency, "--urgency") : Urgency.Unspecified,
        };
        foreach (var name in QueryArguments.Split(parse.GetValue(_statuses)))
        {
            var status = ReferralStateMachine.Parse(name)
                ?? throw new CliException(ExitCodes.Usage, $"--status '{name}' is not a status; use {string.Join(", ", Enum.GetValues<ReferralStatus>().Where(s => s != ReferralStatus.Unspecified).Select(ReferralStateMachine.Name))}.");
            if (!request.Statuses.Contains(status))
            {
                request.Statuses.Add(status);
            }
        }

        if (parse.GetValue(_limit) is { } limit)
        {
            request.Limit = limit is >= 1 and <= MaxLimit ? limit : throw new CliException(ExitCodes.Usage, $"--limit is {limit}; give a number from 1 to {MaxLimit}.");
        }

        return request;
    }

    /// <summary>A referral's row.</summary>
    public static IReadOnlyList<string> Row(Referral referral) =>
    [
        ReferralIds.Short(referral.Header.ReferralId),
        ReferralText.Direction(referral.Direction),
        referral.PeerCountry,
        ReferralText.Name(referral.Header.Purpose),
        ReferralText.Name(referral.Header.Urgency),
        ReferralText.Status(referral.Status),
        CliValues.Time(referral.UpdatedAt),
        referral.Undelivered.ToString(CultureInfo.InvariantCulture),
    ];

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = Request(parse);
        using var session = Open(parse);
        var response = await session.Client.ListReferralsAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var node = session.Profile.Node;
        if (response.Referrals.Count == 0)
        {
            Output.Line(response.Total == 0 && request.Equals(new ListReferralsRequest())
                ? $"{node} has no referrals yet. Write one with 'nremnet referral new FORM' (see nodes/samples/referral-form.yaml)."
                : $"No referral of {node} matches.");
            return ExitCodes.Ok;
        }

        Output.Table($"Referrals of {node}", Headers, response.Referrals.Select(Row));
        if (response.Total > response.Referrals.Count)
        {
            Output.Line($"The newest {response.Referrals.Count} of {response.Total}; --limit shows more (up to {MaxLimit}).");
        }

        Output.Line("'referral show ID' shows one with its history; ID may be the end of the id as shown.");
        return ExitCodes.Ok;
    }
}
