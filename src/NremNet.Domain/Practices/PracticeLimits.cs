using NremNet.Domain.Documents;

namespace NremNet.Domain.Practices;

/// <summary>How long and how many: the limits <see cref="PracticeValidation"/> and <see cref="PracticeFile"/> enforce.</summary>
public static class PracticeLimits
{
    /// <summary>Characters of an id.</summary>
    public const int MaxIdLength = ProblemList.MaxRecordIdLength;

    /// <summary>Characters of a title.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Characters of a summary.</summary>
    public const int MaxSummaryLength = 2_000;

    /// <summary>Characters of a body.</summary>
    public const int MaxBodyLength = 100_000;

    /// <summary>Translations of one practice.</summary>
    public const int MaxTranslations = 12;

    /// <summary>Characters of the organisation.</summary>
    public const int MaxOrganisationLength = 300;

    /// <summary>Characters of the contact's name.</summary>
    public const int MaxContactNameLength = 200;

    /// <summary>Characters of an e-mail address (RFC 5321).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Links of one practice.</summary>
    public const int MaxLinks = 20;

    /// <summary>Characters of a link's address.</summary>
    public const int MaxUrlLength = 2_048;

    /// <summary>Characters of a link's or a source document's title.</summary>
    public const int MaxLinkTitleLength = 300;

    /// <summary>Tags of one practice.</summary>
    public const int MaxTags = 20;

    /// <summary>Characters of a tag.</summary>
    public const int MaxTagLength = 50;

    /// <summary>Attachments of one practice.</summary>
    public const int MaxAttachments = 10;

    /// <summary>Characters of an attachment's name.</summary>
    public const int MaxAttachmentNameLength = 255;

    /// <summary>Bytes of one attachment unless the node configures another limit.</summary>
    public const long DefaultMaxAttachmentBytes = 20L * 1024 * 1024;

    /// <summary>Characters of a criterion's justification, at least.</summary>
    public const int MinJustificationLength = 10;

    /// <summary>Characters of a criterion's justification, at most.</summary>
    public const int MaxJustificationLength = 1_000;

    /// <summary>The earliest year a practice may have started.</summary>
    public const int FirstYear = 1990;

    /// <summary>The latest year a period may name.</summary>
    public const int LastYear = 2100;

    /// <summary>Characters of a practice file.</summary>
    public const int MaxFileLength = 2_000_000;
}
