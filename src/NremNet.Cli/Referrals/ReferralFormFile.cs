using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Cli.Referrals;

/// <summary>A form file read: the form as far as it could be read, and every problem met while reading it.</summary>
/// <param name="Form">The form; fields with problems are left unset.</param>
/// <param name="Problems">What could not be read: syntax, unknown keys, wrong types, unknown values, missing attachment files.</param>
/// <param name="Covered">
/// Fields whose problem is already reported by a reading problem (e.g. <c>purpose</c> for an unknown purpose, or
/// <c>attachments[0]</c> for a missing file): the form rules' own complaint about the same field would repeat it.
/// </param>
internal sealed record ReferralFormReading(ReferralForm Form, IReadOnlyList<FormProblem> Problems, IReadOnlyList<string> Covered)
{
    /// <summary>
    /// Every problem of the form at once: the reading problems, then the form rules' (<see cref="ReferralForms.Validate"/>)
    /// for fields the reading problems do not cover. <paramref name="senderCountry"/> is the country of the node the
    /// form is for; when null (not known here), the checks that need it are left to the node.
    /// </summary>
    public IReadOnlyList<FormProblem> Check(string? senderCountry, DateOnly today, ReferralLimits? limits = null)
    {
        if (Covered.Contains(ReferralFormFile.WholeForm))
        {
            return Problems;
        }

        var rules = ReferralForms.Validate(Form, senderCountry ?? string.Empty, today, limits)
            .Where(p => senderCountry is not null || p.Field != "sending_organisation.country")
            .Where(p => !Covered.Any(c => p.Field == c || p.Field.StartsWith(c + ".", StringComparison.Ordinal) || p.Field.StartsWith(c + "[", StringComparison.Ordinal)));
        // In the order of the form's fields, as people read the file; what is not a field of the form (unknown keys) last.
        var order = ReferralForm.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToList();
        return [.. Problems.Concat(rules).OrderBy(p => order.IndexOf(p.Field.Split('.', '[')[0]) is var i and >= 0 ? i : int.MaxValue)];
    }

    /// <summary>What stops the referral being submitted under its consent (it may still be saved as a draft); empty when nothing does.</summary>
    public IReadOnlyList<FormProblem> ConsentProblems() =>
        Domain.Countries.Country.IsValidCode(Form.ReceiverCountry)
            ? ReferralForms.ConsentProblems(Form.Consent, Form.ReceiverCountry, ReferralForms.DistinctCategories(Form.PersonalData))
            : [];
}

/// <summary>
/// Reads a referral form file: YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>, or <c>-</c> for standard input).
/// Keys are the proto field names of <see cref="ReferralForm"/> in snake case (<c>receiver_country</c>,
/// <c>personal_data.date_of_birth</c>); enum values are written as <see cref="ReferralForms.EnumName"/> writes them
/// (<c>purpose: safe_return</c>, <c>level: high</c>, <c>data_scope: [identity, date_of_birth]</c>); an attachment is
/// <c>{path, media_type}</c>, its path relative to the form file, its bytes read from there. A <c>$comment</c> key is
/// allowed anywhere and ignored. A number where text is expected is taken as written (<c>date_of_birth: 1998</c>).
/// </summary>
internal static class ReferralFormFile
{
    /// <summary>The file name that means standard input (JSON).</summary>
    public const string StandardInput = "-";

    /// <summary>The field a problem of the whole file is reported on (syntax, not a mapping).</summary>
    public const string WholeForm = "(form)";

    private const string CommentKey = "$comment";

    /// <summary>Reads the form file at <paramref name="path"/> (<see cref="StandardInput"/>: JSON from <paramref name="standardInput"/>).</summary>
    public static ReferralFormReading Read(string path, Func<TextReader> standardInput)
    {
        if (path == StandardInput)
        {
            using var reader = standardInput();
            return Parse(reader.ReadToEnd(), json: true, Environment.CurrentDirectory);
        }

        var full = Path.GetFullPath(path);
        var json = Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".json" => true,
            ".yaml" or ".yml" => false,
            _ => throw new CliException(ExitCodes.Usage, $"{path}: give a form file ending in .yaml, .yml or .json, or '-' for JSON on standard input."),
        };
        if (!File.Exists(full))
        {
            throw new CliException(ExitCodes.NotFound, $"There is no form file {full}.");
        }

        return Parse(File.ReadAllText(full), json, Path.GetDirectoryName(full)!);
    }

    /// <summary>Reads form text; attachment paths are taken relative to <paramref name="folder"/>.</summary>
    public static ReferralFormReading Parse(string text, bool json, string folder)
    {
        var reader = new Reader(folder);
        var form = new ReferralForm();
        try
        {
            var root = json ? FormDocument.FromJson(text) : FormDocument.FromYaml(text);
            if (root.Kind == FormValueKind.Mapping)
            {
                reader.Message(form, root, string.Empty);
            }
            else
            {
                reader.Problem(WholeForm, $"the form is {root.Describe()}; it must be a mapping of fields, starting with receiver_country, phase, purpose, urgency, ...");
            }
        }
        catch (FormSyntaxException ex)
        {
            reader.Problem(WholeForm, ex.Message);
        }

        return new ReferralFormReading(form, reader.Problems, reader.Covered);
    }

    /// <summary>Maps values onto messages by the messages' descriptors, noting every problem and going on.</summary>
    private sealed class Reader(string folder)
    {
        public List<FormProblem> Problems { get; } = [];

        public List<string> Covered { get; } = [];

        public void Problem(string field, string problem, string? covers = null)
        {
            Problems.Add(new FormProblem(field, problem));
            Covered.Add(covers ?? field);
        }

        public void Message(IMessage target, FormValue mapping, string path)
        {
            var descriptor = target.Descriptor;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Entries!)
            {
                var field = Join(path, key);
                if (key == CommentKey)
                {
                    continue;
                }

                if (!seen.Add(key))
                {
                    Problem(field, "given twice; give each field once");
                    continue;
                }

                var fieldDescriptor = descriptor.FindFieldByName(key);
                if (fieldDescriptor is null)
                {
                    var known = string.Join(", ", descriptor.Fields.InDeclarationOrder().Select(f => f.Name));
                    Problem(field, $"unknown field; {(path.Length == 0 ? "a referral form" : path)} has: {known}");
                    continue;
                }

                if (value.Kind == FormValueKind.Null)
                {
                    continue;
                }

                if (!fieldDescriptor.IsRepeated)
                {
                    if (Single(fieldDescriptor, value, field) is { } single)
                    {
                        fieldDescriptor.Accessor.SetValue(target, single);
                    }

                    continue;
                }

                if (value.Kind != FormValueKind.Sequence)
                {
                    Problem(field, $"a list is expected, not {value.Describe()}; write [a, b] or one '- item' per line");
                    continue;
                }

                var list = (IList)fieldDescriptor.Accessor.GetValue(target);
                for (var i = 0; i < value.Items!.Count; i++)
                {
                    var item = fieldDescriptor.FieldType == FieldType.Message && fieldDescriptor.MessageType == Attachment.Descriptor
                        ? ReadAttachment(value.Items[i], $"{field}[{i}]")
                        : Single(fieldDescriptor, value.Items[i], $"{field}[{i}]");

                    // An item that could not be read stays in the list, empty, so the rules' problems keep their numbers.
                    list.Add(item ?? Empty(fieldDescriptor));
                }
            }
        }

        private object? Single(FieldDescriptor descriptor, FormValue value, string field)
        {
            switch (descriptor.FieldType)
            {
                case FieldType.String when value.Kind is FormValueKind.Text or FormValueKind.Number:
                    return value.Text;
                case FieldType.String:
                    Problem(field, $"text is expected, not {value.Describe()}");
                    return null;
                case FieldType.Bool when value.Kind == FormValueKind.Boolean:
                    return value.Text == "true";
                case FieldType.Bool:
                    Problem(field, $"true or false is expected, not {value.Describe()}");
                    return null;
                case FieldType.Enum:
                    var choices = string.Join(", ", ReferralText.Choices(descriptor.EnumType.ClrType));
                    if (value.Kind != FormValueKind.Text)
                    {
                        Problem(field, $"one of {choices} is expected, not {value.Describe()}");
                        return null;
                    }

                    if (ReferralText.Find(descriptor.EnumType.ClrType, value.Text) is not { } number)
                    {
                        Problem(field, $"'{value.Text}' is not one of {choices}");
                        return null;
                    }

                    return Enum.ToObject(descriptor.EnumType.ClrType, number);
                case FieldType.Message when value.Kind == FormValueKind.Mapping:
                    var message = (IMessage)Empty(descriptor);
                    Message(message, value, field);
                    return message;
                case FieldType.Message:
                    var fields = string.Join(", ", descriptor.MessageType.Fields.InDeclarationOrder().Select(f => f.Name));
                    Problem(field, $"a mapping of {fields} is expected, not {value.Describe()}");
                    return null;
                default:
                    Problem(field, "cannot be given in a form file");
                    return null;
            }
        }

        /// <summary>An attachment as form files give it: <c>{path, media_type}</c>; the bytes are read from the file.</summary>
        private Attachment? ReadAttachment(FormValue value, string field)
        {
            if (value.Kind != FormValueKind.Mapping)
            {
                Problem(field, $"a mapping of path and media_type is expected, not {value.Describe()}");
                return null;
            }

            var attachment = new Attachment();
            string? path = null;
            foreach (var (key, item) in value.Entries!)
            {
                switch (key)
                {
                    case CommentKey:
                        break;
                    case "path" when item.Kind == FormValueKind.Text && item.Text.Trim().Length > 0:
                        path = item.Text.Trim();
                        break;
                    case "media_type" when item.Kind == FormValueKind.Text:
                        attachment.MediaType = item.Text.Trim();
                        break;
                    case "path" or "media_type":
                        Problem(Join(field, key), $"text is expected, not {item.Describe()}", key == "path" ? field : null);
                        break;
                    default:
                        Problem(Join(field, key), "unknown field; an attachment has: path (relative to the form file), media_type");
                        break;
                }
            }

            if (path is null)
            {
                if (!Problems.Any(p => p.Field == Join(field, "path")))
                {
                    Problem(Join(field, "path"), "required: the file to attach, relative to the form file's folder", field);
                }

                return attachment;
            }

            var full = Path.GetFullPath(path, folder);
            attachment.Name = Path.GetFileName(full);
            if (!File.Exists(full))
            {
                Problem(Join(field, "path"), $"there is no file {full}", field);
                return attachment;
            }

            try
            {
                attachment.Content = ByteString.CopyFrom(File.ReadAllBytes(full));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problem(Join(field, "path"), $"cannot read {full}: {ex.Message}", field);
            }

            return attachment;
        }

        private static object Empty(FieldDescriptor descriptor) => descriptor.FieldType switch
        {
            FieldType.Message => descriptor.MessageType.Parser.ParseFrom(ByteString.Empty),
            FieldType.Enum => Enum.ToObject(descriptor.EnumType.ClrType, 0),
            FieldType.Bool => false,
            _ => string.Empty,
        };

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    }
}
