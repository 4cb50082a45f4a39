using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet token</c>: your own personal API tokens on a node (any role).</summary>
internal static class TokenCommands
{
    public static Command Create(CliContext context)
    {
        var token = new Command("token", "Your personal API tokens on a node, for scripts and the CLI: create, list and revoke them.");
        token.Subcommands.Add(new CreateTokenCommand(context));
        token.Subcommands.Add(new ListTokensCommand(context));
        token.Subcommands.Add(new RevokeTokenCommand(context));
        return token;
    }
}
