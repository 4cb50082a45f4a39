using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Statistics;

/// <summary><c>nremnet agreement</c>: which peers may ask this node for what, beyond the baseline (admin).</summary>
internal static class AgreementCommands
{
    public static Command Create(CliContext context)
    {
        var agreement = new Command("agreement", "Sharing agreements with peer countries: what each may ask this node for beyond the baseline, and how its answers are protected (admin only).");
        agreement.Subcommands.Add(new ListAgreementsCommand(context));
        agreement.Subcommands.Add(new SetAgreementCommand(context));
        agreement.Subcommands.Add(new RemoveAgreementCommand(context));
        return agreement;
    }

    /// <summary>The admin role's name.</summary>
    public static string Admin => UserRules.Name(Role.Admin);
}
