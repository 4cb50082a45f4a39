using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet agreement set --country SE --grant THB_VICT_REG:SEX,EXPLOIT</c>: creates or replaces the agreement with one country.</summary>
internal sealed class SetAgreementCommand : VerbCommand
{
    private readonly Option<string> _country = new("--country") { Description = "The peer country, ISO 3166-1 alpha-2.", Required = true };
    private readonly Option<string[]> _grants = new("--grant") { Description = "What it may ask: INDICATOR:DIM,DIM (or INDICATOR:* for every dimension, *:* for everything); repeat for each indicator." };
    private readonly Option<string> _protection = new("--protection") { Description = "How its answers are protected: suppression (default), perturbation (cell-key) or dp (differential privacy).", DefaultValueFactory = _ => "suppression" };
    private readonly Option<double?> _epsilonPerYear = new("--epsilon-per-year") { Description = "dp: the peer's epsilon budget per calendar year." };
    private readonly Option<double?> _epsilonPerQuery = new("--epsilon-per-query") { Description = "dp: the epsilon each answer spends." };
    private readonly Option<string?> _validUntil = new("--valid-until") { Description = "The last day the agreement holds, YYYY-MM-DD (default: until removed)." };
    private readonly Option<string?> _reference = new("--reference") { Description = "What the agreement rests on, e.g. the memorandum's reference." };

    public SetAgreementCommand(CliContext context)
        : base(context, "set", "Create or replace the agreement with one country: the indicators and dimensions it may ask for beyond the baseline, and the protection its answers get (admin only).")
    {
        _protection.AcceptOnlyFromAmong("suppression", "perturbation", "dp");
        Options.Add(_country);
        Options.Add(_grants);
        Options.Add(_protection);
        Options.Add(_epsilonPerYear);
        Options.Add(_epsilonPerQuery);
        Options.Add(_validUntil);
        Options.Add(_reference);
    }

    /// <summary>The grants of <c>--grant</c> values; every malformed one named at once.</summary>
    public static IReadOnlyList<Grant> Grants(IEnumerable<string>? values)
    {
        var grants = new List<Grant>();
        var problems = new List<string>();
        foreach (var raw in values ?? [])
        {
            var text = raw.Trim();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var indicator = colon > 0 ? text[..colon].Trim().ToUpperInvariant() : string.Empty;
            var dimensions = colon > 0 ? QueryArguments.Split([text[(colon + 1)..]]).Select(d => d.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList() : [];
            if (colon <= 0 || dimensions.Count == 0)
            {
                problems.Add($"'{text}' is not INDICATOR:DIM[,DIM...] (or INDICATOR:*), e.g. THB_VICT_REG:SEX,EXPLOIT");
            }
            else if (grants.Any(g => g.Indicator == indicator))
            {
                problems.Add($"'{text}': {indicator} is granted twice; give its dimensions in one --grant");
            }
            else
            {
                var grant = new Grant { Indicator = indicator };
                grant.Dimensions.AddRange(dimensions);
                grants.Add(grant);
            }
        }

        return problems.Count == 0 ? grants : throw new CliException(ExitCodes.Usage, "--grant: " + string.Join("; ", problems) + ".");
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var agreement = new Agreement
        {
            Country = CliValues.Country(parse.GetValue(_country), "--country"),
            Protection = AgreementView.ParseProtection(parse.GetValue(_protection)!),
            Reference = parse.GetValue(_reference)?.Trim() ?? string.Empty,
        };
        agreement.Grants.AddRange(Grants(parse.GetValue(_grants)));
        var perYear = parse.GetValue(_epsilonPerYear);
        var perQuery = parse.GetValue(_epsilonPerQuery);
        if (agreement.Protection == Protection.DifferentialPrivacy)
        {
            if (perYear is not > 0 || perQuery is not > 0 || perQuery > perYear)
            {
                throw new CliException(ExitCodes.Usage, "--protection dp needs --epsilon-per-year and --epsilon-per-query, both above 0, the yearly budget at least one query's, e.g. --epsilon-per-year 5 --epsilon-per-query 0.5.");
            }

            agreement.EpsilonPerYear = perYear.Value;
            agreement.EpsilonPerQuery = perQuery.Value;
        }
        else if (perYear is not null || perQuery is not null)
        {
            throw new CliException(ExitCodes.Usage, "--epsilon-per-year and --epsilon-per-query apply to differential privacy only; add --protection dp.");
        }

        if (parse.GetValue(_validUntil) is { } until)
        {
            if (!DateOnly.TryParseExact(until.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new CliException(ExitCodes.Usage, $"--valid-until '{until}' is not a date; write YYYY-MM-DD, e.g. 2027-12-31.");
            }

            if (day < DateOnly.FromDateTime(Context.Time.GetUtcNow().UtcDateTime))
            {
                throw new CliException(ExitCodes.Usage, $"--valid-until {until} is in the past; an agreement must hold until today at least.");
            }

            // The agreement holds through the whole of its last day (UTC).
            agreement.ValidUntil = Timestamp.FromDateTimeOffset(new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero));
        }

        using var connection = Context.Connect(parse, AgreementCommands.Admin);
        var response = await new AgreementService.AgreementServiceClient(connection.Invoker).SetAgreementAsync(new SetAgreementRequest { Agreement = agreement }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var view = AgreementView.Of(response.Agreement);
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, agreement = view });
            return ExitCodes.Ok;
        }

        Output.Success($"Agreement of {connection.Profile.Node} with {view.Country} set.");
        Output.Table(null, AgreementView.Headers, [view.Row()]);
        return ExitCodes.Ok;
    }
}
