using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet agreement list</c>: every agreement, the baseline and the node's privacy budget.</summary>
internal sealed class ListAgreementsCommand : VerbCommand
{
    public ListAgreementsCommand(CliContext context)
        : base(context, "list", "List the node's sharing agreements: grants, protection, the differential privacy budget spent, validity; and the baseline every member gets (admin only).")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, AgreementCommands.Admin);
        var response = await new AgreementService.AgreementServiceClient(connection.Invoker).ListAgreementsAsync(new ListAgreementsRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var agreements = response.Agreements.OrderBy(a => a.Country, StringComparer.Ordinal).Select(AgreementView.Of).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, baseline = response.Baseline, epsilonCap = response.EpsilonCap, epsilonSpent = response.EpsilonSpent, agreements });
            return ExitCodes.Ok;
        }

        Output.Line($"Baseline: {response.Baseline}");
        Output.Line($"Differential privacy on {connection.Profile.Node}: ε {StatisticsText.Epsilon(response.EpsilonSpent)} spent this year of the node-wide cap {StatisticsText.Epsilon(response.EpsilonCap)}.");
        if (agreements.Count == 0)
        {
            Output.Line("No agreements: peers get the baseline only. Add one with 'nremnet agreement set --country XX --grant INDICATOR:DIM,DIM'.");
            return ExitCodes.Ok;
        }

        Output.Table($"Agreements of {connection.Profile.Node}", AgreementView.Headers, agreements.Select(a => a.Row()));
        return ExitCodes.Ok;
    }
}
