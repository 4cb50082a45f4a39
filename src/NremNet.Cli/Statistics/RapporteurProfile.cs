using NremNet.Cli.Profiles;
using NremNet.Domain.Users;

namespace NremNet.Cli.Statistics;

/// <summary>
/// Which saved profile a federated query runs as: <c>--profile</c> when given; else with <c>--node XX</c> a profile of
/// that node with the rapporteur role; else the current profile when it has that role; else the rapporteur profile of
/// the current profile's node (so an admin whose node also has a rapporteur profile need name nothing).
/// </summary>
internal static class RapporteurProfile
{
    /// <summary>The rapporteur role's name.</summary>
    public static readonly string Role = UserRules.Name(Contracts.Local.V1.Role.Rapporteur);

    /// <summary>The profile to query as; a <see cref="CliException"/> saying how to get one when none fits.</summary>
    public static Profile Choose(ProfileStore store, string? profile, string? node)
    {
        if (profile is not null || node is not null)
        {
            return store.Resolve(profile, node?.ToUpperInvariant(), Role);
        }

        var document = store.Load();
        var current = document.Profiles.FirstOrDefault(p => string.Equals(p.Name, document.Current, StringComparison.OrdinalIgnoreCase));
        if (current is null)
        {
            return store.Resolve(null, null, Role);
        }

        return current.Roles.Contains(Role, StringComparer.OrdinalIgnoreCase)
            ? current
            : store.Resolve(null, current.Node, Role);
    }
}
