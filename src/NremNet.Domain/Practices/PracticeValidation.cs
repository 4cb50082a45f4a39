using System.Text.RegularExpressions;
using NremNet.Domain.Documents;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Practices;

/// <summary>The rules of a practice: every field checked, every problem reported at once with its field path.</summary>
public static partial class PracticeValidation
{
    /// <summary>
    /// Every problem of <paramref name="practice"/>. An empty id passes: the owner node assigns one on first
    /// publication. Attachments may be at most <paramref name="maxAttachmentBytes"/> each (the node's setting).
    /// </summary>
    public static IReadOnlyList<DocumentProblem> Validate(Practice practice, long maxAttachmentBytes = PracticeLimits.DefaultMaxAttachmentBytes)
    {
        ArgumentNullException.ThrowIfNull(practice);
        var problems = new ProblemList();

        if (practice.Id.Length > 0)
        {
            problems.RecordId("id", practice.Id, "NL-PR-2026-0001 (leave it out for a new practice)");
        }

        problems.Text("title", practice.Title, PracticeLimits.MaxTitleLength, required: true, singleLine: true);
        problems.Text("summary", practice.Summary, PracticeLimits.MaxSummaryLength, required: true);
        problems.Text("body", practice.Body, PracticeLimits.MaxBodyLength, required: true);
        problems.LanguageCode("language", practice.Language, "the language the practice is written in");
        ValidateTranslations(problems, practice);
        Codes(problems, "themes", practice.Themes, PracticeCatalogue.Themes, required: true);
        Codes(problems, "exploitation", practice.Exploitation, PracticeCatalogue.ExploitationForms, required: false);
        Codes(problems, "target_groups", practice.TargetGroups, PracticeCatalogue.TargetGroups, required: false);
        ValidateAttachments(problems, practice.Attachments, maxAttachmentBytes);
        ValidateEvidence(problems, practice.Evidence, practice.Attachments);
        ValidatePeriod(problems, practice.Period);
        problems.Text("organisation", practice.Organisation, PracticeLimits.MaxOrganisationLength, required: true, singleLine: true);

        if (practice.Contact is { } contact)
        {
            problems.Text("contact.name", contact.Name, PracticeLimits.MaxContactNameLength, required: false, singleLine: true);
            Email(problems, "contact.email", contact.Email);
        }

        problems.Count("links", practice.Links.Count, PracticeLimits.MaxLinks);
        for (var i = 0; i < practice.Links.Count; i++)
        {
            Url(problems, $"links[{i}].url", practice.Links[i].Url);
            problems.Text($"links[{i}].title", practice.Links[i].Title, PracticeLimits.MaxLinkTitleLength, required: false, singleLine: true);
        }

        problems.Count("tags", practice.Tags.Count, PracticeLimits.MaxTags);
        var tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < practice.Tags.Count; i++)
        {
            var tag = practice.Tags[i];
            problems.Text($"tags[{i}]", tag, PracticeLimits.MaxTagLength, required: true, singleLine: true);
            if (!string.IsNullOrWhiteSpace(tag) && !tags.Add(tag.Trim()))
            {
                problems.Add($"tags[{i}]", $"'{ProblemList.Shown(tag)}' is listed twice");
            }
        }

        return problems.Items;
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http or https address with a host and no spaces.</summary>
    public static bool IsWebAddress(string? url) =>
        url is { Length: > 0 and <= PracticeLimits.MaxUrlLength }
        && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static void ValidateTranslations(ProblemList problems, Practice practice)
    {
        problems.Count("translations", practice.Translations.Count, PracticeLimits.MaxTranslations);
        var languages = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < practice.Translations.Count; i++)
        {
            var translation = practice.Translations[i];
            var path = $"translations[{i}]";
            if (problems.LanguageCode($"{path}.language", translation.Language, "the language of the translation"))
            {
                if (string.Equals(translation.Language, practice.Language, StringComparison.Ordinal))
                {
                    problems.Add($"{path}.language", $"'{translation.Language}' is the original's language; a translation is into another language");
                }
                else if (!languages.Add(translation.Language))
                {
                    problems.Add($"{path}.language", $"there is already a translation into '{translation.Language}'");
                }
            }

            if (!Enum.IsDefined(translation.Kind) || translation.Kind == TranslationKind.Unspecified)
            {
                problems.Add($"{path}.kind", $"required: one of {PracticeCatalogue.Allowed(PracticeCatalogue.TranslationKinds)}");
            }

            problems.Text($"{path}.title", translation.Title, PracticeLimits.MaxTitleLength, required: true, singleLine: true);
            problems.Text($"{path}.summary", translation.Summary, PracticeLimits.MaxSummaryLength, required: true);
            problems.Text($"{path}.body", translation.Body, PracticeLimits.MaxBodyLength, required: false);
        }
    }

    private static void ValidateEvidence(ProblemList problems, EvidenceAssessment evidence, IReadOnlyList<PracticeAttachment> attachments)
    {
        var gradeKnown = evidence.Grade != EvidenceGrade.Unspecified && Enum.IsDefined(evidence.Grade);
        if (!gradeKnown)
        {
            problems.Add("evidence.grade", $"required: one of {string.Join(", ", EvidenceCatalogue.Rules.Select(r => r.Code))}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var criteriaComplete = true;
        for (var i = 0; i < evidence.Criteria.Count; i++)
        {
            var assessment = evidence.Criteria[i];
            if (EvidenceCatalogue.Criterion(assessment.Criterion) is null)
            {
                problems.Add($"evidence.criteria[{i}]", $"'{ProblemList.Shown(assessment.Criterion)}' is not a criterion; one of {string.Join(", ", EvidenceCatalogue.Criteria.Select(c => c.Id))}");
                continue;
            }

            var path = $"evidence.criteria.{assessment.Criterion}";
            if (!seen.Add(assessment.Criterion))
            {
                problems.Add(path, "assessed twice; assess each criterion once");
                continue;
            }

            if (!Enum.IsDefined(assessment.Rating) || assessment.Rating == CriterionRating.Unspecified)
            {
                problems.Add($"{path}.rating", $"required: one of {PracticeCatalogue.Allowed(EvidenceCatalogue.Ratings)}");
                criteriaComplete = false;
            }

            if (problems.Text($"{path}.justification", assessment.Justification, PracticeLimits.MaxJustificationLength, required: true)
                && assessment.Justification.Trim().Length < PracticeLimits.MinJustificationLength)
            {
                problems.Add($"{path}.justification", $"say why in at least {PracticeLimits.MinJustificationLength} characters");
            }
        }

        foreach (var criterion in EvidenceCatalogue.Criteria.Where(c => !seen.Contains(c.Id)))
        {
            problems.Add($"evidence.criteria.{criterion.Id}", $"required: rate '{criterion.Label}' ({PracticeCatalogue.Allowed(EvidenceCatalogue.Ratings)}) with a justification. {criterion.Question}");
            criteriaComplete = false;
        }

        if (evidence.Source is { } source)
        {
            ValidateSource(problems, source, attachments);
        }

        // A grade is only judged against a complete assessment; the missing criteria are reported above.
        if (gradeKnown && criteriaComplete)
        {
            var shortfalls = EvidenceCatalogue.Shortfalls(evidence, evidence.Grade);
            if (shortfalls.Count > 0)
            {
                var supported = EvidenceCatalogue.SupportedGrade(evidence);
                var advice = supported == EvidenceGrade.Unspecified
                    ? "the assessment supports no grade"
                    : $"the assessment supports {EvidenceCatalogue.Code(supported)}";
                problems.Add("evidence.grade", $"{string.Join("; ", shortfalls)} ({advice})");
            }
        }
    }

    private static void ValidateSource(ProblemList problems, EvidenceSource source, IReadOnlyList<PracticeAttachment> attachments)
    {
        var hasUrl = !string.IsNullOrEmpty(source.Url);
        var hasAttachment = !string.IsNullOrEmpty(source.Attachment);
        if (hasUrl == hasAttachment)
        {
            problems.Add("evidence.source", "give either url (the report's http or https address) or attachment (the SHA-256 of one of the attachments), not both or neither");
        }

        if (hasUrl)
        {
            Url(problems, "evidence.source.url", source.Url);
        }

        if (hasAttachment && !attachments.Any(a => string.Equals(a.Sha256, source.Attachment, StringComparison.Ordinal)))
        {
            problems.Add("evidence.source.attachment", $"'{ProblemList.Shown(source.Attachment!)}' is the SHA-256 of none of the attachments; attach the report and give its sha256");
        }

        problems.Text("evidence.source.title", source.Title, PracticeLimits.MaxLinkTitleLength, required: false, singleLine: true);
    }

    private static void ValidatePeriod(ProblemList problems, PracticePeriod period)
    {
        if (period.From is not { } from)
        {
            problems.Add("period.from", "required: the month the practice started, YYYY-MM");
        }
        else
        {
            Month(problems, "period.from", from);
        }

        if (period.To is { } to)
        {
            Month(problems, "period.to", to);
            if (period.From is { } start && to.CompareTo(start) < 0)
            {
                problems.Add("period.to", $"{to} is before the start {start}");
            }
        }
    }

    private static void Month(ProblemList problems, string field, YearMonth month)
    {
        if (month.Year is < PracticeLimits.FirstYear or > PracticeLimits.LastYear || month.Month is < 1 or > 12)
        {
            problems.Add(field, $"{month} is not a month from {PracticeLimits.FirstYear}-01 to {PracticeLimits.LastYear}-12");
        }
    }

    private static void ValidateAttachments(ProblemList problems, IReadOnlyList<PracticeAttachment> attachments, long maxBytes)
    {
        problems.Count("attachments", attachments.Count, PracticeLimits.MaxAttachments);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var path = $"attachments[{i}]";
            var nameProblem = AttachmentCheck.NameProblem(attachment.Name);
            if (nameProblem is not null)
            {
                problems.Add($"{path}.name", nameProblem);
            }
            else if (!names.Add(attachment.Name))
            {
                problems.Add($"{path}.name", $"another attachment is already named '{attachment.Name}'");
            }

            if (AttachmentCheck.Type(attachment.MediaType) is null)
            {
                problems.Add($"{path}.media_type", $"'{ProblemList.Shown(attachment.MediaType)}' is not accepted; one of {string.Join(", ", AttachmentCheck.Types.Select(t => t.MediaType))}");
            }
            else if (nameProblem is null && AttachmentCheck.ExtensionProblem(attachment.Name, attachment.MediaType) is { } extensionProblem)
            {
                problems.Add($"{path}.name", extensionProblem);
            }

            if (attachment.Size <= 0 || attachment.Size > maxBytes)
            {
                problems.Add($"{path}.size", $"{attachment.Size} bytes; an attachment has 1 to {maxBytes} bytes");
            }

            if (!Sha256Pattern().IsMatch(attachment.Sha256))
            {
                problems.Add($"{path}.sha256", $"'{ProblemList.Shown(attachment.Sha256)}' is not a SHA-256: 64 lower-case hexadecimal digits");
            }
            else if (!hashes.Add(attachment.Sha256))
            {
                problems.Add($"{path}.sha256", "the same file is attached twice");
            }
        }
    }

    private static void Codes(ProblemList problems, string field, IReadOnlyList<string> codes, IReadOnlyList<CatalogueCode> allowed, bool required)
    {
        if (required && codes.Count == 0)
        {
            problems.Add(field, $"required: at least one of {PracticeCatalogue.Allowed(allowed)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < codes.Count; i++)
        {
            if (!allowed.Any(c => string.Equals(c.Id, codes[i], StringComparison.Ordinal)))
            {
                problems.Add($"{field}[{i}]", $"'{ProblemList.Shown(codes[i])}' is not a code of {field}; one of {PracticeCatalogue.Allowed(allowed)}");
            }
            else if (!seen.Add(codes[i]))
            {
                problems.Add($"{field}[{i}]", $"'{codes[i]}' is listed twice");
            }
        }
    }

    private static void Url(ProblemList problems, string field, string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            problems.Add(field, "required: an http or https address");
        }
        else if (url.Length > PracticeLimits.MaxUrlLength)
        {
            problems.Add(field, $"{url.Length} characters; at most {PracticeLimits.MaxUrlLength}");
        }
        else if (!IsWebAddress(url))
        {
            problems.Add(field, $"'{ProblemList.Shown(url)}' is not an absolute http or https address without spaces, e.g. https://example.org/report.pdf");
        }
    }

    private static void Email(ProblemList problems, string field, string email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            problems.Add(field, "required: an e-mail address, e.g. a team's shared mailbox");
        }
        else if (email.Length > PracticeLimits.MaxEmailLength || !EmailPattern().IsMatch(email))
        {
            problems.Add(field, $"'{ProblemList.Shown(email)}' is not an e-mail address");
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
