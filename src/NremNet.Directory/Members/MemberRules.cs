using System.Globalization;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Directory.Members;

/// <summary>What a request does to a member: its new status and application, what to record, and whether the active set changes.</summary>
/// <param name="Status">The status after the change.</param>
/// <param name="Application">The application after the change.</param>
/// <param name="Event">The history event to record, or null when nothing changed.</param>
/// <param name="Reason">Why, for the history and <c>status_reason</c>.</param>
/// <param name="ChangesSnapshot">Whether the snapshot of active members changes, so a new version must be issued.</param>
internal sealed record MemberChange(MemberStatus Status, MemberApplication Application, string? Event, string Reason, bool ChangesSnapshot);

/// <summary>
/// The membership state machine: PENDING → ACTIVE ⇄ SUSPENDED, and REMOVED for good. A request the current status does
/// not allow throws <see cref="MemberRefusedException"/>.
/// </summary>
internal static class MemberRules
{
    public const string Registered = "registered";
    public const string ApplicationUpdated = "application_updated";
    public const string CertificateChanged = "certificate_changed";
    public const string Approved = "approved";
    public const string Suspended = "suspended";
    public const string Removed = "removed";

    /// <summary>A node applies, or applies again.</summary>
    public static MemberChange Register(MemberRecord? current, MemberApplication application)
    {
        if (current is null)
        {
            return new MemberChange(MemberStatus.Pending, application, Registered, string.Empty, false);
        }

        var changed = !current.Application.Equals(application);
        switch (current.Status)
        {
            case MemberStatus.Removed:
                throw new MemberRefusedException(MemberRefusalKind.WrongStatus,
                    $"{current.Country} was removed from the network on {Day(current.UpdatedAt)} ({current.StatusReason}), for good, so its node cannot register again. " +
                    "If that is a mistake, the network secretariat must resolve it: contact the secretariat.");
            case MemberStatus.Active when current.Application.CertificateThumbprint != application.CertificateThumbprint:
                // A new certificate is a new key: peers must not trust it until the secretariat has approved it.
                return new MemberChange(MemberStatus.Pending, application, CertificateChanged,
                    $"the node presents a new certificate {application.CertificateThumbprint} (was {current.Application.CertificateThumbprint}); the secretariat must approve it again",
                    true);
            case MemberStatus.Active:
                return new MemberChange(MemberStatus.Active, application, changed ? ApplicationUpdated : null, string.Empty, changed);
            default:
                // PENDING stays PENDING and SUSPENDED stays SUSPENDED; the latest application is what an approval admits.
                return new MemberChange(current.Status, application, changed ? ApplicationUpdated : null, string.Empty, false);
        }
    }

    /// <summary>The secretariat admits a pending or suspended member.</summary>
    public static MemberChange Approve(string country, MemberRecord? current)
    {
        var member = Require(country, current);
        return member.Status switch
        {
            MemberStatus.Pending or MemberStatus.Suspended => new MemberChange(MemberStatus.Active, member.Application, Approved, string.Empty, true),
            MemberStatus.Removed => throw WasRemoved(member, "approved"),
            _ => throw new MemberRefusedException(MemberRefusalKind.WrongStatus, $"{country} is already ACTIVE; only a PENDING or SUSPENDED member can be approved."),
        };
    }

    /// <summary>The secretariat suspends an active or pending member.</summary>
    public static MemberChange Suspend(string country, MemberRecord? current, string reason)
    {
        var member = Require(country, current);
        return member.Status switch
        {
            MemberStatus.Active or MemberStatus.Pending => new MemberChange(MemberStatus.Suspended, member.Application, Suspended, reason, member.Status == MemberStatus.Active),
            MemberStatus.Removed => throw WasRemoved(member, "suspended"),
            _ => throw new MemberRefusedException(MemberRefusalKind.WrongStatus, $"{country} is already SUSPENDED (since {Day(member.UpdatedAt)}: {member.StatusReason}); approve it to make it ACTIVE again."),
        };
    }

    /// <summary>The secretariat removes a member for good.</summary>
    public static MemberChange Remove(string country, MemberRecord? current, string reason)
    {
        var member = Require(country, current);
        return member.Status == MemberStatus.Removed
            ? throw new MemberRefusedException(MemberRefusalKind.WrongStatus, $"{country} was already removed on {Day(member.UpdatedAt)} ({member.StatusReason}).")
            : new MemberChange(MemberStatus.Removed, member.Application, Removed, reason, member.Status == MemberStatus.Active);
    }

    private static MemberRecord Require(string country, MemberRecord? current) =>
        current ?? throw new MemberRefusedException(MemberRefusalKind.NotFound, $"No member {country} is registered; its node must call Register first.");

    private static MemberRefusedException WasRemoved(MemberRecord member, string what) =>
        new(MemberRefusalKind.WrongStatus, $"{member.Country} is REMOVED (since {Day(member.UpdatedAt)}: {member.StatusReason}); a removed member cannot be {what}, removal is final.");

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
