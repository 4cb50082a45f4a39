using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Cli.Referrals;

/// <summary>
/// How the referral verbs name things, the same in form files, options and tables: enum values in lower snake case as
/// <see cref="ReferralForms.EnumName"/> writes them (<c>safe_return</c>, <c>date_of_birth</c>), statuses as
/// <see cref="ReferralStateMachine.Name"/> does (<c>UNDER_ASSESSMENT</c>).
/// </summary>
internal static class ReferralText
{
    /// <summary>The names of an enum's values except the unset one (0), in order.</summary>
    public static IReadOnlyList<string> Choices(Type enumType) =>
        [.. Values(enumType).Select(v => Name(enumType, v))];

    /// <summary>The value of an enum named as in form files (any case), or null when it has no such value.</summary>
    public static int? Find(Type enumType, string text)
    {
        var wanted = text.Trim();
        return Values(enumType).Select(v => (int?)v).FirstOrDefault(v => string.Equals(Name(enumType, v!.Value), wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A phase, purpose, urgency, data category or risk level as form files write it; "—" when unset.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Name(typeof(TEnum), Convert.ToInt32(value, CultureInfo.InvariantCulture));

    /// <summary>The value an option names, or a usage error listing the choices.</summary>
    public static TEnum Parse<TEnum>(string text, string option)
        where TEnum : struct, Enum =>
        Find(typeof(TEnum), text) is { } number
            ? (TEnum)Enum.ToObject(typeof(TEnum), number)
            : throw new CliException(ExitCodes.Usage, $"{option} '{text}' is not one of {string.Join(", ", Choices(typeof(TEnum)))}.");

    private static string Name(Type enumType, int number) =>
        number == 0 ? "—" : ReferralForms.EnumName(Enum.GetName(enumType, number) ?? number.ToString(CultureInfo.InvariantCulture));

    private static IEnumerable<int> Values(Type enumType) =>
        Enum.GetValuesAsUnderlyingType(enumType).Cast<int>().Where(v => v != 0);

    /// <summary>A status as people and the state machine write it, e.g. UNDER_ASSESSMENT.</summary>
    public static string Status(ReferralStatus status) => status == ReferralStatus.Unspecified ? "—" : ReferralStateMachine.Name(status);

    /// <summary>The direction as <c>--direction</c> takes it: out (sent by this node) or in (received).</summary>
    public static string Direction(ReferralDirection direction) => direction switch
    {
        ReferralDirection.Outgoing => "out",
        ReferralDirection.Incoming => "in",
        _ => "—",
    };

    /// <summary>Which way a referral goes, in words: "to SE" or "from NL".</summary>
    public static string Way(Referral referral) =>
        referral.Direction == ReferralDirection.Incoming ? $"from {referral.PeerCountry}" : $"to {referral.PeerCountry}";

    /// <summary>An organisation in one line: name, unit, country, e-mail, telephone (the parts given).</summary>
    public static string Organisation(Organisation? organisation) =>
        organisation is null
            ? "—"
            : string.Join(" · ", new[] { organisation.Name, organisation.Unit, organisation.Country, organisation.Email, organisation.Phone }.Where(p => p.Length > 0)) is { Length: > 0 } text ? text : "—";

    /// <summary>A history entry's change: "SUBMITTED → ACKNOWLEDGED", "created (DRAFT)" or "note".</summary>
    public static string Change(HistoryEntry entry) => entry.Kind switch
    {
        "note" => "note",
        "created" => $"created ({Status(entry.To)})",
        _ => $"{Status(entry.From)} → {Status(entry.To)}",
    };

    /// <summary>
    /// Whether the other side holds a change: yes or "not yet" for changes this node made; "received" for the other
    /// side's own changes, which reached this node by arriving; "—" for the draft's creation, which travels with the submission.
    /// </summary>
    public static string Delivered(HistoryEntry entry, string node) =>
        entry.Kind == "created" ? "—"
            : !string.Equals(entry.Country, node, StringComparison.OrdinalIgnoreCase) ? "received"
            : entry.Delivered ? "yes"
            : "not yet";

    /// <summary>The last entry of a referral's history in one line, e.g. "2026-11-22 10:31:02Z SE se-officer UNDER_ASSESSMENT → ACCEPTED · delivered: not yet".</summary>
    public static string Tail(Referral referral, string node)
    {
        if (referral.History.Count == 0)
        {
            return $"last change {CliValues.Time(referral.UpdatedAt)}";
        }

        var last = referral.History[^1];
        var reason = last.Reason.Length == 0 ? string.Empty : $" (reason: {last.Reason})";
        return $"{CliValues.Time(last.At)} {last.Country} {last.Actor} {Change(last)}{reason} · delivered: {Delivered(last, node)}";
    }

    /// <summary>A referral's status with what it means for the person reading: e.g. "SUBMITTED, 1 change not yet delivered".</summary>
    public static string StatusLine(Referral referral) =>
        referral.Undelivered == 0
            ? Status(referral.Status)
            : $"{Status(referral.Status)}, {referral.Undelivered} change{(referral.Undelivered == 1 ? string.Empty : "s")} not yet delivered to {referral.PeerCountry}";
}
