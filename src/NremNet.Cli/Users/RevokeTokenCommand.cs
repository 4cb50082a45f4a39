using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet token revoke ID</c>: revokes one of your tokens.</summary>
internal sealed class RevokeTokenCommand : VerbCommand
{
    private readonly Argument<string> _id = new("id") { Description = "The token's id, as 'nremnet token list' shows it." };

    public RevokeTokenCommand(CliContext context)
        : base(context, "revoke", "Revoke one of your personal API tokens; it stops working at once.")
    {
        Arguments.Add(_id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_id)!.Trim();
        using var connection = Context.Connect(parse, role: null);
        var response = await new TokenService.TokenServiceClient(connection.Invoker).RevokeTokenAsync(new RevokeTokenRequest { Id = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var inUse = response.Token.Id == ApiTokens.IdOf(connection.Profile.Token);
        var token = TokenView.Of(response.Token, Context.Time.GetUtcNow(), inUse);
        if (Output.Json)
        {
            Output.WriteJson(new { token });
            return ExitCodes.Ok;
        }

        Output.Success($"Revoked token {token.Id} ('{token.Name}').");
        if (inUse)
        {
            Output.Warning($"That was the token of profile '{connection.Profile.Name}': log in again with 'nremnet login' to use it.");
        }

        return ExitCodes.Ok;
    }
}
