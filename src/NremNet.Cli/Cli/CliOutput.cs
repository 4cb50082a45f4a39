using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace NremNet.Cli.Cli;

/// <summary>Where commands write: tables and progress for people, JSON for scripts. Tests read it through their own implementation.</summary>
internal interface ICliOutput
{
    /// <summary>Whether the user asked for JSON (<c>--json</c>).</summary>
    bool Json { get; set; }

    /// <summary>A line of text.</summary>
    void Line(string text);

    /// <summary>A success, shown as such.</summary>
    void Success(string text);

    /// <summary>A warning.</summary>
    void Warning(string text);

    /// <summary>An error, on standard error.</summary>
    void Error(string text);

    /// <summary>A table.</summary>
    void Table(string? title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows);

    /// <summary>A value as JSON, on standard output.</summary>
    void WriteJson(object value);

    /// <summary>Runs work while showing its steps; plain lines when not on a terminal or in JSON mode.</summary>
    Task<T> ProgressAsync<T>(string title, Func<Action<string>, Task<T>> work);
}

/// <summary>The console: Spectre.Console for people, plain JSON for scripts.</summary>
internal sealed class ConsoleOutput : ICliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly IAnsiConsole _out;
    private readonly TextWriter _error;

    public ConsoleOutput(TextWriter output, TextWriter error)
    {
        _out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        _error = error;
    }

    public bool Json { get; set; }

    public void Line(string text) => _out.WriteLine(text);

    public void Success(string text) => _out.MarkupLine($"[green]✓[/] {Markup.Escape(text)}");

    public void Warning(string text) => _out.MarkupLine($"[yellow]![/] {Markup.Escape(text)}");

    public void Error(string text) => _error.WriteLine(text);

    public void Table(string? title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title = new TableTitle(Markup.Escape(title));
        }

        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(header)}[/]"));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Markup(Markup.Escape(cell))).ToArray());
        }

        _out.Write(table);
    }

    public void WriteJson(object value) => _out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public async Task<T> ProgressAsync<T>(string title, Func<Action<string>, Task<T>> work)
    {
        if (Json || !_out.Profile.Capabilities.Interactive)
        {
            return await work(step => { if (!Json) { _out.WriteLine($"  {step}"); } }).ConfigureAwait(false);
        }

        return await _out.Status().Spinner(Spinner.Known.Dots).StartAsync(title, async status =>
            await work(step =>
            {
                status.Status($"{title}: {step}");
                _out.MarkupLine($"  [grey]{Markup.Escape(step)}[/]");
            }).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
