using System.Text.Json;
using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

/// <summary>Synthetic practices for the tests.</summary>
internal static class PracticeSamples
{
    public const string ReportSha256 = "3b1f0c9a2d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8";

    public static IReadOnlyList<CriterionAssessment> AllCriteria(CriterionRating rating) =>
        [.. EvidenceCatalogue.Criteria.Select(c => new CriterionAssessment(c.Id, rating, $"Synthetic justification for {c.Id}."))];

    public static IReadOnlyList<CriterionAssessment> Criteria(CriterionRating others, params (string Id, CriterionRating Rating)[] overrides) =>
        [.. EvidenceCatalogue.Criteria.Select(c => new CriterionAssessment(
            c.Id,
            overrides.FirstOrDefault(o => o.Id == c.Id) is { Id: not null } o ? o.Rating : others,
            $"Synthetic justification for {c.Id}."))];

    /// <summary>A complete, valid EVALUATED practice with every optional field filled.</summary>
    public static Practice Valid() => new()
    {
        Id = "NL-PR-2026-0001",
        Title = "SYNTHETIC: Specialised shelter places for men",
        Summary = "SYNTHETIC. A network of shelters reserves places for male victims of labour exploitation.\nPlaces are allocated within 24 hours.",
        Body = "## What was done\n\nShelters in three regions reserve **12 places** for men.\n\n- intake within 24 hours\n- legal aid on site",
        Language = "en",
        Translations =
        [
            new PracticeTranslation
            {
                Language = "nl",
                Kind = TranslationKind.Human,
                Title = "SYNTHETISCH: Gespecialiseerde opvangplekken voor mannen",
                Summary = "SYNTHETISCH. Een netwerk van opvanghuizen reserveert plekken voor mannelijke slachtoffers.",
                Body = "## Wat er gedaan is\n\nOpvanghuizen in drie regio's reserveren **12 plekken**.",
            },
            new PracticeTranslation
            {
                Language = "fr",
                Kind = TranslationKind.Machine,
                Title = "SYNTHÉTIQUE : Places d'hébergement spécialisées pour les hommes",
                Summary = "SYNTHÉTIQUE. Un réseau de foyers réserve des places aux hommes victimes d'exploitation par le travail.",
            },
        ],
        Themes = ["protection", "partnership"],
        Exploitation = ["LAB", "CRIM"],
        TargetGroups = ["men", "victims"],
        Evidence = new EvidenceAssessment
        {
            Grade = EvidenceGrade.Evaluated,
            Criteria = AllCriteria(CriterionRating.Met),
            Source = new EvidenceSource { Attachment = ReportSha256, Title = "External evaluation 2025 (synthetic)" },
        },
        Period = new PracticePeriod { From = new YearMonth(2021, 3), To = new YearMonth(2025, 12) },
        Organisation = "Shelter network (synthetic)",
        Contact = new PracticeContact("Coordinator, men's shelters", "shelters@network.example.org"),
        Links = [new PracticeLink("https://network.example.org/men", "Programme page"), new PracticeLink("http://archive.example.org/2021")],
        Tags = ["shelter", "men", "labour exploitation"],
        Attachments =
        [
            new PracticeAttachment("evaluation-2025.pdf", AttachmentCheck.Pdf, 183_204, ReportSha256),
            new PracticeAttachment("intake-form.docx", AttachmentCheck.Docx, 20_480, new string('a', 64)),
        ],
    };

    /// <summary>A JSON form for comparing practices by content (records compare lists by reference).</summary>
    public static string Json(Practice practice) => JsonSerializer.Serialize(practice);
}
