using NremNet.Cli.Profiles;
using NremNet.Domain.Users;

namespace NremNet.Cli.Referrals;

/// <summary>
/// Which saved profile the referral verbs run as: <c>--profile</c> when given; else a referral officer profile of
/// <c>--node XX</c>; else the current profile when it is a referral officer's; else the referral officer profile of
/// the current profile's node (so after <c>federation up</c>, whose current profile is NL's admin, NL's officer).
/// </summary>
internal static class ReferralProfile
{
    /// <summary>The referral officer role's name.</summary>
    public static readonly string Role = UserRules.Name(Contracts.Local.V1.Role.ReferralOfficer);

    /// <summary>The profile to act as; a <see cref="CliException"/> saying how to get one when none fits.</summary>
    public static Profile Choose(ProfileStore store, string? profile, string? node)
    {
        // Without --profile or --node the current profile's node is meant; ProfileStore.Resolve prefers the current
        // profile among that node's when it has the role.
        var document = store.Load();
        var currentNode = profile is null && node is null
            ? document.Profiles.FirstOrDefault(p => string.Equals(p.Name, document.Current, StringComparison.OrdinalIgnoreCase))?.Node
            : null;
        return store.Resolve(profile, (node ?? currentNode)?.ToUpperInvariant(), Role);
    }
}
