using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary><c>nremnet user add USERNAME --role ROLE</c>: creates a local account.</summary>
internal sealed class AddUserCommand : VerbCommand
{
    private readonly Argument<string> _username = new("username") { Description = "Login name: 3 to 64 letters, digits, '.', '_' or '-', starting with a letter." };
    private readonly Option<string[]> _roles = new("--role") { Description = "A role: rapporteur, referral_officer or admin; repeat for several.", Required = true, Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _displayName = new("--display-name") { Description = "Name to show (default: the user name)." };
    private readonly Option<bool> _passwordStdin = new("--password-stdin") { Description = $"Read the initial password ({UserRules.MinimumPasswordLength} characters or more) from standard input; without it one is generated and shown once." };

    public AddUserCommand(CliContext context)
        : base(context, "add", "Add a local account to the node (admin only). A generated password is shown once.")
    {
        Arguments.Add(_username);
        Options.Add(_roles);
        Options.Add(_displayName);
        Options.Add(_passwordStdin);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var username = parse.GetValue(_username)!.Trim();
        var names = parse.GetValue(_roles) ?? [];
        var unknown = names.Where(r => UserRules.ParseRole(r) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, $"{string.Join(", ", unknown.Select(r => $"'{r}'"))} {(unknown.Count == 1 ? "is not a role" : "are not roles")}; use rapporteur, referral_officer or admin.");
        }

        var request = new AddUserRequest { Username = username, DisplayName = parse.GetValue(_displayName)?.Trim() ?? username };
        request.Roles.AddRange(names.Select(r => UserRules.ParseRole(r)!.Value).Distinct());
        string? generated = null;
        if (parse.GetValue(_passwordStdin))
        {
            request.Password = (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r', '\n')
                ?? throw new CliException(ExitCodes.Usage, "--password-stdin was given but standard input is empty; write the password to it.");
        }
        else
        {
            // Generated here with the node's own generator rather than left empty: the node takes an empty password as given.
            request.Password = generated = UserRules.GeneratePassword();
        }

        using var connection = Context.Connect(parse, UserRules.Name(Role.Admin));
        var response = await new UserService.UserServiceClient(connection.Invoker).AddUserAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var user = UserView.Of(response.User);
        var password = string.IsNullOrEmpty(response.GeneratedPassword) ? generated : response.GeneratedPassword;
        if (Output.Json)
        {
            Output.WriteJson(new { user, generatedPassword = password });
            return ExitCodes.Ok;
        }

        Output.Success($"Added {user.Username} ({string.Join(", ", user.Roles)}) on {connection.Profile.Node}.");
        if (password is not null)
        {
            Output.Line($"  password  {password}");
            Output.Warning("The password is shown only this once: hand it over securely now.");
        }

        return ExitCodes.Ok;
    }
}
