using System.CommandLine;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Statistics;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Practices;

/// <summary>
/// What every practice and question verb shares: the profile it runs as (<see cref="DocumentProfile"/>), the node's
/// practice and question clients, <c>--json</c> as the proto message, raw documents on standard output, and refusals
/// the node gives (PERMISSION_DENIED, UNIMPLEMENTED) said in words that tell the user what to do.
/// </summary>
internal abstract class DocumentVerb(CliContext context, string name, string description, string? role) : VerbCommand(context, name, description)
{
    /// <summary>The proto3 JSON mapping with every field written, so scripts find each field even when it is zero or empty.</summary>
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>The role the verb needs (rapporteur to publish, ask and answer; admin for replication), or null when any user may.</summary>
    protected string? Role { get; } = role;

    /// <summary>The profile to act as (see <see cref="DocumentProfile"/>).</summary>
    protected Profile Profile(ParseResult parse) =>
        DocumentProfile.Choose(Context.Profiles(), parse.GetValue(Context.ProfileOption), parse.GetValue(Context.NodeOption), Role);

    /// <summary>A connection to the node as <see cref="Profile"/>, with the practice and question clients.</summary>
    protected DocumentSession Open(ParseResult parse) => new(NodeConnection.Open(Profile(parse)));

    /// <summary>The verb's work; a refusal by the node is turned into a message that says what to do.</summary>
    protected abstract Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken);

    protected sealed override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(parse, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unimplemented)
        {
            throw new CliException(ExitCodes.For(ex.StatusCode), DocumentText.Refusal(ex, Profile(parse), Role));
        }
    }

    /// <summary>With <c>--json</c>, writes the response for scripts as the proto message (proto3 JSON mapping) and says so; else does nothing.</summary>
    protected bool WroteJson(IMessage response)
    {
        if (!Output.Json)
        {
            return false;
        }

        using var document = JsonDocument.Parse(Formatter.Format(response));
        Output.WriteJson(document.RootElement.Clone());
        return true;
    }

    /// <summary>A document (a file's text, a compilation) on standard output exactly as it is: never wrapped or styled.</summary>
    protected static async Task WriteDocumentAsync(ParseResult parse, string text, CancellationToken cancellationToken)
    {
        var output = StatisticsTerminal.For(parse).Output;
        await output.WriteAsync(text.EndsWith('\n') ? text : text + "\n").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The text of a file named on the command line, or of standard input for <c>-</c>; a clear error when it cannot be read.</summary>
    protected static async Task<(string Name, string Text)> ReadFileAsync(string file, string what, CancellationToken cancellationToken)
    {
        if (file == "-")
        {
            return ("standard input", await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.NotFound, $"There is no file {path}. {what}");
        }

        return (Path.GetFileName(path), await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The values of a repeatable, comma-separable option, trimmed, each once.</summary>
    protected static IReadOnlyList<string> Values(ParseResult parse, Option<string[]> option) =>
        [.. QueryArguments.Split(parse.GetValue(option)).Distinct(StringComparer.Ordinal)];
}

/// <summary>One command's connection to the node's practice library and network questions.</summary>
internal sealed class DocumentSession(NodeConnection connection) : IDisposable
{
    /// <summary>The practice library.</summary>
    public PracticeService.PracticeServiceClient Practices { get; } = new(connection.Invoker);

    /// <summary>Network questions.</summary>
    public QuestionService.QuestionServiceClient Questions { get; } = new(connection.Invoker);

    /// <summary>The profile it runs as.</summary>
    public Profile Profile => connection.Profile;

    /// <summary>
    /// The full id of the practice <paramref name="text"/> names: a full id as given; else the one practice among the
    /// newest this node holds whose id ends with it (tables show the end of ids).
    /// </summary>
    public Task<string> PracticeIdAsync(string text, CancellationToken cancellationToken) =>
        DocumentIds.ResolveAsync(text, "practice", "'practice search'", async () =>
        {
            var ids = new List<string>();
            for (var offset = 0; offset < DocumentIds.MaxListed; offset += DocumentIds.Page)
            {
                var request = new SearchPracticesRequest { Order = SearchOrder.Newest, Limit = DocumentIds.Page, Offset = offset, IncludeWithdrawn = true };
                var page = await Practices.SearchPracticesAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
                ids.AddRange(page.Hits.Select(h => h.Practice.Version.DocumentId));
                if (page.Hits.Count < DocumentIds.Page || offset + page.Hits.Count >= page.Total)
                {
                    break;
                }
            }

            return ids;
        });

    /// <summary>The full id of the question <paramref name="text"/> names: a full id, or the end of the id of one question this node holds.</summary>
    public Task<string> QuestionIdAsync(string text, CancellationToken cancellationToken) =>
        DocumentIds.ResolveAsync(text, "question", "'question list'", async () =>
        {
            var listed = await Questions.ListQuestionsAsync(new ListQuestionsRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            return [.. listed.Questions.Select(q => q.Version.DocumentId)];
        });

    public void Dispose() => connection.Dispose();
}

/// <summary>
/// How document ids are shown in tables and found again. A node names its documents by owner, kind, year and number
/// (<c>NL-PR-2026-0001</c>, a question <c>NL-Q-2026-0001</c>, an answer <c>NL-Q-2026-0001.SE</c>): such ids are short and
/// differ mostly in their start, so they are shown and taken whole. Longer ids (a UUID) are shown by their end, and may
/// be given by their end.
/// </summary>
internal static partial class DocumentIds
{
    /// <summary>How many trailing characters tables show of a long id.</summary>
    public const int ShortLength = 8;

    /// <summary>Ids of at most this many characters are shown whole.</summary>
    public const int WholeLength = 24;

    /// <summary>The fewest trailing characters accepted in place of a full id.</summary>
    public const int MinimumSuffix = 6;

    /// <summary>How many of the newest documents a shortened id is looked up among.</summary>
    public const int MaxListed = 1000;

    /// <summary>The most search hits one request returns.</summary>
    public const int Page = 200;

    /// <summary>An id as tables show it: a node's id whole ("NL-PR-2026-0001"), the end of a longer one ("…3f9a2c1d").</summary>
    public static string Short(string id) => id.Length <= WholeLength ? id : "…" + id[^ShortLength..];

    /// <summary>
    /// The id <paramref name="text"/> names: as given when it is a node's document id (<c>NL-PR-2026-0001</c>, in any
    /// case), a UUID, or longer than a shortened id could be; else the one of <paramref name="candidates"/> ending with it.
    /// A full id is taken as given because the candidates are the documents a search lists, and an erased one is in no
    /// search: its history must still be found. Errors say how to find the full id.
    /// </summary>
    public static async Task<string> ResolveAsync(string text, string what, string lister, Func<Task<IReadOnlyList<string>>> candidates)
    {
        var id = text.Trim().TrimStart('…');
        if (id.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, $"Give the {what} id, or its last characters as {lister} shows them.");
        }

        if (NodeId().IsMatch(id))
        {
            return id.ToUpperInvariant();
        }

        if (Guid.TryParse(id, out _) || id.Length > 20)
        {
            return id;
        }

        if (id.Length < MinimumSuffix)
        {
            throw new CliException(ExitCodes.Usage, $"'{text}' is too short for a {what} id: give the full id or at least its last {MinimumSuffix} characters, as {lister} shows them.");
        }

        var held = await candidates().ConfigureAwait(false);
        if (held.Contains(id, StringComparer.OrdinalIgnoreCase))
        {
            return held.First(h => string.Equals(h, id, StringComparison.OrdinalIgnoreCase));
        }

        var matches = held.Where(h => h.EndsWith(id, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException(ExitCodes.NotFound, $"No {what} id ends with '{text}' among the {held.Count} newest this node holds; give the full id (e.g. NL-PR-2026-0001; --json shows it)."),
            _ => throw new CliException(ExitCodes.Usage, $"'{text}' is the end of several {what} ids ({string.Join(", ", matches)}); give the full id."),
        };
    }

    /// <summary>A document id as a node gives it: owner country, kind, year, number, and for an answer the answering country.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z]{2}-[A-Za-z]{1,4}-\d{4}-\d{4,}(\.[A-Za-z]{2})?$")]
    private static partial System.Text.RegularExpressions.Regex NodeId();
}
