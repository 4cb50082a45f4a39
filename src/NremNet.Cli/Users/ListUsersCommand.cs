using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet user list</c>: every local account.</summary>
internal sealed class ListUsersCommand : VerbCommand
{
    public ListUsersCommand(CliContext context)
        : base(context, "list", "List the node's local accounts with their roles and status (admin only).")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var response = await new UserService.UserServiceClient(connection.Invoker).ListUsersAsync(new ListUsersRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var users = response.Users.Select(UserView.Of).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, users });
        }
        else
        {
            Output.Table($"Users on {connection.Profile.Node}", UserView.Headers, users.Select(u => u.Row()));
        }

        return ExitCodes.Ok;
    }
}
