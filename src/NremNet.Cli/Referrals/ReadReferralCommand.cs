using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;

namespace NremNet.Cli.Referrals;

/// <summary>
/// <c>nremnet referral read ID</c>: the sealed part of a referral, decrypted by the node: personal data, needs, safety
/// risks, attachments and follow-up notes. The node records every read in its audit log.
/// </summary>
internal sealed class ReadReferralCommand : ReferralVerb
{
    private readonly Argument<string> _id = IdArgument();
    private readonly Option<string?> _saveAttachments = new("--save-attachments") { Description = "Write the attachments into this folder (created if missing; existing files are not replaced), readable by you only." };

    public ReadReferralCommand(CliContext context)
        : base(context, "read", "Read a referral's personal data, needs, safety risks, attachments and follow-up notes, decrypted by the node. Every read is recorded in the node's audit log.")
    {
        Arguments.Add(_id);
        Options.Add(_saveAttachments);
    }

    /// <summary>The personal data given, one row per field (the proto field names, as in form files).</summary>
    public static IEnumerable<IReadOnlyList<string>> PersonalData(PersonalData? data)
    {
        if (data is null)
        {
            yield break;
        }

        foreach (var field in Contracts.Referrals.V1.PersonalData.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(data) switch
            {
                string text => text,
                IEnumerable<string> items => string.Join(", ", items),
                _ => string.Empty,
            };
            if (value.Length > 0)
            {
                yield return [field.Name, value];
            }
        }
    }

    /// <summary>
    /// Writes the attachments into <paramref name="folder"/>, each under its own name (made safe; numbered when two
    /// share one), readable and writable by the owner only; refuses before writing any when a file is there already.
    /// </summary>
    public static IReadOnlyList<string> SaveAttachments(IReadOnlyList<Attachment> attachments, string folder)
    {
        var full = Path.GetFullPath(folder);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var paths = new List<string>();
        for (var i = 0; i < attachments.Count; i++)
        {
            var name = Path.GetFileName(attachments[i].Name.Replace('\\', '/'));
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                name = $"attachment-{i + 1}";
            }

            var unique = name;
            for (var n = 2; !names.Add(unique); n++)
            {
                unique = $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}";
            }

            paths.Add(Path.Combine(full, unique));
        }

        var existing = paths.Where(File.Exists).ToList();
        if (existing.Count > 0)
        {
            throw new CliException(ExitCodes.Conflict, $"Not saving the attachments: {string.Join(", ", existing)} exist{(existing.Count == 1 ? "s" : string.Empty)} already. Choose another --save-attachments folder or move them away.");
        }

        System.IO.Directory.CreateDirectory(full);
        for (var i = 0; i < attachments.Count; i++)
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(paths[i], options);
            attachments[i].Content.WriteTo(stream);
        }

        return paths;
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.IdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var content = response.Content ?? new ReferralContent();
        var saved = parse.GetValue(_saveAttachments) is { } folder ? SaveAttachments(content.Attachments, folder) : [];
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var profile = session.Profile;
        Output.Warning($"Personal data: this read is recorded in {profile.Node}'s audit log as {profile.Username}. Use it for the referral's purpose only.");
        var personal = PersonalData(content.PersonalData).ToList();
        if (personal.Count == 0)
        {
            Output.Line("No personal data: none was sent, or it has been purged.");
        }
        else
        {
            Output.Table($"Personal data of referral {id}", ["field", "value"], personal);
        }

        Output.Table("Safety risks", ["level", "description"], content.SafetyRisks.Select(r => (IReadOnlyList<string>)[ReferralText.Name(r.Level), r.Description]));
        Output.Table("Needs", ["#", "need"], content.Needs.Select((n, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), n]));
        if (content.Attachments.Count > 0)
        {
            Output.Table("Attachments", ["name", "media type", "bytes", "saved as"], content.Attachments.Select((a, i) => (IReadOnlyList<string>)
            [
                a.Name,
                a.MediaType,
                a.Content.Length.ToString("#,0", CultureInfo.InvariantCulture),
                saved.Count > i ? saved[i] : "—",
            ]));
            if (saved.Count == 0)
            {
                Output.Line("--save-attachments DIR writes them to files.");
            }
        }

        if (response.Notes.Count > 0)
        {
            Output.Table("Follow-up notes", ["when", "country", "author", "note"], response.Notes.Select(n => (IReadOnlyList<string>)[CliValues.Time(n.At), n.Country, n.Author, n.Text]));
        }

        return ExitCodes.Ok;
    }
}
