using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet user disable USERNAME</c>: disables an account and revokes its tokens.</summary>
internal sealed class DisableUserCommand : VerbCommand
{
    private readonly Argument<string> _username = new("username") { Description = "The account's login name." };
    private readonly Option<string?> _reason = new("--reason") { Description = "Why, for the audit log." };

    public DisableUserCommand(CliContext context)
        : base(context, "disable", "Disable an account: it can no longer log in and its tokens are revoked (admin only).")
    {
        Arguments.Add(_username);
        Options.Add(_reason);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var response = await new UserService.UserServiceClient(connection.Invoker).DisableUserAsync(
            new DisableUserRequest { Username = parse.GetValue(_username)!.Trim(), Reason = parse.GetValue(_reason)?.Trim() ?? string.Empty },
            NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var user = UserView.Of(response.User);
        if (Output.Json)
        {
            Output.WriteJson(new { user, revokedTokens = response.RevokedTokens });
        }
        else
        {
            Output.Success($"Disabled {user.Username}; {response.RevokedTokens} token{(response.RevokedTokens == 1 ? " was" : "s were")} revoked. Enable it again with 'nremnet user enable {user.Username}'.");
        }

        return ExitCodes.Ok;
    }
}
