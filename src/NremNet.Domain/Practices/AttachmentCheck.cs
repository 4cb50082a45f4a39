using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace NremNet.Domain.Practices;

/// <summary>A kind of file a practice may carry.</summary>
/// <param name="MediaType">The media type.</param>
/// <param name="Extensions">The file name extensions that agree with it, lower case, without the dot; the first is the usual one.</param>
/// <param name="Label">A short label for a person.</param>
public sealed record AttachmentType(string MediaType, IReadOnlyList<string> Extensions, string Label);

/// <summary>Why an attachment was refused.</summary>
public enum AttachmentRefusal
{
    /// <summary>The name is empty, too long, or has path separators or characters file systems refuse.</summary>
    BadName = 1,

    /// <summary>The content is empty.</summary>
    Empty = 2,

    /// <summary>The content is larger than allowed.</summary>
    TooLarge = 3,

    /// <summary>The content is none of the accepted types.</summary>
    UnknownType = 4,

    /// <summary>The name's extension does not agree with the type of the content.</summary>
    ExtensionMismatch = 5,
}

/// <summary>What the inspection of an attachment found.</summary>
public sealed record AttachmentInspection
{
    /// <summary>The media type decided from the content, or null when it is none of the accepted types.</summary>
    public string? MediaType { get; init; }

    /// <summary>The SHA-256 of the content, lower-case hex; null when the content was too large to look at.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Why it was refused, or null when it is accepted.</summary>
    public AttachmentRefusal? Refusal { get; init; }

    /// <summary>What is wrong, for a person; empty when accepted.</summary>
    public string Problem { get; init; } = "";

    /// <summary>Whether the attachment is accepted.</summary>
    public bool Accepted => Refusal is null;
}

/// <summary>
/// Checks a file before it is attached to a practice: its type is decided from its content (magic numbers, and for
/// ZIP containers the entries that make a DOCX or an ODT), never from its name, and the name must agree.
/// </summary>
public static class AttachmentCheck
{
    /// <summary>PDF.</summary>
    public const string Pdf = "application/pdf";

    /// <summary>Word document (Office Open XML).</summary>
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>OpenDocument text.</summary>
    public const string Odt = "application/vnd.oasis.opendocument.text";

    /// <summary>PNG image.</summary>
    public const string Png = "image/png";

    /// <summary>JPEG image.</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>GIF image.</summary>
    public const string Gif = "image/gif";

    /// <summary>WebP image.</summary>
    public const string WebP = "image/webp";

    /// <summary>The accepted kinds of file.</summary>
    public static readonly IReadOnlyList<AttachmentType> Types =
    [
        new(Pdf, ["pdf"], "PDF document"),
        new(Docx, ["docx"], "Word document (DOCX)"),
        new(Odt, ["odt"], "OpenDocument text (ODT)"),
        new(Png, ["png"], "PNG image"),
        new(Jpeg, ["jpg", "jpeg"], "JPEG image"),
        new(Gif, ["gif"], "GIF image"),
        new(WebP, ["webp"], "WebP image"),
    ];

    private static readonly char[] ForbiddenNameCharacters = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>
    /// Inspects <paramref name="content"/> declared as <paramref name="declaredName"/>: accepted with its media type,
    /// size and SHA-256, or refused with the problem.
    /// </summary>
    public static AttachmentInspection Inspect(ReadOnlySpan<byte> content, string declaredName, long maxBytes)
    {
        var nameProblem = NameProblem(declaredName);
        if (nameProblem is not null)
        {
            return new AttachmentInspection { Size = content.Length, Refusal = AttachmentRefusal.BadName, Problem = nameProblem };
        }

        if (content.IsEmpty)
        {
            return new AttachmentInspection { Refusal = AttachmentRefusal.Empty, Problem = $"'{declaredName}' is empty" };
        }

        if (content.Length > maxBytes)
        {
            return new AttachmentInspection
            {
                Size = content.Length,
                Refusal = AttachmentRefusal.TooLarge,
                Problem = $"'{declaredName}' has {content.Length} bytes; at most {maxBytes} are allowed",
            };
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var (mediaType, unknownWhy) = Detect(content);
        if (mediaType is null)
        {
            return new AttachmentInspection
            {
                Size = content.Length,
                Sha256 = sha256,
                Refusal = AttachmentRefusal.UnknownType,
                Problem = $"'{declaredName}' is {unknownWhy}; accepted are {string.Join(", ", Types.Select(t => t.Label))}",
            };
        }

        var extensionProblem = ExtensionProblem(declaredName, mediaType);
        return new AttachmentInspection
        {
            MediaType = mediaType,
            Size = content.Length,
            Sha256 = sha256,
            Refusal = extensionProblem is null ? null : AttachmentRefusal.ExtensionMismatch,
            Problem = extensionProblem ?? "",
        };
    }

    /// <summary>The accepted type with media type <paramref name="mediaType"/>, or null.</summary>
    public static AttachmentType? Type(string? mediaType) =>
        Types.FirstOrDefault(t => string.Equals(t.MediaType, mediaType, StringComparison.Ordinal));

    /// <summary>What is wrong with a file name, or null when it may be used.</summary>
    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "a file name is required";
        }

        if (name.Length > PracticeLimits.MaxAttachmentNameLength)
        {
            return $"the file name has {name.Length} characters; at most {PracticeLimits.MaxAttachmentNameLength}";
        }

        if (name.IndexOfAny(ForbiddenNameCharacters) >= 0 || name.Any(char.IsControl))
        {
            return $"'{name}' is not a plain file name: no folders, control characters or any of / \\ : * ? \" < > |";
        }

        if (name.StartsWith('.') || name.EndsWith('.') || name != name.Trim())
        {
            return $"'{name}' may not start with a dot, end with a dot, or start or end with a space";
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/>'s extension does not fit <paramref name="mediaType"/>, or null when it does.</summary>
    internal static string? ExtensionProblem(string name, string mediaType)
    {
        var type = Type(mediaType);
        if (type is null)
        {
            return null;
        }

        var dot = name.LastIndexOf('.');
        var extension = dot < 0 ? "" : name[(dot + 1)..].ToLowerInvariant();
        if (type.Extensions.Contains(extension, StringComparer.Ordinal))
        {
            return null;
        }

        var expected = string.Join(" or ", type.Extensions.Select(e => "." + e));
        return extension.Length == 0
            ? $"'{name}' has no extension; its content is a {type.Label}, so it should end in {expected}"
            : $"'{name}' ends in .{extension} but its content is a {type.Label}; rename it to end in {expected}";
    }

    private static (string? MediaType, string WhyUnknown) Detect(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8))
        {
            return (Pdf, "");
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return (Png, "");
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return (Jpeg, "");
        }

        if (content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8))
        {
            return (Gif, "");
        }

        if (content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return (WebP, "");
        }

        if (content.StartsWith("PK\x03\x04"u8))
        {
            return DetectZip(content);
        }

        return (null, "none of the accepted types (its first bytes match no known format)");
    }

    private static (string? MediaType, string WhyUnknown) DetectZip(ReadOnlySpan<byte> content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content.ToArray(), writable: false), ZipArchiveMode.Read);
            var entries = archive.Entries;
            if (entries.Count > 0 && string.Equals(entries[0].FullName, "mimetype", StringComparison.Ordinal))
            {
                var declared = ReadShortEntry(entries[0]);
                return string.Equals(declared, Odt, StringComparison.Ordinal)
                    ? (Odt, "")
                    : (null, $"an OpenDocument file of another kind ({Bounded(declared)}), not a text document");
            }

            var hasContentTypes = entries.Any(e => string.Equals(e.FullName, "[Content_Types].xml", StringComparison.Ordinal));
            var hasWord = entries.Any(e => e.FullName.StartsWith("word/", StringComparison.Ordinal));
            if (hasContentTypes && hasWord)
            {
                return (Docx, "");
            }

            return (null, hasContentTypes ? "an Office file other than a Word document" : "a ZIP archive that is neither a DOCX nor an ODT document");
        }
        catch (InvalidDataException)
        {
            return (null, "a damaged ZIP archive");
        }
    }

    private static string ReadShortEntry(ZipArchiveEntry entry)
    {
        // The ODF mimetype entry holds a few dozen bytes; reading more would only let a crafted archive expand.
        Span<byte> buffer = stackalloc byte[128];
        using var stream = entry.Open();
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer[total..])) > 0)
        {
            total += read;
        }

        return Encoding.ASCII.GetString(buffer[..total]);
    }

    private static string Bounded(string text) =>
        new([.. text.Take(60).Select(c => char.IsControl(c) || c > '~' ? '?' : c)]);
}
