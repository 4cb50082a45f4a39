using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki</c>: the network PKI, made with .NET's own cryptography.</summary>
internal static class PkiCommands
{
    public static Command Create(CliContext context)
    {
        var pki = new Command("pki", "The network PKI: the network CA, and certificates for country nodes, the directory and the secretariat (ECDSA P-256).");
        pki.Subcommands.Add(new InitCaCommand(context));
        pki.Subcommands.Add(new IssueNodeCommand(context));
        pki.Subcommands.Add(new IssueDirectoryCommand(context));
        pki.Subcommands.Add(new IssueSecretariatCommand(context));
        pki.Subcommands.Add(new ShowCertificateCommand(context));
        return pki;
    }
}
