using NremNet.Node.Users;

namespace NremNet.Node.Console;

/// <summary>An entry of the console's navigation: where it goes, the resource key of its text, and the policy of the page.</summary>
/// <param name="Href">The page's address, absolute (<c>/referrals</c>): the console has no base element.</param>
/// <param name="TextKey">The resource key of its text in <c>Console/Resources/ConsoleText.resx</c>.</param>
/// <param name="Policy">The page's <see cref="UserApiAccess"/> policy: the entry is shown only to whom it admits.</param>
internal sealed record ConsoleNavItem(string Href, string TextKey, string Policy);

/// <summary>
/// The console's navigation, in order. Adding a page to it is one line here, with the same policy as the page's
/// <c>@attribute [Authorize(Policy = ...)]</c> (a test holds the two together); the menu shows an entry only to users the
/// policy admits, and the page itself refuses everyone else with the 403 page.
/// </summary>
internal static class ConsoleNavigation
{
    /// <summary>Every entry.</summary>
    public static IReadOnlyList<ConsoleNavItem> Items { get; } =
    [
        new("/", "Nav.Home", UserApiAccess.AnyRole),
        new("/referrals", "Nav.Referrals", UserApiAccess.ReferralOfficer),
        new("/network", "Nav.Network", UserApiAccess.Admin),
    ];
}
