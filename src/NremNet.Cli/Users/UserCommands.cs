using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet user</c>: a node's local accounts (admin).</summary>
internal static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var user = new Command("user", "A node's local accounts: add, list, disable and enable them (admin only).");
        user.Subcommands.Add(new AddUserCommand(context));
        user.Subcommands.Add(new ListUsersCommand(context));
        user.Subcommands.Add(new DisableUserCommand(context));
        user.Subcommands.Add(new EnableUserCommand(context));
        return user;
    }
}
