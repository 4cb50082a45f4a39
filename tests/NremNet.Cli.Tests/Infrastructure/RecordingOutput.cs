using System.Text.Json;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>Output that keeps everything a command wrote, by kind, for assertions.</summary>
internal sealed class RecordingOutput : ICliOutput
{
    public bool Json { get; set; }

    public List<string> Lines { get; } = [];

    public List<string> Successes { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Errors { get; } = [];

    public List<RecordedTable> Tables { get; } = [];

    public List<JsonElement> JsonValues { get; } = [];

    /// <summary>Everything written, in one string, for "mentions" assertions and test logs.</summary>
    public string Text => string.Join(Environment.NewLine, Lines.Concat(Successes).Concat(Warnings).Concat(Errors)
        .Concat(Tables.SelectMany(t => t.Rows.Select(r => string.Join(" | ", r))))
        .Concat(JsonValues.Select(j => j.GetRawText())));

    public void Line(string text) => Lines.Add(text);

    public void Success(string text) => Successes.Add(text);

    public void Warning(string text) => Warnings.Add(text);

    public void Error(string text) => Errors.Add(text);

    public void Table(string? title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        Tables.Add(new RecordedTable(title, headers, [.. rows]));

    public void WriteJson(object value) => JsonValues.Add(JsonSerializer.SerializeToElement(value, ConsoleOutput.JsonOptions));

    public Task<T> ProgressAsync<T>(string title, Func<Action<string>, Task<T>> work) => work(Lines.Add);
}

/// <summary>A table a command wrote.</summary>
internal sealed record RecordedTable(string? Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The cell of a column (by header) in the row whose first cell is <paramref name="key"/>.</summary>
    public string Cell(string key, string header)
    {
        var column = Headers.ToList().IndexOf(header);
        Assert.True(column >= 0, $"No column '{header}' in table '{Title}' ({string.Join(", ", Headers)}).");
        var row = Rows.FirstOrDefault(r => r[0] == key);
        Assert.True(row is not null, $"No row '{key}' in table '{Title}': {string.Join("; ", Rows.Select(r => r[0]))}.");
        return row[column];
    }
}
