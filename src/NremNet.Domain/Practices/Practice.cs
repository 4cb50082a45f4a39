using System.Globalization;

namespace NremNet.Domain.Practices;

/// <summary>
/// A good practice a mechanism shares with the network: what was done, for whom, with what evidence. The owner node
/// signs each version; this record is its content. List members keep their order, so a written file reads back the
/// same.
/// </summary>
public sealed record Practice
{
    /// <summary>The fields only network members may see; a copy leaving the network drops them (<see cref="WithoutMembersOnly"/>).</summary>
    public static readonly IReadOnlyList<string> MembersOnlyFields = ["contact"];

    /// <summary>The document id; empty until the owner node assigns one on first publication.</summary>
    public string Id { get; init; } = "";

    /// <summary>The title, one line.</summary>
    public string Title { get; init; } = "";

    /// <summary>A short summary in plain text, shown in search results.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The full description in Markdown; rendered without raw HTML (<see cref="PracticeMarkdown"/>).</summary>
    public string Body { get; init; } = "";

    /// <summary>The ISO 639-1 code of the language the practice is written in, e.g. <c>nl</c>.</summary>
    public string Language { get; init; } = "";

    /// <summary>Translations; the original stays the reference and is shown beside each.</summary>
    public IReadOnlyList<PracticeTranslation> Translations { get; init; } = [];

    /// <summary>Thematic areas, codes of <see cref="PracticeCatalogue.Themes"/>; at least one.</summary>
    public IReadOnlyList<string> Themes { get; init; } = [];

    /// <summary>Forms of exploitation addressed, codes of <see cref="PracticeCatalogue.ExploitationForms"/>; none means not specific to a form.</summary>
    public IReadOnlyList<string> Exploitation { get; init; } = [];

    /// <summary>Target groups, codes of <see cref="PracticeCatalogue.TargetGroups"/>; none means not specific to a group.</summary>
    public IReadOnlyList<string> TargetGroups { get; init; } = [];

    /// <summary>The evidence grade, the self-assessment it rests on, and the source document.</summary>
    public EvidenceAssessment Evidence { get; init; } = new();

    /// <summary>When the practice ran.</summary>
    public PracticePeriod Period { get; init; } = new();

    /// <summary>The organisation that runs or ran the practice.</summary>
    public string Organisation { get; init; } = "";

    /// <summary>Whom to ask about it; network members only.</summary>
    public PracticeContact? Contact { get; init; }

    /// <summary>Links to further material, http or https only.</summary>
    public IReadOnlyList<PracticeLink> Links { get; init; } = [];

    /// <summary>Free keywords.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Attached files, content-addressed by SHA-256 (<see cref="AttachmentCheck"/>).</summary>
    public IReadOnlyList<PracticeAttachment> Attachments { get; init; } = [];

    /// <summary>A copy without the fields only network members may see (<see cref="MembersOnlyFields"/>).</summary>
    public Practice WithoutMembersOnly() => this with { Contact = null };
}

/// <summary>Who translated a text.</summary>
public enum TranslationKind
{
    /// <summary>Not given; never valid.</summary>
    Unspecified = 0,

    /// <summary>Translated or checked by a person.</summary>
    Human = 1,

    /// <summary>Translated by a machine and not checked.</summary>
    Machine = 2,
}

/// <summary>A translation of a practice's texts.</summary>
public sealed record PracticeTranslation
{
    /// <summary>The ISO 639-1 code of the translation's language; not the original's.</summary>
    public string Language { get; init; } = "";

    /// <summary>Who translated it.</summary>
    public TranslationKind Kind { get; init; }

    /// <summary>The translated title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The translated summary.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The translated body in Markdown; empty when only the title and summary are translated.</summary>
    public string Body { get; init; } = "";
}

/// <summary>How strong the evidence behind a practice is, weakest first.</summary>
public enum EvidenceGrade
{
    /// <summary>Not given; never valid.</summary>
    Unspecified = 0,

    /// <summary>New or untested, with a sound rationale.</summary>
    Emerging = 1,

    /// <summary>Positive results from monitoring or an internal review.</summary>
    Promising = 2,

    /// <summary>An evaluation showed it achieved its objectives.</summary>
    Evaluated = 3,
}

/// <summary>How far a practice meets one criterion, weakest first.</summary>
public enum CriterionRating
{
    /// <summary>Not given; never valid.</summary>
    Unspecified = 0,

    /// <summary>Not met.</summary>
    NotMet = 1,

    /// <summary>Partly met.</summary>
    PartlyMet = 2,

    /// <summary>Met.</summary>
    Met = 3,
}

/// <summary>The self-assessment against one criterion of <see cref="EvidenceCatalogue.Criteria"/>.</summary>
/// <param name="Criterion">The criterion id, e.g. <c>effectiveness</c>.</param>
/// <param name="Rating">How far it is met.</param>
/// <param name="Justification">Why, in a sentence or two.</param>
public sealed record CriterionAssessment(string Criterion, CriterionRating Rating, string Justification);

/// <summary>The document the evidence comes from: a link or one of the practice's attachments, never both.</summary>
public sealed record EvidenceSource
{
    /// <summary>The http or https address of the report, or null.</summary>
    public string? Url { get; init; }

    /// <summary>The SHA-256 (lower-case hex) of an attachment of the practice, or null.</summary>
    public string? Attachment { get; init; }

    /// <summary>What the document is, e.g. "External evaluation, 2024"; optional.</summary>
    public string Title { get; init; } = "";
}

/// <summary>The evidence grade, the self-assessment against every criterion, and the source document.</summary>
public sealed record EvidenceAssessment
{
    /// <summary>The grade claimed; it must satisfy its rule (<see cref="EvidenceCatalogue.Rules"/>).</summary>
    public EvidenceGrade Grade { get; init; }

    /// <summary>One assessment per criterion of <see cref="EvidenceCatalogue.Criteria"/>.</summary>
    public IReadOnlyList<CriterionAssessment> Criteria { get; init; } = [];

    /// <summary>The source document, required from <see cref="EvidenceGrade.Promising"/> up.</summary>
    public EvidenceSource? Source { get; init; }
}

/// <summary>A calendar month.</summary>
/// <param name="Year">The year.</param>
/// <param name="Month">The month, 1 to 12.</param>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    /// <summary>Reads <c>YYYY-MM</c>; false for anything else, including a month outside 1 to 12.</summary>
    public static bool TryParse(string? text, out YearMonth value)
    {
        value = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || month is < 1 or > 12)
        {
            return false;
        }

        value = new YearMonth(year, month);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(YearMonth other) => Year != other.Year ? Year.CompareTo(other.Year) : Month.CompareTo(other.Month);

    /// <summary><c>YYYY-MM</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}

/// <summary>When a practice ran.</summary>
public sealed record PracticePeriod
{
    /// <summary>The first month; required.</summary>
    public YearMonth? From { get; init; }

    /// <summary>The last month, or null while it runs.</summary>
    public YearMonth? To { get; init; }
}

/// <summary>Whom to ask about a practice. Network members only: never shown outside the network.</summary>
/// <param name="Name">A name or a function, e.g. "Coordinator, outreach team"; optional.</param>
/// <param name="Email">An e-mail address; required.</param>
public sealed record PracticeContact(string Name, string Email);

/// <summary>A link to further material.</summary>
/// <param name="Url">An absolute http or https address.</param>
/// <param name="Title">What it is; optional.</param>
public sealed record PracticeLink(string Url, string Title = "");

/// <summary>A file attached to a practice, stored and fetched by its SHA-256.</summary>
/// <param name="Name">The file name shown, with an extension that agrees with the content.</param>
/// <param name="MediaType">The media type decided from the content (<see cref="AttachmentCheck"/>).</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the content, lower-case hex.</param>
public sealed record PracticeAttachment(string Name, string MediaType, long Size, string Sha256);
