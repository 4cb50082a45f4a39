using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Audit;

/// <summary><c>nremnet audit verify</c>: recomputes the hash chain and checks its signed head.</summary>
internal sealed class VerifyAuditCommand : VerbCommand
{
    public VerifyAuditCommand(CliContext context)
        : base(context, "verify", "Verify the node's audit log: recompute the hash chain and check the signed head (admin only). Exit code 8 when it was altered.")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var verdict = await new AuditService.AuditServiceClient(connection.Invoker).VerifyAuditAsync(new VerifyAuditRequest(), NodeConnection.Deadline(cancellationToken, seconds: 120)).ConfigureAwait(false);
        if (Output.Json)
        {
            Output.WriteJson(new
            {
                node = connection.Profile.Node,
                verdict.Intact,
                verdict.EntriesChecked,
                firstBadSequence = verdict.Intact ? (long?)null : verdict.FirstBadSequence,
                problem = string.IsNullOrEmpty(verdict.Problem) ? null : verdict.Problem,
            });
        }
        else if (verdict.Intact)
        {
            Output.Success($"The audit log of {connection.Profile.Node} is intact: {verdict.EntriesChecked} entries checked.");
        }
        else
        {
            Output.Error($"The audit log of {connection.Profile.Node} was altered: entry #{verdict.FirstBadSequence} does not fit the chain ({verdict.Problem}). {verdict.EntriesChecked} entries checked. Keep the database file as evidence and restore the node from a backup.");
        }

        return verdict.Intact ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
