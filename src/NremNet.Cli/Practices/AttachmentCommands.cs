using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Practices;

/// <summary>
/// <c>nremnet practice attach FILE</c>: stores a file on the node (type checked by its content, size limited by the
/// node) and prints the lines that name it in a practice file, by its SHA-256.
/// </summary>
internal sealed class AttachPracticeFileCommand : DocumentVerb
{
    /// <summary>The size of each chunk sent.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly Argument<string> _file = new("file") { Description = $"The file: {string.Join(", ", AttachmentCheck.Types.Select(t => t.MediaType))}." };

    public AttachPracticeFileCommand(CliContext context)
        : base(context, "attach", "Store a file to attach to a practice (an evaluation report, a leaflet) on the node (rapporteur), and print the lines to paste under 'attachments:' in the practice file. The node checks its type by its content and its size against its limit.", DocumentProfile.Writer)
    {
        Arguments.Add(_file);
    }

    /// <summary>The lines that name the attachment in a practice file, under <c>attachments:</c>.</summary>
    public static IReadOnlyList<string> PracticeFileLines(string name, UploadAttachmentResponse stored) =>
    [
        $"- name: {YamlText.Scalar(name)}",
        $"  media_type: {stored.MediaType}",
        $"  size: {stored.Size.ToString(CultureInfo.InvariantCulture)}",
        $"  sha256: {stored.Sha256}",
    ];

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(parse.GetValue(_file)!);
        if (!System.IO.File.Exists(path))
        {
            throw new CliException(ExitCodes.NotFound, $"There is no file {path}.");
        }

        // The node decides, but a file it would refuse (no accepted type, a name that does not fit it) is named here at once.
        var name = Path.GetFileName(path);
        var content = await System.IO.File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var inspection = AttachmentCheck.Inspect(content, name, long.MaxValue);
        if (inspection.Refusal is not null)
        {
            throw new CliException(ExitCodes.Usage, $"{path} cannot be attached: {inspection.Problem}.");
        }

        using var session = Open(parse);
        using var call = session.Practices.UploadAttachment(NodeConnection.Deadline(cancellationToken, seconds: 300));
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            var chunk = ByteString.CopyFrom(content, offset, Math.Min(ChunkSize, content.Length - offset));
            await call.RequestStream.WriteAsync(new UploadAttachmentRequest { Name = offset == 0 ? name : string.Empty, Chunk = chunk }, cancellationToken).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var stored = await call.ResponseAsync.ConfigureAwait(false);
        if (WroteJson(stored))
        {
            return ExitCodes.Ok;
        }

        Output.Success($"Stored {name} on {session.Profile.Node}: {stored.MediaType}, {stored.Size.ToString("#,0", CultureInfo.InvariantCulture)} bytes, SHA-256 {stored.Sha256}.");
        Output.Line("Paste these lines under 'attachments:' in the practice file:");
        foreach (var line in PracticeFileLines(name, stored))
        {
            Output.Line(line);
        }

        Output.Line($"To give it as the evidence source, write under 'evidence:' the lines 'source:' and '  attachment: {stored.Sha256}'.");
        return ExitCodes.Ok;
    }
}

/// <summary><c>nremnet practice download SHA256 --out FILE</c>: saves an attachment this node holds.</summary>
internal sealed class DownloadAttachmentCommand : DocumentVerb
{
    private readonly Argument<string> _sha256 = new("sha256") { Description = "The attachment's SHA-256, as 'practice show' lists it." };
    private readonly Option<string> _out = new("--out") { Description = "The file to write (not replaced when it exists).", Required = true };

    public DownloadAttachmentCommand(CliContext context)
        : base(context, "download", "Save an attachment of a practice, by its SHA-256 as 'practice show' lists it, from the copy this node holds.", role: null)
    {
        Arguments.Add(_sha256);
        Options.Add(_out);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sha256 = parse.GetValue(_sha256)!.Trim().ToLowerInvariant();
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new CliException(ExitCodes.Usage, $"'{parse.GetValue(_sha256)}' is not a SHA-256: give the 64 hexadecimal digits 'practice show' lists for the attachment.");
        }

        var path = Path.GetFullPath(parse.GetValue(_out)!);
        if (System.IO.File.Exists(path))
        {
            throw new CliException(ExitCodes.Conflict, $"{path} exists already; choose another --out file or move it away.");
        }

        using var session = Open(parse);
        using var call = session.Practices.DownloadAttachment(new DownloadAttachmentRequest { Sha256 = sha256 }, NodeConnection.Deadline(cancellationToken, seconds: 300));
        long size = 0;
        var partial = path + ".part";
        try
        {
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var chunk = call.ResponseStream.Current.Chunk;
                    chunk.WriteTo(stream);
                    size += chunk.Length;
                }
            }

            System.IO.File.Move(partial, path);
        }
        finally
        {
            System.IO.File.Delete(partial);
        }

        if (Output.Json)
        {
            Output.WriteJson(new { sha256, file = path, size });
            return ExitCodes.Ok;
        }

        Output.Success($"Saved attachment {sha256} ({size.ToString("#,0", CultureInfo.InvariantCulture)} bytes) to {path}.");
        return ExitCodes.Ok;
    }
}
