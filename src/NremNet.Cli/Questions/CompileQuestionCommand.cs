using System.CommandLine;
using System.Text;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Questions;

/// <summary>
/// <c>nremnet question compile ID [--format md|csv|json] [--out FILE]</c>: the answers compiled by the node — per
/// country answered, declined, pending or overdue, coded items tabulated, numbers side by side, free text per country,
/// with the standard disclaimer.
/// </summary>
internal sealed class CompileQuestionCommand : DocumentVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The question's id, or its last characters as 'question list' shows them." };
    private readonly Option<string> _format = new("--format") { Description = "md (Markdown, default), csv (one row per country and item) or json.", DefaultValueFactory = _ => "md" };
    private readonly Option<string?> _out = new("--out") { Description = "Write it to this file, or into this folder under the name the node gives (an existing file is not replaced); default: standard output." };

    public CompileQuestionCommand(CliContext context)
        : base(context, "compile", "Compile the answers to a question as this node holds them: per country answered, declined, pending or overdue; coded items counted and tabulated; numbers side by side; free text per country; with the disclaimer that answers reflect the responding mechanisms, not official positions. Answers sealed for the asker are included only on the asking node. Re-run it as answers arrive.", role: null)
    {
        _format.AcceptOnlyFromAmong("md", "csv", "json");
        Arguments.Add(_id);
        Options.Add(_format);
        Options.Add(_out);
    }

    /// <summary>The format a <c>--format</c> value asks for.</summary>
    public static CompilationFormat Format(string? value) => value switch
    {
        "csv" => CompilationFormat.Csv,
        "json" => CompilationFormat.Json,
        _ => CompilationFormat.Markdown,
    };

    /// <summary>Where to write: <paramref name="out"/> itself, or <paramref name="fileName"/> inside it when it is a folder.</summary>
    public static string Target(string @out, string fileName)
    {
        var path = Path.GetFullPath(@out);
        return System.IO.Directory.Exists(path) ? Path.Combine(path, Path.GetFileName(fileName.Length > 0 ? fileName : "compilation")) : path;
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.QuestionIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var request = new CompileQuestionRequest { QuestionId = id, Format = Format(parse.GetValue(_format)) };
        var response = await session.Questions.CompileQuestionAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var written = parse.GetValue(_out) is { } @out ? await SaveAsync(Target(@out, response.FileName), response.Content, cancellationToken).ConfigureAwait(false) : null;
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        if (written is null)
        {
            await WriteDocumentAsync(parse, response.Content, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var node = session.Profile.Node;
        Output.Success($"Wrote the compilation of question {id} to {written}: {DocumentText.Count(response.Answers, "answer")} held by {node}.");
        if (response.AskerOnlyAnswers > 0)
        {
            Output.Warning($"{DocumentText.Count(response.AskerOnlyAnswers, "answer")} in it {(response.AskerOnlyAnswers == 1 ? "holds" : "hold")} items sealed for {node} as the asker: share the file only as those countries agreed.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<string> SaveAsync(string path, string content, CancellationToken cancellationToken)
    {
        if (System.IO.File.Exists(path))
        {
            throw new CliException(ExitCodes.Conflict, $"{path} exists already; choose another --out file or folder, or move it away.");
        }

        await System.IO.File.WriteAllTextAsync(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
