using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Domain.Statistics;

namespace NremNet.Cli.Practices;

/// <summary>How the practice and question verbs show documents, versions, codes, problems and findings to people, the same way in every verb.</summary>
internal static partial class DocumentText
{
    /// <summary>The columns of a table of file problems.</summary>
    public static readonly IReadOnlyList<string> ProblemHeaders = ["line", "field", "problem"];

    /// <summary>The columns of a table of personal-data findings.</summary>
    public static readonly IReadOnlyList<string> FindingHeaders = ["line", "field", "looks like", "excerpt", "fingerprint"];

    /// <summary>The columns of a document's history.</summary>
    public static readonly IReadOnlyList<string> HistoryHeaders = ["version", "state", "signed", "reason", "stored", "from", "digest"];

    /// <summary>A document's state in one word: published, WITHDRAWN or ERASED (the last two in capitals, as readers must not miss them).</summary>
    public static string State(DocumentState state) => state switch
    {
        DocumentState.Published => "published",
        DocumentState.Withdrawn => "WITHDRAWN",
        DocumentState.Erased => "ERASED",
        _ => "—",
    };

    /// <summary>What a document is, in a word.</summary>
    public static string Kind(DocumentKind kind) => kind switch
    {
        DocumentKind.Practice => "practice",
        DocumentKind.Question => "question",
        DocumentKind.Answer => "answer",
        _ => "document",
    };

    /// <summary>"version 2 of 3 (an older version)", "version 3 (current)".</summary>
    public static string Version(int version, int current) =>
        current <= 0 || version == current
            ? $"version {version.ToString(CultureInfo.InvariantCulture)} (current)"
            : $"version {version.ToString(CultureInfo.InvariantCulture)} of {current.ToString(CultureInfo.InvariantCulture)} (an older version; the current one is {current.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>A withdrawal or erasure in one sentence for readers; null for a published version.</summary>
    public static string? Tombstone(DocumentVersion version) => version.State switch
    {
        DocumentState.Withdrawn => $"WITHDRAWN by {version.OwnerCountry} on {CliValues.Time(version.SignedAt)}. Reason: {Reason(version)}",
        DocumentState.Erased => $"ERASED by {version.OwnerCountry} on {CliValues.Time(version.SignedAt)}; its content is removed on every node. Reason: {Reason(version)}",
        _ => null,
    };

    /// <summary>A warning when the owner is no longer an active member; null otherwise.</summary>
    public static string? Inactive(DocumentVersion version) =>
        version.OwnerInactive
            ? $"{version.OwnerCountry} is no longer an active member of the network: this {Kind(version.Kind)} is kept as it was, marked, and no new version of it is accepted."
            : null;

    /// <summary>The rows of a document's history, oldest first.</summary>
    public static IEnumerable<IReadOnlyList<string>> History(IEnumerable<DocumentVersion> versions) =>
        versions.Select(v => (IReadOnlyList<string>)
        [
            v.Version.ToString(CultureInfo.InvariantCulture),
            State(v.State),
            CliValues.Time(v.SignedAt),
            v.Reason.Length == 0 ? "—" : v.Reason,
            CliValues.Time(v.StoredAt),
            v.ReceivedFrom.Length == 0 ? "—" : v.ReceivedFrom,
            CliValues.ShortThumbprint(v.Digest),
        ]);

    /// <summary>The rows of a table of file problems, in file order.</summary>
    public static IEnumerable<IReadOnlyList<string>> Problems(IEnumerable<FileProblem> problems) =>
        problems.OrderBy(p => p.Line == 0 ? int.MaxValue : p.Line).Select(p => (IReadOnlyList<string>)
            [Line(p.Line), p.Path.Length == 0 ? "(file)" : p.Path, p.Message]);

    /// <summary>The rows of a table of personal-data findings, in file order.</summary>
    public static IEnumerable<IReadOnlyList<string>> Findings(IEnumerable<Contracts.Local.V1.PersonalDataFinding> findings) =>
        findings.OrderBy(f => f.Line == 0 ? int.MaxValue : f.Line).Select(f => (IReadOnlyList<string>)
            [Line(f.Line), f.Field, f.Kind, f.Excerpt, f.Fingerprint]);

    /// <summary>A line number, "—" when not known.</summary>
    public static string Line(int line) => line > 0 ? line.ToString(CultureInfo.InvariantCulture) : "—";

    /// <summary>The labels of catalogue codes, e.g. "Prevention, Protection"; codes not in the catalogue are shown as they are.</summary>
    public static string Labels(IEnumerable<string> codes, IReadOnlyList<CatalogueCode> catalogue, string none = "—")
    {
        var labels = codes.Select(code => catalogue.FirstOrDefault(c => string.Equals(c.Id, code, StringComparison.OrdinalIgnoreCase))?.Label ?? code).ToList();
        return labels.Count == 0 ? none : string.Join(", ", labels);
    }

    /// <summary>An evidence grade with what it tells a reader, e.g. "PROMISING — Monitoring data or an internal review show ...".</summary>
    public static string Grade(string code) =>
        EvidenceCatalogue.TryParseGrade(code, out var grade) && EvidenceCatalogue.Rule(grade) is { } rule
            ? $"{rule.Code} — {rule.Definition}"
            : code.Length == 0 ? "—" : code;

    /// <summary>A translation kind for readers.</summary>
    public static string Translation(TranslationKind kind) => kind switch
    {
        TranslationKind.Human => "human translation",
        TranslationKind.Machine => "MACHINE translation, not checked by a person",
        _ => "translation",
    };

    /// <summary>A text cut to <paramref name="max"/> characters on a word boundary, with "…" where it was cut; line breaks become spaces.</summary>
    public static string Cut(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (flat.Length <= max)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', max - 1);
        return string.Concat(flat.AsSpan(0, cut > max / 2 ? cut : max - 1), "…");
    }

    /// <summary>
    /// Markdown from a document as plain text for the terminal: each block on its own, separated by a blank line; list
    /// items keep their bullet or number, table rows their cells (" | " between them); no control characters
    /// (<see cref="Safe"/>).
    /// </summary>
    public static string Readable(string markdown)
    {
        var blocks = markdown.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Safe(string.Join("\n\n", blocks.Select(ReadableBlock).Where(b => b.Length > 0)));
    }

    private static string ReadableBlock(string block)
    {
        var lines = block.Split('\n', StringSplitOptions.TrimEntries);
        if (lines.All(l => l.StartsWith('|')))
        {
            return string.Join('\n', lines
                .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToList())
                .Where(cells => !cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':')))
                .Select(cells => string.Join(" | ", cells.Select(PracticeMarkdown.ToPlainText))));
        }

        if (lines.All(l => ListItem().IsMatch(l)))
        {
            return string.Join('\n', lines.Select(l => ListItem().Match(l)).Select(m =>
                (m.Groups["number"].Success ? m.Groups["number"].Value + " " : "• ") + PracticeMarkdown.ToPlainText(m.Groups["text"].Value)));
        }

        return PracticeMarkdown.ToPlainText(block);
    }

    /// <summary>
    /// Text from a document, which another country wrote, made safe for a terminal: control characters other than line
    /// breaks and tabs (e.g. the escape that starts a terminal command) become U+FFFD.
    /// </summary>
    public static string Safe(string text) =>
        text.Any(c => char.IsControl(c) && c is not ('\n' or '\t'))
            ? new string([.. text.Select(c => char.IsControl(c) && c is not ('\n' or '\t') ? '\uFFFD' : c)])
            : text;

    /// <summary>"1 problem", "3 problems".</summary>
    public static string Count(int count, string noun) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")}";

    /// <summary>
    /// What a refusal by the node means for the user: PERMISSION_DENIED with the user's account and the role the verb
    /// needs; UNIMPLEMENTED as a node that does not serve practices and questions yet.
    /// </summary>
    public static string Refusal(RpcException exception, Profile profile, string? role)
    {
        var detail = exception.Status.Detail.Length == 0 ? string.Empty : $" The node said: {exception.Status.Detail.TrimEnd('.')}.";
        if (exception.StatusCode == StatusCode.Unimplemented)
        {
            return $"Node {profile.Node} does not serve the practice library and network questions (nremnet.local.v1.PracticeService and QuestionService): it runs an older NremNet. Upgrade the node.{detail}";
        }

        var roles = profile.Roles.Count == 0 ? "no role" : "role " + string.Join(", ", profile.Roles);
        var need = role == DocumentProfile.Writer
            ? "Publishing practices, asking and answering network questions takes a rapporteur (or editor) account of the node"
            : role == DocumentProfile.Admin
                ? "Pulling from the peers now takes an admin (or rapporteur) account of the node"
                : "This takes another role on the node";
        return $"Permission denied: {profile.Node} does not let {profile.Username} ({roles}) do this.{detail} {need}: use --profile with such a profile, or ask {profile.Node}'s admin for the role.";
    }

    [GeneratedRegex(@"^(?:[-*+]|(?<number>\d{1,3}[.)]))\s+(?<text>.*)$")]
    private static partial Regex ListItem();

    /// <summary>The reason of a withdrawal or erasure, or a dash.</summary>
    private static string Reason(DocumentVersion version) => version.Reason.Length == 0 ? "(none given)" : version.Reason;
}
