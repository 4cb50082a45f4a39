using NremNet.Cli.Profiles;
using NremNet.Domain.Users;

namespace NremNet.Cli.Practices;

/// <summary>
/// Which saved profile the practice and question verbs run as. <c>--profile</c> when given. For a verb that any user
/// may run (reading, searching): the current profile of <c>--node XX</c> (or of the current node). For a verb that
/// needs a role (publishing, asking and answering need a rapporteur; replication an admin): a profile of <c>--node XX</c>
/// with that role; else the current profile when it has the role; else the profile with the role of the current
/// profile's node (so after <c>federation up</c>, whose current profile is NL's admin, NL's rapporteur publishes).
/// </summary>
internal static class DocumentProfile
{
    /// <summary>The role that publishes practices, asks and answers questions.</summary>
    public static readonly string Writer = UserRules.Name(Contracts.Local.V1.Role.Rapporteur);

    /// <summary>The role that sees and drives replication.</summary>
    public static readonly string Admin = UserRules.Name(Contracts.Local.V1.Role.Admin);

    /// <summary>The profile to act as; a <see cref="CliException"/> saying how to get one when none fits.</summary>
    public static Profile Choose(ProfileStore store, string? profile, string? node, string? role)
    {
        var wantedNode = node?.ToUpperInvariant();
        if (profile is not null || role is null || wantedNode is not null)
        {
            return store.Resolve(profile, wantedNode, role);
        }

        var document = store.Load();
        var current = document.Profiles.FirstOrDefault(p => string.Equals(p.Name, document.Current, StringComparison.OrdinalIgnoreCase));
        if (current is null)
        {
            return store.Resolve(null, null, role);
        }

        return current.Roles.Contains(role, StringComparer.OrdinalIgnoreCase)
            ? current
            : store.Resolve(null, current.Node, role);
    }
}
