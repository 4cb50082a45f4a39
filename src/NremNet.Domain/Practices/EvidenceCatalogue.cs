using NremNet.Domain.Statistics;

namespace NremNet.Domain.Practices;

/// <summary>A criterion a practice assesses itself against.</summary>
/// <param name="Id">The id used in files, e.g. <c>evidence_base</c>.</param>
/// <param name="Label">A short label.</param>
/// <param name="Question">The question the assessment answers.</param>
/// <param name="Met">What "met" means.</param>
/// <param name="PartlyMet">What "partly met" means.</param>
/// <param name="NotMet">What "not met" means.</param>
public sealed record EvidenceCriterion(string Id, string Label, string Question, string Met, string PartlyMet, string NotMet);

/// <summary>The least a criterion must be rated for a grade.</summary>
/// <param name="Criterion">The criterion id.</param>
/// <param name="Minimum">The lowest rating that satisfies it.</param>
public sealed record CriterionRequirement(string Criterion, CriterionRating Minimum);

/// <summary>What a self-assessment must show to claim a grade.</summary>
/// <param name="Grade">The grade.</param>
/// <param name="Code">Its code in files, e.g. <c>PROMISING</c>.</param>
/// <param name="Label">A short label.</param>
/// <param name="Definition">What the grade tells a reader.</param>
/// <param name="Requirements">The criteria that must reach a rating.</param>
/// <param name="MinimumMet">How many criteria, of all, must be rated met.</param>
/// <param name="SourceRequired">Whether a source document (a link or an attachment) is required.</param>
/// <param name="Source">What the source document should be.</param>
public sealed record GradeRule(
    EvidenceGrade Grade,
    string Code,
    string Label,
    string Definition,
    IReadOnlyList<CriterionRequirement> Requirements,
    int MinimumMet,
    bool SourceRequired,
    string Source);

/// <summary>
/// The published criteria a practice is assessed against and the rules that turn an assessment into a grade, after
/// the European Commission's Best Practice Portal criteria. Every grade needs all criteria assessed, each with a
/// justification; each higher grade asks more of effectiveness and the evidence base, and a source document.
/// </summary>
public static class EvidenceCatalogue
{
    /// <summary>The catalogue version.</summary>
    public const string Version = "2026.1";

    /// <summary>The criteria, in the order they are shown.</summary>
    public static readonly IReadOnlyList<EvidenceCriterion> Criteria =
    [
        new("relevance", "Relevance",
            "Does the practice address a documented need in the fight against trafficking, in line with national and international policy?",
            "The need is documented (data, research, a rapporteur's or GRETA's findings) and the objectives follow from it.",
            "The need is plausible but only partly documented, or the objectives only partly follow from it.",
            "No need is documented, or the practice does not address the need it names."),
        new("evidence_base", "Evidence and theory base",
            "Is the practice built on evidence or a stated theory of change, and is its own implementation documented?",
            "It rests on research or earlier evaluations and states how its activities lead to its objectives; implementation is documented.",
            "It rests on professional experience or a partly stated rationale, or implementation is only partly documented.",
            "No rationale or documentation beyond the description."),
        new("ethics", "Ethical aspects",
            "Does the practice do no harm and respect the rights, safety, consent and data of the persons it reaches?",
            "Risks to the persons reached were assessed and addressed; consent, confidentiality and data protection are ensured.",
            "Most risks are addressed, but a known gap remains (e.g. consent or data protection not fully ensured).",
            "Risks to the persons reached were not assessed, or known harms were not addressed."),
        new("effectiveness", "Effectiveness",
            "Did the practice achieve its objectives, as shown by measured results?",
            "Measured results show the objectives were achieved, in an evaluation or equivalent study.",
            "Monitoring data or early results point to progress towards the objectives.",
            "No results were measured yet, or results do not show progress."),
        new("equity", "Equity",
            "Does the practice reach the persons most at risk, without leaving groups out?",
            "It was designed and checked to reach the groups most at risk, including hard-to-reach ones.",
            "It considers equity but some groups at risk are not reached or not checked.",
            "Equity was not considered."),
        new("transferability", "Transferability",
            "Could another country or organisation adopt the practice?",
            "Conditions, costs and steps are described well enough to adopt it; it was adopted elsewhere or adaptation is described.",
            "Adoption seems possible but conditions or costs are only partly described.",
            "It depends on conditions found only where it runs, or nothing on transfer is described."),
        new("sustainability", "Sustainability",
            "Will the practice or its results last beyond its initial funding?",
            "It has structural funding or is embedded in law, policy or an organisation's regular work.",
            "Continuation is planned but funding or embedding is not yet secured.",
            "It ends with its project funding and nothing continues."),
        new("participation", "Participation",
            "Were survivors, the target groups and partners involved in designing, running or assessing the practice?",
            "Survivors or the target groups and partners took part in design and assessment, safely and with their consent.",
            "They were consulted at one stage only.",
            "They were not involved."),
    ];

    /// <summary>The ratings with their codes in files.</summary>
    public static readonly IReadOnlyList<CatalogueCode> Ratings =
    [
        new("met", "Met", "The practice meets the criterion as described under 'met'."),
        new("partly", "Partly met", "The practice meets the criterion in part."),
        new("not_met", "Not met", "The practice does not meet the criterion, or it was not assessed."),
    ];

    /// <summary>The grade rules, weakest grade first.</summary>
    public static readonly IReadOnlyList<GradeRule> Rules =
    [
        new(EvidenceGrade.Emerging, "EMERGING", "Emerging",
            "A new or untested practice with a documented need and a do-no-harm approach; its effect is not yet known.",
            [new("relevance", CriterionRating.PartlyMet), new("ethics", CriterionRating.Met)],
            MinimumMet: 0,
            SourceRequired: false,
            "Optional: a project description or plan."),
        new(EvidenceGrade.Promising, "PROMISING", "Promising",
            "Monitoring data or an internal review show positive results, but no evaluation has shown that it achieves its objectives.",
            [
                new("relevance", CriterionRating.Met), new("ethics", CriterionRating.Met),
                new("evidence_base", CriterionRating.PartlyMet), new("effectiveness", CriterionRating.PartlyMet),
            ],
            MinimumMet: 4,
            SourceRequired: true,
            "Required: a monitoring report, internal review or documented results."),
        new(EvidenceGrade.Evaluated, "EVALUATED", "Evaluated",
            "An evaluation (external, or internal with a documented method) showed that the practice achieves its objectives.",
            [
                new("relevance", CriterionRating.Met), new("ethics", CriterionRating.Met),
                new("evidence_base", CriterionRating.Met), new("effectiveness", CriterionRating.Met),
                new("transferability", CriterionRating.PartlyMet), new("sustainability", CriterionRating.PartlyMet),
            ],
            MinimumMet: 6,
            SourceRequired: true,
            "Required: the evaluation report."),
    ];

    /// <summary>The criterion with id <paramref name="id"/>, or null.</summary>
    public static EvidenceCriterion? Criterion(string? id) =>
        Criteria.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    /// <summary>The rule of <paramref name="grade"/>, or null for an undefined grade.</summary>
    public static GradeRule? Rule(EvidenceGrade grade) => Rules.FirstOrDefault(r => r.Grade == grade);

    /// <summary>The code of <paramref name="grade"/>, e.g. <c>EVALUATED</c>; empty for an undefined grade.</summary>
    public static string Code(EvidenceGrade grade) => Rule(grade)?.Code ?? "";

    /// <summary>The code of <paramref name="rating"/>, e.g. <c>partly</c>; empty for an undefined rating.</summary>
    public static string Code(CriterionRating rating) => rating switch
    {
        CriterionRating.Met => "met",
        CriterionRating.PartlyMet => "partly",
        CriterionRating.NotMet => "not_met",
        _ => "",
    };

    /// <summary>Reads a grade code, in any case.</summary>
    public static bool TryParseGrade(string? code, out EvidenceGrade grade)
    {
        var rule = Rules.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase));
        grade = rule?.Grade ?? EvidenceGrade.Unspecified;
        return rule is not null;
    }

    /// <summary>Reads a rating code, in any case.</summary>
    public static bool TryParseRating(string? code, out CriterionRating rating)
    {
        rating = code?.ToLowerInvariant() switch
        {
            "met" => CriterionRating.Met,
            "partly" => CriterionRating.PartlyMet,
            "not_met" => CriterionRating.NotMet,
            _ => CriterionRating.Unspecified,
        };
        return rating != CriterionRating.Unspecified;
    }

    /// <summary>
    /// Why <paramref name="assessment"/> does not support <paramref name="grade"/>, one sentence per unmet
    /// requirement; empty when it does. Criteria that were not assessed count as not met.
    /// </summary>
    public static IReadOnlyList<string> Shortfalls(EvidenceAssessment assessment, EvidenceGrade grade)
    {
        var rule = Rule(grade);
        if (rule is null)
        {
            return ["no such grade"];
        }

        var shortfalls = new List<string>();
        foreach (var requirement in rule.Requirements)
        {
            var rating = RatingOf(assessment, requirement.Criterion);
            if (rating < requirement.Minimum)
            {
                shortfalls.Add($"{rule.Code} needs {requirement.Criterion} {(requirement.Minimum == CriterionRating.Met ? "met" : "at least partly met")}, but it is {RatingText(rating)}");
            }
        }

        var met = Criteria.Count(c => RatingOf(assessment, c.Id) == CriterionRating.Met);
        if (met < rule.MinimumMet)
        {
            shortfalls.Add($"{rule.Code} needs at least {rule.MinimumMet} of the {Criteria.Count} criteria met, not {met}");
        }

        if (rule.SourceRequired && assessment.Source is null)
        {
            shortfalls.Add($"{rule.Code} needs a source document. {rule.Source}");
        }

        return shortfalls;
    }

    /// <summary>The highest grade <paramref name="assessment"/> supports, or <see cref="EvidenceGrade.Unspecified"/> when none.</summary>
    public static EvidenceGrade SupportedGrade(EvidenceAssessment assessment) =>
        Rules.LastOrDefault(r => Shortfalls(assessment, r.Grade).Count == 0)?.Grade ?? EvidenceGrade.Unspecified;

    private static CriterionRating RatingOf(EvidenceAssessment assessment, string criterion)
    {
        var found = assessment.Criteria.FirstOrDefault(c => string.Equals(c.Criterion, criterion, StringComparison.Ordinal));
        return found is null || !Enum.IsDefined(found.Rating) ? CriterionRating.Unspecified : found.Rating;
    }

    private static string RatingText(CriterionRating rating) => rating switch
    {
        CriterionRating.Unspecified => "not assessed",
        CriterionRating.NotMet => "not met",
        CriterionRating.PartlyMet => "partly met",
        _ => "met",
    };
}
