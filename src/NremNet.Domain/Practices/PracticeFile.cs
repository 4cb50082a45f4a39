using System.Globalization;
using NremNet.Domain.Documents;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Practices;

/// <summary>
/// The practice file of <c>nremnet practice publish FILE.md</c>: YAML front matter between two <c>---</c> lines, then the
/// body in Markdown. Reading reports every problem at once, each with its line: unknown keys (with the known ones),
/// wrong types, missing fields, codes not in the catalogue (with the allowed ones) and every rule of
/// <see cref="PracticeValidation"/>. Writing gives a file that reads back to the same practice.
/// </summary>
public static class PracticeFile
{
    /// <summary>The top-level keys of the front matter, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["id", "title", "summary", "language", "themes", "exploitation", "target_groups", "evidence", "period", "organisation", "contact", "links", "tags", "attachments", "translations"];

    private static readonly string[] EvidenceKeys = ["grade", "source", "criteria"];
    private static readonly string[] SourceKeys = ["url", "attachment", "title"];
    private static readonly string[] RatingKeys = ["rating", "justification"];
    private static readonly string[] PeriodKeys = ["from", "to"];
    private static readonly string[] ContactKeys = ["name", "email"];
    private static readonly string[] LinkKeys = ["url", "title"];
    private static readonly string[] AttachmentKeys = ["name", "media_type", "size", "sha256"];
    private static readonly string[] TranslationKeys = ["language", "kind", "title", "summary", "body"];

    private const string Delimiter = "---";

    /// <summary>A complete example file (synthetic), as the README and <c>nremnet practice</c> can show it.</summary>
    public static string Example { get; } = ReadExample();

    /// <summary>
    /// Reads a practice file. Line ends may be LF or CRLF; the body is the text after the closing <c>---</c> without
    /// leading blank lines or trailing white space. Attachments may be at most <paramref name="maxAttachmentBytes"/> each.
    /// </summary>
    public static ParsedFile<Practice> Parse(string text, long maxAttachmentBytes = PracticeLimits.DefaultMaxAttachmentBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reading = new DocumentReading();

        // A field left out is reported at the opening '---', where the front matter starts.
        reading.Mark(string.Empty, 1);
        if (text.Length > PracticeLimits.MaxFileLength)
        {
            reading.Problem(string.Empty, 1, $"the file has {text.Length} characters; at most {PracticeLimits.MaxFileLength}");
            return reading.Failed<Practice>();
        }

        var lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        if (!string.Equals(lines[0].TrimEnd(), Delimiter, StringComparison.Ordinal))
        {
            reading.Problem(string.Empty, 1, "the file must start with a line '---', then the front matter (title: ..., summary: ..., and so on), then a line '---', then the body in Markdown");
            return reading.Failed<Practice>();
        }

        var close = Array.FindIndex(lines, 1, l => l.TrimEnd() is Delimiter or "...");
        if (close < 0)
        {
            reading.Problem(string.Empty, 1, "the front matter opened on line 1 is never closed: end it with a line '---' before the body");
            return reading.Failed<Practice>();
        }

        var bodyLines = lines.AsSpan(close + 1);
        var leadingBlank = 0;
        while (leadingBlank < bodyLines.Length && string.IsNullOrWhiteSpace(bodyLines[leadingBlank]))
        {
            leadingBlank++;
        }

        var body = string.Join('\n', bodyLines[leadingBlank..].ToArray()).TrimEnd();
        reading.Mark("body", leadingBlank < bodyLines.Length ? close + 2 + leadingBlank : close + 1);
        const string ifEmpty = "the front matter is empty; it needs at least title, summary, language, themes, evidence, period and organisation";
        if (reading.Load(string.Join('\n', lines[1..close]), ifEmpty, lineOffset: 1) is not { } root
            || reading.Fields(root, string.Empty, "the front matter", Keys) is not { } fields)
        {
            return reading.Failed<Practice>();
        }

        var practice = new Reader(reading).Practice(fields, body);
        return reading.Finish(practice, PracticeValidation.Validate(practice, maxAttachmentBytes));
    }

    /// <summary>Writes <paramref name="practice"/> as a practice file, empty optional fields left out.</summary>
    public static string Write(Practice practice)
    {
        ArgumentNullException.ThrowIfNull(practice);
        var frontMatter = new YamlWriter();
        new Writer(frontMatter).Practice(practice);
        return $"{Delimiter}\n{frontMatter.Finish().ReplaceLineEndings("\n")}{Delimiter}\n\n{practice.Body.Trim('\n', '\r')}\n";
    }

    private static string ReadExample()
    {
        using var stream = typeof(PracticeFile).Assembly.GetManifestResourceStream("NremNet.Domain.Practices.Examples.example-practice.md")
            ?? throw new InvalidOperationException("the example practice file is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Turns the front matter into a practice; the shape's problems go to the reading, the rest to validation.</summary>
    private sealed class Reader(DocumentReading reading)
    {
        private static readonly string Grades = string.Join(", ", EvidenceCatalogue.Rules.Select(r => r.Code));
        private static readonly string Ratings = PracticeCatalogue.Allowed(EvidenceCatalogue.Ratings);
        private static readonly string[] CriterionKeys = [.. EvidenceCatalogue.Criteria.Select(c => c.Id)];

        public Practice Practice(YamlFields root, string body) => new()
        {
            Id = Text(root, "id"),
            Title = Text(root, "title"),
            Summary = Text(root, "summary"),
            Body = body,
            Language = Text(root, "language").ToLowerInvariant(),
            Themes = CodeList(root, "themes", PracticeCatalogue.Themes),
            Exploitation = CodeList(root, "exploitation", PracticeCatalogue.ExploitationForms),
            TargetGroups = CodeList(root, "target_groups", PracticeCatalogue.TargetGroups),
            Evidence = Evidence(root),
            Period = Fields(root, "period", "a period", PeriodKeys) is { } period
                ? new PracticePeriod { From = Month(period, "from"), To = Month(period, "to") }
                : new PracticePeriod(),
            Organisation = Text(root, "organisation"),
            Contact = Fields(root, "contact", "a contact", ContactKeys) is { } contact
                ? new PracticeContact(Text(contact, "name"), Text(contact, "email"))
                : null,
            Links = Items(root, "links", "a list of links, one '- https://...' per line", Link),
            Tags = Items(root, "tags", "a list of tags, e.g. [tag one, tag two]", Text),
            Attachments = Items(root, "attachments", "a list of attachments, each with name, media_type, size and sha256", Attachment),
            Translations = Items(root, "translations", "a list of translations, each with language, kind, title and summary", Translation),
        };

        private EvidenceAssessment Evidence(YamlFields root)
        {
            if (root.Value("evidence") is not { } value)
            {
                reading.Problem("evidence", reading.LineOf("evidence"), $"required: grade ({Grades}), criteria (each of {string.Join(", ", CriterionKeys)} with rating and justification) and, from PROMISING up, source");
                return new EvidenceAssessment();
            }

            if (reading.Fields(value, "evidence", "the evidence", EvidenceKeys) is not { } evidence)
            {
                return new EvidenceAssessment();
            }

            return new EvidenceAssessment
            {
                Grade = evidence.Code<EvidenceGrade>("grade", EvidenceCatalogue.TryParseGrade, "a grade", Grades),
                Criteria = Criteria(evidence),
                Source = Fields(evidence, "source", "the source document", SourceKeys) is { } source ? Source(source) : null,
            };
        }

        private List<CriterionAssessment> Criteria(YamlFields evidence)
        {
            const string path = "evidence.criteria";
            if (evidence.Value("criteria") is not { } value)
            {
                reading.Problem(path, reading.LineOf(path), $"required: each of {string.Join(", ", CriterionKeys)} with rating ({Ratings}) and justification");
                return [];
            }

            var criteria = reading.Fields(value, path, "the criteria", CriterionKeys)?.Given ?? [];
            return [.. criteria.Select(c => Criterion(c.Key, c.Value, $"{path}.{c.Key}"))];
        }

        private CriterionAssessment Criterion(string criterion, YamlValue value, string path) =>
            !value.IsNull && reading.Fields(value, path, "a rating and its justification", RatingKeys) is { } fields
                ? new CriterionAssessment(criterion, fields.Code<CriterionRating>("rating", EvidenceCatalogue.TryParseRating, "a rating", Ratings), Text(fields, "justification"))
                : new CriterionAssessment(criterion, CriterionRating.Unspecified, "");

        private static EvidenceSource Source(YamlFields source)
        {
            var url = Text(source, "url");
            var attachment = Text(source, "attachment");
            return new EvidenceSource
            {
                Url = url.Length == 0 ? null : url,
                Attachment = attachment.Length == 0 ? null : attachment.ToLowerInvariant(),
                Title = Text(source, "title"),
            };
        }

        private YearMonth? Month(YamlFields fields, string key)
        {
            var text = Text(fields, key);
            if (text.Length == 0)
            {
                return null;
            }

            if (YearMonth.TryParse(text, out var month))
            {
                return month;
            }

            reading.Problem(fields.PathOf(key), fields.Value(key)!.Line, $"'{ProblemList.Shown(text)}' is not a month: write YYYY-MM, e.g. 2024-03");
            return null;
        }

        private PracticeLink Link(YamlValue value, string path)
        {
            if (value.Kind == YamlValueKind.Scalar)
            {
                return new PracticeLink(Text(value, path));
            }

            return reading.Fields(value, path, "a link: an address, or url and title", LinkKeys) is { } link
                ? new PracticeLink(Text(link, "url"), Text(link, "title"))
                : new PracticeLink("");
        }

        private PracticeAttachment Attachment(YamlValue value, string path)
        {
            if (reading.Fields(value, path, "an attachment", AttachmentKeys) is not { } attachment)
            {
                return new PracticeAttachment("", "", 0, "");
            }

            var sizeText = Text(attachment, "size");
            long size = 0;
            if (sizeText.Length > 0 && !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size))
            {
                reading.Problem(attachment.PathOf("size"), attachment.Value("size")!.Line, $"'{ProblemList.Shown(sizeText)}' is not a number of bytes");
            }

            return new PracticeAttachment(Text(attachment, "name"), Text(attachment, "media_type"), size, Text(attachment, "sha256").ToLowerInvariant());
        }

        private PracticeTranslation Translation(YamlValue value, string path)
        {
            if (reading.Fields(value, path, "a translation", TranslationKeys) is not { } translation)
            {
                return new PracticeTranslation();
            }

            return new PracticeTranslation
            {
                Language = Text(translation, "language").ToLowerInvariant(),
                Kind = translation.Code<TranslationKind>("kind", PracticeCatalogue.TryParseTranslationKind, "a kind of translation", PracticeCatalogue.Allowed(PracticeCatalogue.TranslationKinds)),
                Title = Text(translation, "title"),
                Summary = Text(translation, "summary"),
                Body = Text(translation, "body").TrimEnd(),
            };
        }

        /// <summary>A list's items; a missing list is empty, and an item of the wrong type keeps its place, empty.</summary>
        private static List<T> Items<T>(YamlFields fields, string key, string what, Func<YamlValue, string, T> item)
        {
            var path = fields.PathOf(key);
            var items = fields.List(key, what) ?? [];
            return [.. items.Select((value, i) => item(value, $"{path}[{i}]"))];
        }

        /// <summary>A list of codes, each written as in the catalogue whatever its case; unknown codes are left for validation.</summary>
        private List<string> CodeList(YamlFields fields, string key, IReadOnlyList<CatalogueCode> codes) =>
            Items(fields, key, "a list of codes, e.g. [a, b]", (value, path) =>
            {
                var text = Text(value, path);
                return codes.FirstOrDefault(c => string.Equals(c.Id, text, StringComparison.OrdinalIgnoreCase))?.Id ?? text;
            });

        /// <summary>The fields of the mapping under <paramref name="key"/>, or null when it is absent or not a mapping.</summary>
        private YamlFields? Fields(YamlFields parent, string key, string what, IReadOnlyList<string> keys) =>
            parent.Value(key) is { } value ? reading.Fields(value, parent.PathOf(key), what, keys) : null;

        private string Text(YamlValue value, string path) => reading.Text(value, path) ?? "";

        private static string Text(YamlFields fields, string key) => fields.Text(key) ?? "";
    }

    /// <summary>Writes the front matter: flow lists for codes, literal blocks for multi-line text.</summary>
    private sealed class Writer(YamlWriter yaml)
    {
        public void Practice(Practice practice)
        {
            Field("id", practice.Id);
            Field("title", practice.Title);
            Field("summary", practice.Summary);
            Field("language", practice.Language);
            Codes("themes", practice.Themes);
            Codes("exploitation", practice.Exploitation);
            Codes("target_groups", practice.TargetGroups);
            Evidence(practice.Evidence);
            if (practice.Period.From is not null || practice.Period.To is not null)
            {
                Mapping("period", () =>
                {
                    Field("from", practice.Period.From?.ToString() ?? "");
                    Field("to", practice.Period.To?.ToString() ?? "");
                });
            }

            Field("organisation", practice.Organisation);
            if (practice.Contact is { } contact)
            {
                Mapping("contact", () =>
                {
                    Field("name", contact.Name);
                    Field("email", contact.Email);
                });
            }

            List("links", practice.Links, link =>
            {
                Field("url", link.Url);
                Field("title", link.Title);
            });
            Codes("tags", practice.Tags);
            List("attachments", practice.Attachments, attachment =>
            {
                Field("name", attachment.Name);
                Field("media_type", attachment.MediaType);
                yaml.Plain("size", attachment.Size.ToString(CultureInfo.InvariantCulture));
                Field("sha256", attachment.Sha256);
            });
            List("translations", practice.Translations, translation =>
            {
                Field("language", translation.Language);
                Field("kind", PracticeCatalogue.Code(translation.Kind));
                Field("title", translation.Title);
                Field("summary", translation.Summary);
                Field("body", translation.Body);
            });
        }

        private void Evidence(EvidenceAssessment evidence) => Mapping("evidence", () =>
        {
            Field("grade", EvidenceCatalogue.Code(evidence.Grade));
            if (evidence.Source is { } source)
            {
                Mapping("source", () =>
                {
                    Field("url", source.Url ?? "");
                    Field("attachment", source.Attachment ?? "");
                    Field("title", source.Title);
                });
            }

            if (evidence.Criteria.Count > 0)
            {
                Mapping("criteria", () =>
                {
                    foreach (var criterion in evidence.Criteria)
                    {
                        Mapping(criterion.Criterion, () =>
                        {
                            Field("rating", EvidenceCatalogue.Code(criterion.Rating));
                            Field("justification", criterion.Justification);
                        });
                    }
                });
            }
        });

        private void Field(string key, string value) => yaml.Text(key, value.Length == 0 ? null : value);

        private void Codes(string key, IReadOnlyList<string> codes)
        {
            if (codes.Count > 0)
            {
                yaml.StartList(key, flow: true);
                foreach (var code in codes)
                {
                    yaml.Text(code);
                }

                yaml.EndList();
            }
        }

        private void List<T>(string key, IReadOnlyList<T> items, Action<T> write)
        {
            if (items.Count > 0)
            {
                yaml.StartList(key);
                foreach (var item in items)
                {
                    yaml.StartMapping();
                    write(item);
                    yaml.EndMapping();
                }

                yaml.EndList();
            }
        }

        private void Mapping(string key, Action write)
        {
            yaml.StartMapping(key);
            write();
            yaml.EndMapping();
        }
    }
}
