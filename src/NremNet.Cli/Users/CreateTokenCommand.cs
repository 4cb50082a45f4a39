using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet token create</c>: a new personal API token for yourself.</summary>
internal sealed class CreateTokenCommand : VerbCommand
{
    private readonly Option<string?> _name = new("--name") { Description = "What to call it, e.g. \"nightly export script\" (default: names this machine)." };
    private readonly Option<int?> _days = new("--days") { Description = "How many days it lives (default: the node's token lifetime)." };

    public CreateTokenCommand(CliContext context)
        : base(context, "create", "Create a personal API token for yourself; its secret is shown once.")
    {
        Options.Add(_name);
        Options.Add(_days);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new CreateTokenRequest { Name = parse.GetValue(_name)?.Trim() ?? $"nremnet on {Environment.MachineName}" };
        if (parse.GetValue(_days) is { } days)
        {
            request.Lifetime = Duration.FromTimeSpan(CliValues.Days(days, "--days", maximum: 3650));
        }

        using var connection = Context.Connect(parse, role: null);
        var response = await new TokenService.TokenServiceClient(connection.Invoker).CreateTokenAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var token = TokenView.Of(response.Token, Context.Time.GetUtcNow(), inUse: false);
        if (Output.Json)
        {
            Output.WriteJson(new { token, secret = response.Secret });
            return ExitCodes.Ok;
        }

        Output.Success($"Created token {token.Id} ('{token.Name}') for {connection.Profile.Username} on {connection.Profile.Node}; it expires {CliValues.Time(token.ExpiresAt)}.");
        Output.Line($"  secret  {response.Secret}");
        Output.Warning("The secret will not be shown again: store it now. Send it as 'authorization: Bearer <secret>'; revoke it with 'nremnet token revoke " + token.Id + "'.");
        return ExitCodes.Ok;
    }
}
