using System.CommandLine;
using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Countries;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Practices;

/// <summary>
/// <c>nremnet practice show ID [--version N] [--lang LL] [--file]</c>: one practice as a person reads it — a withdrawal
/// and its reason first, then its fields, its self-assessment, its summary and body as plain text; <c>--lang</c> shows a
/// translation beside the original; <c>--file</c> prints the practice file as it is, to edit or keep.
/// </summary>
internal sealed class ShowPracticeCommand : DocumentVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The practice's id, or its last characters as 'practice search' shows them." };
    private readonly Option<int> _version = new("--version") { Description = "Show this version (see 'practice history'); default: the current one." };
    private readonly Option<string?> _lang = new("--lang") { Description = "Show the translation into this language (ISO 639-1, e.g. en) beside the original." };
    private readonly Option<bool> _file = new("--file") { Description = "Print the practice file exactly as published (YAML front matter and Markdown body), e.g. to edit it for 'practice edit'." };

    public ShowPracticeCommand(CliContext context)
        : base(context, "show", "Show one practice as this node holds it: a withdrawal and its reason first, then title, owner, version, evidence grade and self-assessment, themes, forms of exploitation, target groups, period, organisation, contact, links, attachments, translations, and the summary and body as plain text.", role: null)
    {
        Arguments.Add(_id);
        Options.Add(_version);
        Options.Add(_lang);
        Options.Add(_file);
    }

    /// <summary>The practice's fields, one row each, as a person reads them.</summary>
    public static IEnumerable<IReadOnlyList<string>> Fields(Practice practice, GetPracticeResponse response)
    {
        var version = response.Version;
        yield return ["title", practice.Title];
        yield return ["id", version.DocumentId];
        yield return ["owner", Owner(version.OwnerCountry)];
        yield return ["version", $"{DocumentText.Version(version.Version, response.CurrentVersion)}, {DocumentText.State(version.State)}, signed {CliValues.Time(version.SignedAt)}"];
        yield return ["received", version.ReceivedFrom.Length == 0 || version.ReceivedFrom == version.OwnerCountry
            ? $"{CliValues.Time(version.StoredAt)} from its owner"
            : $"{CliValues.Time(version.StoredAt)} from {version.ReceivedFrom}, which held {version.OwnerCountry}'s signed copy"];
        yield return ["language", practice.Language];
        yield return ["translations", practice.Translations.Count == 0
            ? "none"
            : string.Join("; ", practice.Translations.Select(t => $"{t.Language} ({DocumentText.Translation(t.Kind)})"))];
        yield return ["evidence grade", DocumentText.Grade(EvidenceCatalogue.Code(practice.Evidence.Grade))];
        yield return ["evidence source", Source(practice)];
        yield return ["themes", DocumentText.Labels(practice.Themes, PracticeCatalogue.Themes)];
        yield return ["exploitation", DocumentText.Labels(practice.Exploitation, PracticeCatalogue.ExploitationForms, "not specific to a form")];
        yield return ["target groups", DocumentText.Labels(practice.TargetGroups, PracticeCatalogue.TargetGroups, "not specific to a group")];
        yield return ["period", practice.Period.From is { } from ? $"{from} to {practice.Period.To?.ToString() ?? "now (running)"}" : "—"];
        yield return ["organisation", practice.Organisation];
        yield return ["contact", practice.Contact is { } contact ? $"{(contact.Name.Length > 0 ? contact.Name + " · " : string.Empty)}{contact.Email} (network members only)" : "—"];
        yield return ["links", practice.Links.Count == 0 ? "—" : string.Join(Environment.NewLine, practice.Links.Select(l => l.Title.Length > 0 ? $"{l.Title}: {l.Url}" : l.Url))];
        yield return ["tags", practice.Tags.Count == 0 ? "—" : string.Join(", ", practice.Tags)];
        yield return ["attachments", practice.Attachments.Count == 0
            ? "—"
            : string.Join(Environment.NewLine, practice.Attachments.Select(a => $"{a.Name} ({a.MediaType}, {a.Size.ToString("#,0", CultureInfo.InvariantCulture)} bytes) sha256 {a.Sha256}"))];
    }

    /// <summary>The self-assessment, one row per criterion in the catalogue's order.</summary>
    public static IEnumerable<IReadOnlyList<string>> Criteria(Practice practice) =>
        EvidenceCatalogue.Criteria.Select(criterion =>
        {
            var assessment = practice.Evidence.Criteria.FirstOrDefault(c => c.Criterion == criterion.Id);
            var rating = assessment is null ? "not assessed" : EvidenceCatalogue.Ratings.FirstOrDefault(r => r.Id == EvidenceCatalogue.Code(assessment.Rating))?.Label ?? "—";
            return (IReadOnlyList<string>)[criterion.Label, rating, assessment?.Justification ?? "—"];
        });

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var versionNumber = parse.GetValue(_version);
        if (versionNumber < 0)
        {
            throw new CliException(ExitCodes.Usage, $"--version is {versionNumber}; give a version number (1 or more) as 'practice history' lists them, or leave it out for the current one.");
        }

        using var session = Open(parse);
        var id = await session.PracticeIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Practices.GetPracticeAsync(new GetPracticeRequest { DocumentId = id, Version = versionNumber }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var version = response.Version;
        if (parse.GetValue(_file))
        {
            if (response.File.Length == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"Practice {id} was erased by {version.OwnerCountry}: no node holds its content any more. Reason: {version.Reason}");
            }

            await WriteDocumentAsync(parse, response.File, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (DocumentText.Tombstone(version) is { } tombstone)
        {
            Output.Warning(tombstone);
        }

        if (DocumentText.Inactive(version) is { } inactive)
        {
            Output.Warning(inactive);
        }

        if (response.File.Length == 0)
        {
            Output.Table($"Practice {id}", ["field", "value"],
            [
                ["owner", Owner(version.OwnerCountry)],
                ["version", $"{DocumentText.Version(version.Version, response.CurrentVersion)}, {DocumentText.State(version.State)}, signed {CliValues.Time(version.SignedAt)}"],
            ]);
            Output.Line($"No content: only the fact of the erasure remains. Its versions: 'nremnet practice history {DocumentIds.Short(id).TrimStart('…')}'.");
            return ExitCodes.Ok;
        }

        var parsed = PracticeFile.Parse(response.File, long.MaxValue);
        if (parsed.Value is not { } practice)
        {
            // A file written by a newer NremNet may hold fields this one does not know: show it as it is.
            Output.Warning($"This version of the CLI cannot read every field of practice {id} ({parsed.Problems[0]}); here is its file as published:");
            await WriteDocumentAsync(parse, response.File, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        Output.Table($"Practice {DocumentIds.Short(id)} of {version.OwnerCountry}", ["field", "value"], Fields(practice, response).Select(Safe));
        Output.Table($"Self-assessment behind {EvidenceCatalogue.Code(practice.Evidence.Grade)} (criteria after the EC Best Practice Portal)", ["criterion", "rating", "justification"], Criteria(practice).Select(Safe));
        ShowTexts(practice, parse.GetValue(_lang));
        var shortId = DocumentIds.Short(id).TrimStart('…');
        Output.Line($"Versions: 'nremnet practice history {shortId}'. The file as published: 'nremnet practice show {shortId} --file'.");
        if (version.OwnerCountry == session.Profile.Node && version.State == DocumentState.Published)
        {
            Output.Line($"To edit: 'nremnet practice show {shortId} --file > practice.md', edit it, then 'nremnet practice edit {shortId} practice.md --base-version {version.Version}'.");
        }

        return ExitCodes.Ok;
    }

    private void ShowTexts(Practice practice, string? language)
    {
        if (language is not null)
        {
            var wanted = language.Trim().ToLowerInvariant();
            var translation = practice.Translations.FirstOrDefault(t => t.Language == wanted);
            if (translation is null)
            {
                Output.Warning(wanted == practice.Language
                    ? $"{wanted} is the practice's own language; it is shown below."
                    : $"Practice has no translation into {wanted}; it has {(practice.Translations.Count == 0 ? "none" : string.Join(", ", practice.Translations.Select(t => t.Language)))}. The original ({practice.Language}) is shown below.");
            }
            else
            {
                Output.Line($"── Translation into {translation.Language} ({DocumentText.Translation(translation.Kind)}); the original in {practice.Language} follows ──");
                Output.Line(DocumentText.Safe(translation.Title));
                Output.Line(string.Empty);
                Output.Line(DocumentText.Safe(translation.Summary.Trim()));
                if (translation.Body.Length > 0)
                {
                    Output.Line(string.Empty);
                    Output.Line(DocumentText.Readable(translation.Body));
                }
            }
        }

        Output.Line($"── Summary ({practice.Language}, original) ──");
        Output.Line(DocumentText.Safe(practice.Summary.Trim()));
        Output.Line("── Body ──");
        Output.Line(DocumentText.Readable(practice.Body));
    }

    private static string Source(Practice practice) => practice.Evidence.Source switch
    {
        null => "—",
        { Url: { Length: > 0 } url } source => source.Title.Length > 0 ? $"{source.Title}: {url}" : url,
        { Attachment: { Length: > 0 } sha } source => $"{(source.Title.Length > 0 ? source.Title + ": " : string.Empty)}attachment {practice.Attachments.FirstOrDefault(a => a.Sha256 == sha)?.Name ?? sha}",
        _ => "—",
    };

    private static IReadOnlyList<string> Safe(IReadOnlyList<string> row) => [.. row.Select(DocumentText.Safe)];

    private static string Owner(string code) => Country.Find(code) is { } country ? $"{code} — {country.Name}" : code;
}
