using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet login</c>: exchanges a user name and password for a token and saves a profile.</summary>
internal sealed class LoginCommand : VerbCommand
{
    private readonly Option<string> _url = new("--node-url") { Description = "The node's user API, e.g. https://node.example.nl:8443.", Required = true };
    private readonly Option<string> _ca = new("--ca-file") { Description = "The network CA certificate (PEM) the node's certificate chains to.", Required = true };
    private readonly Option<string> _username = new("--username", "-u") { Description = "Your user name on that node.", Required = true };
    private readonly Option<bool> _passwordStdin = new("--password-stdin") { Description = "Read the password from standard input (for scripts)." };
    private readonly Option<string?> _name = new("--name") { Description = "Name for the profile (default: COUNTRY-username)." };

    public LoginCommand(CliContext context)
        : base(context, "login", "Log in to a node and save a profile with a personal API token.")
    {
        Options.Add(_url);
        Options.Add(_ca);
        Options.Add(_username);
        Options.Add(_passwordStdin);
        Options.Add(_name);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var url = parse.GetValue(_url)!;
        var caFile = Path.GetFullPath(parse.GetValue(_ca)!);
        var username = parse.GetValue(_username)!;
        var password = parse.GetValue(_passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty) : ReadPassword(username);

        var anonymous = new Profile { Name = "login", Node = "?", Url = url, Username = username, Token = string.Empty, CaFile = caFile };
        using var connection = NodeConnection.Open(url, caFile, anonymous);
        var session = new SessionService.SessionServiceClient(connection.Channel);
        var login = await session.LoginAsync(
            new LoginRequest { Username = username, Password = password, TokenName = $"nremnet CLI on {Environment.MachineName}" },
            NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        using var authenticated = NodeConnection.Open(url, caFile, anonymous with { Token = login.Secret });
        var me = await new SessionService.SessionServiceClient(authenticated.Invoker).WhoAmIAsync(new WhoAmIRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);

        var profile = new Profile
        {
            Name = parse.GetValue(_name) ?? $"{me.Country}-{login.User.Username}",
            Node = me.Country,
            Url = url,
            Roles = login.User.Roles.Select(UserRules.Name).ToList(),
            Username = login.User.Username,
            Token = login.Secret,
            CaFile = caFile,
        };
        var store = Context.Profiles();
        store.Upsert(profile, makeCurrent: true);
        if (Output.Json)
        {
            Output.WriteJson(new { profile = profile.Name, node = profile.Node, profile.Roles, tokenExpires = login.Token.ExpiresAt.ToDateTimeOffset(), store = store.Path });
        }
        else
        {
            Output.Success($"Logged in to {me.Country} as {profile.Username} ({string.Join(", ", profile.Roles)}); profile '{profile.Name}' saved in {store.Path}; the token expires {login.Token.ExpiresAt.ToDateTimeOffset():u}.");
        }

        return ExitCodes.Ok;
    }

    private static string ReadPassword(string username)
    {
        if (Console.IsInputRedirected)
        {
            throw new CliException(ExitCodes.Usage, "No terminal to ask for the password on; pass --password-stdin and write it to standard input.");
        }

        Console.Error.Write($"Password for {username}: ");
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
