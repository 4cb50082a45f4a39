using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet user enable USERNAME</c>: enables a disabled account again.</summary>
internal sealed class EnableUserCommand : VerbCommand
{
    private readonly Argument<string> _username = new("username") { Description = "The account's login name." };

    public EnableUserCommand(CliContext context)
        : base(context, "enable", "Enable a disabled account again; it logs in anew, as its old tokens stay revoked (admin only).")
    {
        Arguments.Add(_username);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var response = await new UserService.UserServiceClient(connection.Invoker).EnableUserAsync(
            new EnableUserRequest { Username = parse.GetValue(_username)!.Trim() },
            NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var user = UserView.Of(response.User);
        if (Output.Json)
        {
            Output.WriteJson(new { user });
        }
        else
        {
            Output.Success($"Enabled {user.Username}.");
        }

        return ExitCodes.Ok;
    }
}
