using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Referrals;

/// <summary>A field of a referral that is not right, and why.</summary>
/// <param name="Field">The field path as in the form file, e.g. "personal_data.date_of_birth".</param>
/// <param name="Problem">What is wrong and what would be right.</param>
public sealed record FormProblem(string Field, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Problem}";
}

/// <summary>How big attachments may be (Node:Referrals).</summary>
/// <param name="MaxAttachments">At most this many attachments.</param>
/// <param name="MaxAttachmentBytes">Each attachment at most this many bytes.</param>
/// <param name="MaxTotalAttachmentBytes">All attachments together at most this many bytes.</param>
public sealed record ReferralLimits(int MaxAttachments = 5, int MaxAttachmentBytes = 1024 * 1024, int MaxTotalAttachmentBytes = 2 * 1024 * 1024)
{
    /// <summary>The defaults.</summary>
    public static ReferralLimits Default { get; } = new();
}

/// <summary>
/// The rules of a referral form: every field checked, every problem reported at once; only the personal data the
/// purpose needs; and, before submission, a consent that covers the receiving country and every kind of data carried.
/// </summary>
public static partial class ReferralForms
{
    private const int MaxText = 4000;
    private const int MaxShortText = 300;

    /// <summary>The kinds of personal data each purpose may carry (data minimisation).</summary>
    public static FrozenDictionary<Purpose, FrozenSet<DataCategory>> PurposeCategories { get; } = new Dictionary<Purpose, FrozenSet<DataCategory>>
    {
        [Purpose.Assistance] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Location, DataCategory.Languages, DataCategory.Health),
        [Purpose.RiskAssessment] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Languages, DataCategory.Family, DataCategory.HomeRegion, DataCategory.Health),
        [Purpose.SafeReturn] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Location, DataCategory.Languages, DataCategory.IdentityDocument, DataCategory.Family, DataCategory.HomeRegion, DataCategory.Health),
        [Purpose.FamilyTracing] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Languages, DataCategory.Family, DataCategory.HomeRegion),
        [Purpose.ProtectionInProceedings] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Location, DataCategory.Languages, DataCategory.Proceedings),
        [Purpose.InformationRequest] = Set(DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Proceedings),
    }.ToFrozenDictionary();

    /// <summary>The kinds of personal data <paramref name="data"/> carries, each with the form field that carries it.</summary>
    public static IReadOnlyList<(DataCategory Category, string Field)> Categories(PersonalData? data)
    {
        var found = new List<(DataCategory, string)>();
        if (data is null)
        {
            return found;
        }

        void Add(string value, DataCategory category, string field)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                found.Add((category, field));
            }
        }

        Add(data.GivenName, DataCategory.Identity, "given_name");
        Add(data.FamilyName, DataCategory.Identity, "family_name");
        Add(data.Sex, DataCategory.Identity, "sex");
        Add(data.Citizenship, DataCategory.Identity, "citizenship");
        Add(data.DateOfBirth, DataCategory.DateOfBirth, "date_of_birth");
        Add(data.Contact, DataCategory.Contact, "contact");
        Add(data.CurrentLocation, DataCategory.Location, "current_location");
        if (data.Languages.Count > 0)
        {
            found.Add((DataCategory.Languages, "languages"));
        }

        Add(data.IdentityDocument, DataCategory.IdentityDocument, "identity_document");
        Add(data.Family, DataCategory.Family, "family");
        Add(data.HomeRegion, DataCategory.HomeRegion, "home_region");
        Add(data.Health, DataCategory.Health, "health");
        Add(data.Proceedings, DataCategory.Proceedings, "proceedings");
        return found;
    }

    /// <summary>The distinct kinds of personal data carried, in enum order.</summary>
    public static IReadOnlyList<DataCategory> DistinctCategories(PersonalData? data) =>
        [.. Categories(data).Select(c => c.Category).Distinct().Order()];

    /// <summary>Every problem of a form written on <paramref name="senderCountry"/>'s node on <paramref name="today"/>.</summary>
    public static IReadOnlyList<FormProblem> Validate(ReferralForm form, string senderCountry, DateOnly today, ReferralLimits? limits = null)
    {
        limits ??= ReferralLimits.Default;
        var problems = new List<FormProblem>();
        void Problem(string field, string problem) => problems.Add(new FormProblem(field, problem));

        if (string.IsNullOrWhiteSpace(form.ReceiverCountry))
        {
            Problem("receiver_country", "required: the ISO 3166-1 alpha-2 code of the receiving country, e.g. SE");
        }
        else if (!Country.IsValidCode(form.ReceiverCountry))
        {
            Problem("receiver_country", $"'{form.ReceiverCountry}' is not an ISO 3166-1 alpha-2 country code (upper case, e.g. SE)");
        }
        else if (form.ReceiverCountry == senderCountry)
        {
            Problem("receiver_country", $"a referral goes to another country; {senderCountry} is this node's own");
        }

        Required(problems, "phase", form.Phase, "identification, first_assistance, long_term_assistance, return, proceedings");
        Required(problems, "purpose", form.Purpose, "assistance, risk_assessment, safe_return, family_tracing, protection_in_proceedings, information_request");
        Required(problems, "urgency", form.Urgency, "routine, urgent, immediate");
        ValidateOrganisation(problems, "sending_organisation", form.SendingOrganisation, senderCountry);
        ValidateOrganisation(problems, "receiving_organisation", form.ReceivingOrganisation, Country.IsValidCode(form.ReceiverCountry) ? form.ReceiverCountry : null);

        if (string.IsNullOrWhiteSpace(form.PersonReference))
        {
            Problem("person_reference", "required: the sending organisation's pseudonym for the person, e.g. NL-2026-0042 (never a name)");
        }
        else if (!PseudonymPattern().IsMatch(form.PersonReference))
        {
            Problem("person_reference", "3 to 64 letters, digits, '-', '_', '/' or '.', e.g. NL-2026-0042: a pseudonym, never a name");
        }

        ValidatePersonalData(problems, form.PersonalData, form.Purpose, today);

        for (var i = 0; i < form.Needs.Count; i++)
        {
            TextField(problems, $"needs[{i}]", form.Needs[i], MaxText, required: true);
        }

        if (form.SafetyRisks.Count == 0)
        {
            Problem("safety_risks", "at least one entry: safety risks are always shared (write \"none known\" with level low when there are none)");
        }

        for (var i = 0; i < form.SafetyRisks.Count; i++)
        {
            TextField(problems, $"safety_risks[{i}].description", form.SafetyRisks[i].Description, MaxText, required: true);
            Required(problems, $"safety_risks[{i}].level", form.SafetyRisks[i].Level, "low, medium, high");
        }

        ValidateConsentFields(problems, form.Consent, today);
        TextField(problems, "legal_basis", form.LegalBasis, MaxShortText, required: true, example: "e.g. GDPR art. 6(1)(e) and 9(2)(g); national TRM law");

        if (string.IsNullOrWhiteSpace(form.RetentionUntil))
        {
            Problem("retention_until", "required: the date (YYYY-MM-DD) by which the personal data must be deleted");
        }
        else if (!TryDate(form.RetentionUntil, out var until))
        {
            Problem("retention_until", $"'{form.RetentionUntil}' is not a date YYYY-MM-DD");
        }
        else if (until <= today)
        {
            Problem("retention_until", $"{form.RetentionUntil} is not after today ({today:yyyy-MM-dd})");
        }
        else if (until > today.AddYears(10))
        {
            Problem("retention_until", $"{form.RetentionUntil} is more than 10 years away; personal data is kept no longer than the purpose needs");
        }

        ValidateAttachments(problems, form.Attachments, limits);
        return problems;
    }

    /// <summary>
    /// Why a referral may not be submitted under its consent: the person must have consented, after being told they
    /// may withdraw, to sending the data to the receiving country, for every kind of data it carries. Empty when it may.
    /// </summary>
    public static IReadOnlyList<FormProblem> ConsentProblems(Consent? consent, string receiverCountry, IEnumerable<DataCategory> carried)
    {
        var problems = new List<FormProblem>();
        if (consent is null || !consent.Given)
        {
            problems.Add(new FormProblem("consent.given", "the person has not consented: no referral is submitted without consent"));
            return problems;
        }

        if (!consent.RecipientCountries.Contains(receiverCountry))
        {
            problems.Add(new FormProblem("consent.recipient_countries",
                $"the consent does not cover sending to {receiverCountry} (it covers: {(consent.RecipientCountries.Count == 0 ? "no country" : string.Join(", ", consent.RecipientCountries))})"));
        }

        var missing = carried.Distinct().Where(c => !consent.DataScope.Contains(c)).Order().ToList();
        if (missing.Count > 0)
        {
            problems.Add(new FormProblem("consent.data_scope",
                $"the consent does not cover the kinds of data the referral carries: {string.Join(", ", missing.Select(CategoryName))}"));
        }

        if (!consent.WithdrawalExplained)
        {
            problems.Add(new FormProblem("consent.withdrawal_explained", "the person must have been told they may withdraw consent at any time"));
        }

        return problems;
    }

    /// <summary>The data category as written in form files, e.g. date_of_birth.</summary>
    public static string CategoryName(DataCategory category) => EnumName(category.ToString());

    /// <summary>An enum member name as written in form files: snake case, e.g. UnderAssessment → under_assessment.</summary>
    public static string EnumName(string member) =>
        string.Concat(member.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static void ValidatePersonalData(List<FormProblem> problems, PersonalData? data, Purpose purpose, DateOnly today)
    {
        if (data is null)
        {
            return;
        }

        foreach (var (field, value) in new[]
                 {
                     ("given_name", data.GivenName), ("family_name", data.FamilyName), ("contact", data.Contact),
                     ("current_location", data.CurrentLocation), ("identity_document", data.IdentityDocument),
                     ("family", data.Family), ("home_region", data.HomeRegion), ("health", data.Health), ("proceedings", data.Proceedings),
                 })
        {
            TextField(problems, "personal_data." + field, value, MaxText, required: false);
        }

        if (data.Sex.Length > 0 && data.Sex is not ("F" or "M" or "X"))
        {
            problems.Add(new FormProblem("personal_data.sex", $"'{data.Sex}' is not F, M or X"));
        }

        if (data.Citizenship.Length > 0 && !Country.IsValidCode(data.Citizenship))
        {
            problems.Add(new FormProblem("personal_data.citizenship", $"'{data.Citizenship}' is not an ISO 3166-1 alpha-2 country code"));
        }

        if (data.DateOfBirth.Length > 0)
        {
            if (!TryPartialDate(data.DateOfBirth, out var born))
            {
                problems.Add(new FormProblem("personal_data.date_of_birth", $"'{data.DateOfBirth}' is not YYYY, YYYY-MM or YYYY-MM-DD"));
            }
            else if (born > today || born.Year < today.Year - 120)
            {
                problems.Add(new FormProblem("personal_data.date_of_birth", $"{data.DateOfBirth} is not a possible date of birth"));
            }
        }

        for (var i = 0; i < data.Languages.Count; i++)
        {
            if (!LanguagePattern().IsMatch(data.Languages[i]))
            {
                problems.Add(new FormProblem($"personal_data.languages[{i}]", $"'{data.Languages[i]}' is not an ISO 639-1 code (two lower-case letters, e.g. ro)"));
            }
        }

        if (purpose != Purpose.Unspecified && PurposeCategories.TryGetValue(purpose, out var allowed))
        {
            foreach (var (category, field) in Categories(data))
            {
                if (!allowed.Contains(category))
                {
                    problems.Add(new FormProblem("personal_data." + field,
                        $"{CategoryName(category)} data is not needed for purpose {EnumName(purpose.ToString())}: leave it out (data minimisation); this purpose may carry {string.Join(", ", allowed.Order().Select(CategoryName))}"));
                }
            }
        }
    }

    private static void ValidateConsentFields(List<FormProblem> problems, Consent? consent, DateOnly today)
    {
        if (consent is null)
        {
            problems.Add(new FormProblem("consent", "required: the consent record (given, date, data_scope, recipient_countries, explained_in_language, withdrawal_explained)"));
            return;
        }

        if (consent.Given)
        {
            if (string.IsNullOrWhiteSpace(consent.Date))
            {
                problems.Add(new FormProblem("consent.date", "required when consent is given: the date (YYYY-MM-DD) it was given"));
            }
            else if (!TryDate(consent.Date, out var given))
            {
                problems.Add(new FormProblem("consent.date", $"'{consent.Date}' is not a date YYYY-MM-DD"));
            }
            else if (given > today)
            {
                problems.Add(new FormProblem("consent.date", $"{consent.Date} is in the future"));
            }

            if (!LanguagePattern().IsMatch(consent.ExplainedInLanguage))
            {
                problems.Add(new FormProblem("consent.explained_in_language",
                    consent.ExplainedInLanguage.Length == 0 ? "required: the ISO 639-1 code of the language the consent was explained in" : $"'{consent.ExplainedInLanguage}' is not an ISO 639-1 code (two lower-case letters)"));
            }
        }

        for (var i = 0; i < consent.RecipientCountries.Count; i++)
        {
            if (!Country.IsValidCode(consent.RecipientCountries[i]))
            {
                problems.Add(new FormProblem($"consent.recipient_countries[{i}]", $"'{consent.RecipientCountries[i]}' is not an ISO 3166-1 alpha-2 country code"));
            }
        }

        for (var i = 0; i < consent.DataScope.Count; i++)
        {
            if (consent.DataScope[i] == DataCategory.Unspecified || !Enum.IsDefined(consent.DataScope[i]))
            {
                problems.Add(new FormProblem($"consent.data_scope[{i}]", "not a kind of data: identity, date_of_birth, contact, location, languages, identity_document, family, home_region, health, proceedings"));
            }
        }
    }

    private static void ValidateOrganisation(List<FormProblem> problems, string field, Organisation? organisation, string? country)
    {
        if (organisation is null)
        {
            problems.Add(new FormProblem(field, "required: name, unit, country, email, phone"));
            return;
        }

        TextField(problems, field + ".name", organisation.Name, MaxShortText, required: true);
        TextField(problems, field + ".unit", organisation.Unit, MaxShortText, required: false);
        TextField(problems, field + ".phone", organisation.Phone, 50, required: false);
        if (organisation.Country.Length > 0 && country is not null && organisation.Country != country)
        {
            problems.Add(new FormProblem(field + ".country", $"'{organisation.Country}' is not {country}, the country of that side"));
        }

        if (organisation.Email.Length > 0 && !EmailPattern().IsMatch(organisation.Email))
        {
            problems.Add(new FormProblem(field + ".email", $"'{organisation.Email}' is not an e-mail address"));
        }
    }

    private static void ValidateAttachments(List<FormProblem> problems, IList<Attachment> attachments, ReferralLimits limits)
    {
        if (attachments.Count > limits.MaxAttachments)
        {
            problems.Add(new FormProblem("attachments", $"{attachments.Count} attachments; at most {limits.MaxAttachments} are allowed"));
        }

        long total = 0;
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            total += a.Content.Length;
            if (string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > 200 || a.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                problems.Add(new FormProblem($"attachments[{i}].name", "a file name of 1 to 200 characters without '/' or '\\'"));
            }

            if (!MediaTypePattern().IsMatch(a.MediaType))
            {
                problems.Add(new FormProblem($"attachments[{i}].media_type", $"'{a.MediaType}' is not a media type such as application/pdf"));
            }

            if (a.Content.Length == 0)
            {
                problems.Add(new FormProblem($"attachments[{i}].content", "the file is empty"));
            }
            else if (a.Content.Length > limits.MaxAttachmentBytes)
            {
                problems.Add(new FormProblem($"attachments[{i}].content", $"{a.Content.Length:N0} bytes; at most {limits.MaxAttachmentBytes:N0} per attachment"));
            }
        }

        if (total > limits.MaxTotalAttachmentBytes)
        {
            problems.Add(new FormProblem("attachments", $"{total:N0} bytes in all; at most {limits.MaxTotalAttachmentBytes:N0}"));
        }
    }

    private static void Required<TEnum>(List<FormProblem> problems, string field, TEnum value, string choices)
        where TEnum : struct, Enum
    {
        if (Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0 || !Enum.IsDefined(value))
        {
            problems.Add(new FormProblem(field, $"required: one of {choices}"));
        }
    }

    private static void TextField(List<FormProblem> problems, string field, string value, int max, bool required, string? example = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems.Add(new FormProblem(field, "required" + (example is null ? string.Empty : ": " + example)));
            }
        }
        else if (value.Length > max)
        {
            problems.Add(new FormProblem(field, $"{value.Length} characters; at most {max}"));
        }
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            problems.Add(new FormProblem(field, "contains control characters"));
        }
    }

    /// <summary>Parses an ISO 8601 date YYYY-MM-DD.</summary>
    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool TryPartialDate(string text, out DateOnly date)
    {
        date = default;
        return text.Length switch
        {
            4 => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= 1 && (date = new DateOnly(y, 1, 1)) != default,
            7 => DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date),
            _ => TryDate(text, out date),
        };
    }

    private static FrozenSet<DataCategory> Set(params DataCategory[] categories) => categories.ToFrozenSet();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_./-]{2,63}$")]
    private static partial Regex PseudonymPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[a-z]+/[a-z0-9.+-]+$")]
    private static partial Regex MediaTypePattern();
}
