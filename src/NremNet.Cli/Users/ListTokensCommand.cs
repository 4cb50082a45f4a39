using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet token list</c>: your tokens, without their secrets.</summary>
internal sealed class ListTokensCommand : VerbCommand
{
    public ListTokensCommand(CliContext context)
        : base(context, "list", "List your personal API tokens on the node, newest first, without their secrets.")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = Context.Connect(parse, role: null);
        var response = await new TokenService.TokenServiceClient(connection.Invoker).ListTokensAsync(new ListTokensRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var current = ApiTokens.IdOf(connection.Profile.Token);
        var now = Context.Time.GetUtcNow();
        var tokens = response.Tokens.Select(t => TokenView.Of(t, now, t.Id == current)).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new { node = connection.Profile.Node, user = connection.Profile.Username, tokens });
        }
        else
        {
            Output.Table($"Tokens of {connection.Profile.Username} on {connection.Profile.Node}", TokenView.Headers, tokens.Select(t => t.Row()));
        }

        return ExitCodes.Ok;
    }
}
