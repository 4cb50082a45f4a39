using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral show ID</c>: the clear part of one referral, its status and history, and when its personal data is purged. Personal data itself is shown by <c>referral read</c>.</summary>
internal sealed class ShowReferralCommand : ReferralVerb
{
    /// <summary>The history table's columns.</summary>
    public static readonly IReadOnlyList<string> HistoryHeaders = ["when", "country", "actor", "change", "reason", "delivered"];

    private readonly Argument<string> _id = IdArgument();

    public ShowReferralCommand(CliContext context)
        : base(context, "show", "Show one referral: what is asked, by whom, of whom, on what basis and consent; its status; its history with whether each change reached the other side; and when its personal data is purged. No personal data (see 'referral read').")
    {
        Arguments.Add(_id);
    }

    /// <summary>The referral's clear fields, one row each.</summary>
    public static IEnumerable<IReadOnlyList<string>> Fields(Referral referral)
    {
        var header = referral.Header;
        var consent = header.Consent;
        yield return ["status", ReferralText.StatusLine(referral)];
        yield return ["way", $"{header.SenderCountry} → {header.ReceiverCountry} ({(referral.Direction == ReferralDirection.Incoming ? "received" : "sent")} by this node)"];
        yield return ["phase", ReferralText.Name(header.Phase)];
        yield return ["purpose", ReferralText.Name(header.Purpose)];
        yield return ["urgency", ReferralText.Name(header.Urgency)];
        yield return ["sending organisation", ReferralText.Organisation(header.SendingOrganisation)];
        yield return ["receiving organisation", ReferralText.Organisation(header.ReceivingOrganisation)];
        yield return ["person reference", header.PersonReference];
        yield return ["data carried", header.DataCategories.Count == 0 ? "none" : string.Join(", ", header.DataCategories.Select(c => ReferralText.Name(c)))];
        yield return ["consent", consent is null || !consent.Given
            ? "not given"
            : $"given {consent.Date} · data: {string.Join(", ", consent.DataScope.Select(c => ReferralText.Name(c)))} · to: {string.Join(", ", consent.RecipientCountries)} · explained in {consent.ExplainedInLanguage} · withdrawal explained: {CliValues.YesNo(consent.WithdrawalExplained)}"];
        yield return ["legal basis", header.LegalBasis];
        yield return ["retention until", header.RetentionUntil];
        yield return ["created", $"{CliValues.Time(header.CreatedAt)} by {(header.CreatedBy.Length == 0 ? "?" : header.CreatedBy)}"];
        yield return ["updated", CliValues.Time(referral.UpdatedAt)];
        yield return ["notes", referral.Notes.ToString(CultureInfo.InvariantCulture)];
        yield return ["personal data", Purge(referral)];
    }

    /// <summary>Whether and when the referral's personal data, attachments and notes are purged.</summary>
    public static string Purge(Referral referral) =>
        referral.Purged ? $"purged {CliValues.Time(referral.PurgeAt)}"
            : referral.PurgeAt is not null ? $"kept until {CliValues.Time(referral.PurgeAt)}, then purged"
            : $"kept while the referral is open; purged after it ends, by {referral.Header.RetentionUntil} at the latest";

    /// <summary>The history, one row per entry, oldest first.</summary>
    public static IEnumerable<IReadOnlyList<string>> History(Referral referral, string node) =>
        referral.History.Select(e => (IReadOnlyList<string>)
        [
            CliValues.Time(e.At),
            e.Country,
            e.Actor,
            ReferralText.Change(e),
            e.Reason.Length == 0 ? "—" : e.Reason,
            ReferralText.Delivered(e, node),
        ]);

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.IdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Client.GetReferralAsync(new GetReferralRequest { ReferralId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var referral = response.Referral;
        Output.Table($"Referral {id} {ReferralText.Way(referral)}", ["field", "value"], Fields(referral));
        Output.Table($"History of {ReferralIds.Short(id)} as {session.Profile.Node} holds it", HistoryHeaders, History(referral, session.Profile.Node));
        return ExitCodes.Ok;
    }
}
