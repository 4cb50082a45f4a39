using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet agreement remove --country SE</c>: removes the agreement with one country (the baseline remains).</summary>
internal sealed class RemoveAgreementCommand : VerbCommand
{
    private readonly Option<string> _country = new("--country") { Description = "The peer country, ISO 3166-1 alpha-2.", Required = true };

    public RemoveAgreementCommand(CliContext context)
        : base(context, "remove", "Remove the agreement with one country; it keeps the baseline (admin only).")
    {
        Options.Add(_country);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var country = CliValues.Country(parse.GetValue(_country), "--country");
        using var connection = Context.Connect(parse, AgreementCommands.Admin);
        var response = await new AgreementService.AgreementServiceClient(connection.Invoker).RemoveAgreementAsync(new RemoveAgreementRequest { Country = country }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, country, response.Removed });
        }
        else if (response.Removed)
        {
            Output.Success($"Removed the agreement of {connection.Profile.Node} with {country}; {country} keeps the baseline.");
        }
        else
        {
            Output.Warning($"{connection.Profile.Node} has no agreement with {country}; nothing to remove.");
        }

        return ExitCodes.Ok;
    }
}
