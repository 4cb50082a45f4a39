using System.CommandLine;
using System.Text;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Practices;

/// <summary>
/// A verb that prints a file to start from (<c>practice template</c>, <c>question template</c>): on standard output as
/// it is, or with <c>--out FILE</c> into a new file, followed by what to do next.
/// </summary>
internal abstract class TemplateVerb : DocumentVerb
{
    private readonly Option<string?> _out = new("--out") { Description = "Write it to this new file (not replaced when it exists) instead of standard output." };

    protected TemplateVerb(CliContext context, string name, string description)
        : base(context, name, description, role: null)
    {
        Options.Add(_out);
    }

    /// <summary>The file's text.</summary>
    protected abstract Task<string> TemplateAsync(ParseResult parse, CancellationToken cancellationToken);

    /// <summary>What to do with the file once written to <paramref name="file"/>.</summary>
    protected abstract string Next(ParseResult parse, string file);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var text = await TemplateAsync(parse, cancellationToken).ConfigureAwait(false);
        var file = parse.GetValue(_out);
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            if (System.IO.File.Exists(path))
            {
                throw new CliException(ExitCodes.Conflict, $"{path} exists already; choose another --out file, or move it away.");
            }

            await System.IO.File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            if (Output.Json)
            {
                Output.WriteJson(new { file = path });
                return ExitCodes.Ok;
            }

            Output.Success($"Wrote {path}.");
            Output.Line(Next(parse, file));
            return ExitCodes.Ok;
        }

        if (Output.Json)
        {
            Output.WriteJson(new { file = text });
            return ExitCodes.Ok;
        }

        await WriteDocumentAsync(parse, text, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}

/// <summary><c>nremnet practice template</c>: a complete example practice file (synthetic) to start from.</summary>
internal sealed class PracticeTemplateCommand(CliContext context)
    : TemplateVerb(context, "template", "Print a complete example practice file (synthetic) to start from: YAML front matter with every field (title, summary, language, themes, exploitation, target groups, evidence grade with the self-assessment against each criterion, period, organisation, contact, links, tags, attachments, translations), then the body in Markdown. Save it with --out FILE (or '> FILE'), write your practice over it, and publish it with 'practice publish FILE'.")
{
    protected override Task<string> TemplateAsync(ParseResult parse, CancellationToken cancellationToken) => Task.FromResult(PracticeFile.Example);

    protected override string Next(ParseResult parse, string file) =>
        $"Write your practice over the example (replace the example's attachment with your own from 'nremnet practice attach', or remove it), then check and publish it: 'nremnet practice publish {file}'. Every problem is listed at once; nothing is published until there is none.";
}
