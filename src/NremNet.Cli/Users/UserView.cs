using NremNet.Cli.Cli;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Users;

namespace NremNet.Cli.Users;

/// <summary>A local account as the CLI shows it, in tables and JSON alike.</summary>
internal sealed record UserView(string Username, string DisplayName, IReadOnlyList<string> Roles, bool Disabled, DateTimeOffset? CreatedAt)
{
    public static readonly IReadOnlyList<string> Headers = ["user", "name", "roles", "status", "created"];

    public static UserView Of(User user) =>
        new(user.Username, user.DisplayName, [.. user.Roles.Select(UserRules.Name)], user.Disabled, CliValues.At(user.CreatedAt));

    public IReadOnlyList<string> Row() => [Username, DisplayName, string.Join(", ", Roles), Disabled ? "disabled" : "active", CliValues.Time(CreatedAt)];
}
