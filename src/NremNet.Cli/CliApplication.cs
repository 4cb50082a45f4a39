using System.CommandLine;
using NremNet.Cli.Audit;
using NremNet.Cli.Cli;
using NremNet.Cli.Directory;
using NremNet.Cli.Federation;
using NremNet.Cli.Node;
using NremNet.Cli.Pki;
using NremNet.Cli.Practices;
using NremNet.Cli.Questions;
using NremNet.Cli.Referrals;
using NremNet.Cli.Statistics;
using NremNet.Cli.Users;

namespace NremNet.Cli;

/// <summary>The <c>nremnet</c> command tree.</summary>
internal static class CliApplication
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("nremnet — the command line of NremNet, the network of national rapporteurs and equivalent mechanisms on trafficking in persons.");
        root.Options.Add(context.JsonOption);
        root.Options.Add(context.NodeOption);
        root.Options.Add(context.ProfileOption);
        root.Subcommands.Add(PkiCommands.Create(context));
        root.Subcommands.Add(DirectoryCommands.Create(context));
        root.Subcommands.Add(NodeCommands.Create(context));
        root.Subcommands.Add(new LoginCommand(context));
        root.Subcommands.Add(UserCommands.Create(context));
        root.Subcommands.Add(TokenCommands.Create(context));
        root.Subcommands.Add(AuditCommands.Create(context));
        root.Subcommands.Add(FederationCommands.Create(context));
        StatisticsCommands.AddTo(root, context);
        root.Subcommands.Add(ReferralCommands.Create(context));
        root.Subcommands.Add(PracticeCommands.Create(context));
        root.Subcommands.Add(QuestionCommands.Create(context));
        return root;
    }
}
