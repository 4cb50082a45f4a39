using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Audit;

/// <summary><c>nremnet audit</c>: a node's append-only, hash-chained audit log (admin).</summary>
internal static class AuditCommands
{
    public static Command Create(CliContext context)
    {
        var audit = new Command("audit", "A node's audit log: read it, and verify that nobody altered it (admin only).");
        audit.Subcommands.Add(new ListAuditCommand(context));
        audit.Subcommands.Add(new VerifyAuditCommand(context));
        return audit;
    }
}
