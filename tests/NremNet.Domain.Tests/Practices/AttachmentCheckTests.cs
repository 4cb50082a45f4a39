using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class AttachmentCheckTests
{
    private const long Max = 1024 * 1024;

    private static byte[] Bytes(params byte[][] parts) => [.. parts.SelectMany(p => p), .. new byte[64]];

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }

    private static byte[] Docx() => Zip(("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"), ("word/document.xml", "<w:document/>"));

    private static byte[] Odt(string mimetype = AttachmentCheck.Odt) => Zip(("mimetype", mimetype), ("META-INF/manifest.xml", "<manifest/>"), ("content.xml", "<office:document-content/>"));

    public static TheoryData<string, byte[], string> Accepted() => new()
    {
        { "report.pdf", Bytes("%PDF-1.7\n"u8.ToArray()), AttachmentCheck.Pdf },
        { "chart.png", Bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), AttachmentCheck.Png },
        { "photo.jpg", Bytes([0xFF, 0xD8, 0xFF, 0xE0]), AttachmentCheck.Jpeg },
        { "photo.JPEG", Bytes([0xFF, 0xD8, 0xFF, 0xE1]), AttachmentCheck.Jpeg },
        { "anim.gif", Bytes("GIF89a"u8.ToArray()), AttachmentCheck.Gif },
        { "old.gif", Bytes("GIF87a"u8.ToArray()), AttachmentCheck.Gif },
        { "image.webp", Bytes("RIFF"u8.ToArray(), [0x24, 0, 0, 0], "WEBPVP8 "u8.ToArray()), AttachmentCheck.WebP },
        { "protocol.docx", Docx(), AttachmentCheck.Docx },
        { "protocol.odt", Odt(), AttachmentCheck.Odt },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Inspect_AcceptedType_TypeFromContentAndHash(string name, byte[] content, string mediaType)
    {
        var inspection = AttachmentCheck.Inspect(content, name, Max);

        Assert.True(inspection.Accepted, inspection.Problem);
        Assert.Equal(mediaType, inspection.MediaType);
        Assert.Equal(content.Length, inspection.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), inspection.Sha256);
        Assert.Equal("", inspection.Problem);
    }

    public static TheoryData<string, byte[], string> Unknown() => new()
    {
        { "page.html", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "none of the accepted types" },
        { "drawing.svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "none of the accepted types" },
        { "program.exe", Bytes("MZ"u8.ToArray()), "none of the accepted types" },
        { "archive.zip", Zip(("readme.txt", "hello")), "a ZIP archive that is neither a DOCX nor an ODT document" },
        { "sheet.xlsx", Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")), "an Office file other than a Word document" },
        { "sheet.ods", Odt("application/vnd.oasis.opendocument.spreadsheet"), "an OpenDocument file of another kind (application/vnd.oasis.opendocument.spreadsheet)" },
        { "broken.docx", Bytes("PK\x03\x04garbage"u8.ToArray()), "a damaged ZIP archive" },
        { "late.pdf", Bytes(" %PDF-1.7"u8.ToArray()), "none of the accepted types" },
        { "riff.webp", Bytes("RIFF"u8.ToArray(), [0, 0, 0, 0], "WAVE"u8.ToArray()), "none of the accepted types" },
    };

    [Theory]
    [MemberData(nameof(Unknown))]
    public void Inspect_UnknownContent_Refused(string name, byte[] content, string says)
    {
        var inspection = AttachmentCheck.Inspect(content, name, Max);

        Assert.False(inspection.Accepted);
        Assert.Equal(AttachmentRefusal.UnknownType, inspection.Refusal);
        Assert.Null(inspection.MediaType);
        Assert.Contains(says, inspection.Problem, StringComparison.Ordinal);
        Assert.Contains("accepted are PDF document, Word document (DOCX)", inspection.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report.png", "'report.png' ends in .png but its content is a PDF document; rename it to end in .pdf")]
    [InlineData("report", "'report' has no extension; its content is a PDF document, so it should end in .pdf")]
    [InlineData("report.pdf.exe", "ends in .exe")]
    public void Inspect_ExtensionDisagreesWithContent_Refused(string name, string says)
    {
        var inspection = AttachmentCheck.Inspect(Bytes("%PDF-1.4"u8.ToArray()), name, Max);

        Assert.Equal(AttachmentRefusal.ExtensionMismatch, inspection.Refusal);
        Assert.Equal(AttachmentCheck.Pdf, inspection.MediaType);
        Assert.Contains(says, inspection.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DocxNamedOdt_Refused()
    {
        var inspection = AttachmentCheck.Inspect(Docx(), "protocol.odt", Max);

        Assert.Equal(AttachmentRefusal.ExtensionMismatch, inspection.Refusal);
        Assert.Contains("rename it to end in .docx", inspection.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Empty_Refused()
    {
        var inspection = AttachmentCheck.Inspect([], "report.pdf", Max);

        Assert.Equal(AttachmentRefusal.Empty, inspection.Refusal);
        Assert.Equal("'report.pdf' is empty", inspection.Problem);
    }

    [Fact]
    public void Inspect_TooLarge_RefusedWithoutHashing()
    {
        var content = Bytes("%PDF-1.7"u8.ToArray(), new byte[2000]);

        var inspection = AttachmentCheck.Inspect(content, "report.pdf", 1000);

        Assert.Equal(AttachmentRefusal.TooLarge, inspection.Refusal);
        Assert.Null(inspection.Sha256);
        Assert.Equal($"'report.pdf' has {content.Length} bytes; at most 1000 are allowed", inspection.Problem);
    }

    [Fact]
    public void Inspect_ExactlyTheLimit_Accepted()
    {
        var content = Bytes("%PDF-1.7"u8.ToArray());

        Assert.True(AttachmentCheck.Inspect(content, "report.pdf", content.Length).Accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../report.pdf")]
    [InlineData("folder/report.pdf")]
    [InlineData("c:\\report.pdf")]
    [InlineData("report\u0000.pdf")]
    [InlineData(".hidden.pdf")]
    [InlineData("report.pdf.")]
    [InlineData(" report.pdf")]
    public void Inspect_BadName_Refused(string name)
    {
        var inspection = AttachmentCheck.Inspect(Bytes("%PDF-1.7"u8.ToArray()), name, Max);

        Assert.Equal(AttachmentRefusal.BadName, inspection.Refusal);
        Assert.NotEqual("", inspection.Problem);
    }

    [Fact]
    public void Inspect_LongName_Refused()
    {
        var inspection = AttachmentCheck.Inspect(Bytes("%PDF-1.7"u8.ToArray()), new string('a', 300) + ".pdf", Max);

        Assert.Equal(AttachmentRefusal.BadName, inspection.Refusal);
        Assert.Contains($"at most {PracticeLimits.MaxAttachmentNameLength}", inspection.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_OdtWithHugeMimetype_ReadsOnlyItsStart()
    {
        var content = Odt(AttachmentCheck.Odt + new string(' ', 1_000_000));

        var inspection = AttachmentCheck.Inspect(content, "protocol.odt", 10 * Max);

        Assert.Equal(AttachmentRefusal.UnknownType, inspection.Refusal);
        Assert.Contains("an OpenDocument file of another kind", inspection.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_EveryAcceptedType_HasAnExtension()
    {
        Assert.All(AttachmentCheck.Types, t => Assert.NotEmpty(t.Extensions));
        Assert.Equal(AttachmentCheck.Types.Count, AttachmentCheck.Types.Select(t => t.MediaType).Distinct().Count());
        Assert.Null(AttachmentCheck.Type("image/svg+xml"));
    }
}
