using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Questions;

/// <summary>Writes a <see cref="QuestionCompilation"/> as Markdown, CSV or JSON.</summary>
internal static class CompilationExport
{
    private const string AskerOnlyMark = "asker only";
    private const string WithheldText = "asker only: not shown";
    private const string NotAnsweredText = "not answered";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false) },

        // Country names and answers stay readable (é, not \u00E9); HTML-sensitive characters are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Json(QuestionCompilation compilation) => JsonSerializer.Serialize(compilation, JsonOptions);

    public static string Csv(QuestionCompilation compilation)
    {
        var csv = new StringBuilder();
        CsvRow(csv, "country", "status", "item_id", "item_text", "answer", "unit", "comment", "dissemination");
        foreach (var country in compilation.Countries)
        {
            foreach (var item in compilation.Items)
            {
                var entry = item.Entries.First(e => string.Equals(e.Country, country.Country, StringComparison.Ordinal));
                CsvRow(
                    csv,
                    country.Country,
                    QuestionCodes.Code(country.Status),
                    item.ItemId,
                    item.Text,
                    AnswerText(item, entry),
                    item.Unit ?? string.Empty,
                    entry.Comment ?? string.Empty,
                    entry.Dissemination is { } d ? QuestionCodes.Code(d) : string.Empty);
            }
        }

        return csv.ToString();
    }

    public static string Markdown(QuestionCompilation compilation)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Cell(compilation.Title)).Append("\n\n");
        md.Append("Network question ").Append(Cell(compilation.QuestionId))
            .Append(", asked by ").Append(CountryName(compilation.AskingCountry))
            .Append(". Deadline ").Append(QuestionValidation.Timestamp(compilation.Deadline))
            .Append("; compiled ").Append(QuestionValidation.Timestamp(compilation.CompiledAt)).Append(".\n\n");
        md.Append("> ").Append(QuestionCompilation.Disclaimer).Append("\n\n");

        md.Append("## Countries\n\n");
        md.Append(string.Join(" · ", Enum.GetValues<CountryAnswerStatus>().Select(s => $"{Label(s)}: {compilation.Countries.Count(c => c.Status == s)}"))).Append("\n\n");
        md.Append("| Country | Status | Items answered | Items declined | Asker only, not shown |\n| --- | --- | ---: | ---: | ---: |\n");
        foreach (var c in compilation.Countries)
        {
            md.Append($"| {CountryName(c.Country)} | {Label(c.Status)} | {c.AnsweredItems} | {c.DeclinedItems} | {c.WithheldItems} |\n");
        }

        foreach (var item in compilation.Items)
        {
            md.Append("\n## ").Append(Cell(item.ItemId)).Append(". ").Append(Cell(item.Text)).Append("\n\n");
            if (!string.IsNullOrWhiteSpace(item.Instruction))
            {
                md.Append('*').Append(Cell(item.Instruction)).Append("*\n\n");
            }

            MarkdownSummary(md, item);
            if (item.Type == AnswerType.FreeText)
            {
                MarkdownFreeText(md, item);
            }
            else
            {
                md.Append("| Country | ").Append(item.Type == AnswerType.Number ? Cell(item.Unit ?? "Number") : "Answer").Append(" | Comment |\n| --- | ")
                    .Append(item.Type == AnswerType.Number ? "---:" : "---").Append(" | --- |\n");
                foreach (var entry in item.Entries)
                {
                    md.Append($"| {entry.Country} | {Cell(MarkedAnswer(item, entry))} | {Cell(entry.Comment ?? string.Empty)} |\n");
                }
            }
        }

        return md.ToString();
    }

    /// <summary>The answer in words: labels of the options chosen, yes/no, the number, the text; or why there is none.</summary>
    internal static string AnswerText(CompiledItem item, CompiledEntry entry) => entry.State switch
    {
        CompiledEntryState.Declined => "declined: " + entry.DeclineReason,
        CompiledEntryState.Withheld => WithheldText,
        CompiledEntryState.NotAnswered => string.Empty,
        _ when entry.Yes is { } yes => yes ? "yes" : "no",
        _ when entry.Number is { } number => number.ToString(CultureInfo.InvariantCulture),
        _ when entry.Text is { } text => text,
        _ => string.Join("; ", entry.OptionKeys.Select(k => item.Counts.FirstOrDefault(c => c.Key == k)?.Label ?? k)),
    };

    /// <summary>Escapes text for one line of Markdown, in a table cell or a heading: line breaks become spaces, '|' and '\' are escaped.</summary>
    internal static string Cell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r\n", " ", StringComparison.Ordinal)
            .Replace('\r', ' ')
            .Replace('\n', ' ')
            .Trim();

    /// <summary>One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.</summary>
    internal static string CsvField(string value)
    {
        // A cell a spreadsheet would run as a formula is kept as text; answers come from other nodes.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void CsvRow(StringBuilder csv, params string[] fields) =>
        csv.AppendJoin(',', fields.Select(CsvField)).Append("\r\n");

    private static void MarkdownSummary(StringBuilder md, CompiledItem item)
    {
        var rows = item.Counts.Select(c => (Cell(c.Label), c.Count, c.Countries)).ToList();
        rows.Add(("Declined", item.Declined, CountriesIn(item, CompiledEntryState.Declined)));
        rows.Add(("Not answered", item.NotAnswered, CountriesIn(item, CompiledEntryState.NotAnswered)));
        if (item.Withheld > 0)
        {
            rows.Add(("Asker only, not shown", item.Withheld, CountriesIn(item, CompiledEntryState.Withheld)));
        }

        if (item.Counts.Count == 0)
        {
            rows.Insert(0, ("Answered", item.Answered, CountriesIn(item, CompiledEntryState.Answered)));
        }

        md.Append("| Answer | Countries | Which |\n| --- | ---: | --- |\n");
        foreach (var (label, count, countries) in rows)
        {
            md.Append($"| {label} | {count} | {string.Join(", ", countries)} |\n");
        }

        md.Append('\n');
        if (item.Numbers is { } n)
        {
            md.Append(CultureInfo.InvariantCulture, $"Minimum {n.Minimum}, median {n.Median}, maximum {n.Maximum} {Cell(item.Unit ?? string.Empty)} ({n.Count} {(n.Count == 1 ? "country" : "countries")}).\n\n");
        }
    }

    private static void MarkdownFreeText(StringBuilder md, CompiledItem item)
    {
        foreach (var entry in item.Entries)
        {
            md.Append("**").Append(entry.Country).Append("**");
            if (entry.Dissemination == Dissemination.AskerOnly)
            {
                md.Append(" (").Append(AskerOnlyMark).Append(')');
            }

            if (entry.Text is { } text)
            {
                md.Append("\n\n");
                foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
                {
                    md.Append("> ").Append(line).Append('\n');
                }
            }
            else
            {
                md.Append(": ").Append(Cell(MarkedAnswer(item, entry))).Append('\n');
            }

            if (!string.IsNullOrWhiteSpace(entry.Comment))
            {
                md.Append("\nComment: ").Append(Cell(entry.Comment)).Append('\n');
            }

            md.Append('\n');
        }
    }

    /// <summary>The answer for people: asker-only answers marked, and a missing answer said, not left blank.</summary>
    private static string MarkedAnswer(CompiledItem item, CompiledEntry entry) => entry.State switch
    {
        CompiledEntryState.Answered when entry.Dissemination == Dissemination.AskerOnly => $"{AnswerText(item, entry)} ({AskerOnlyMark})",
        CompiledEntryState.NotAnswered => NotAnsweredText,
        _ => AnswerText(item, entry),
    };

    private static List<string> CountriesIn(CompiledItem item, CompiledEntryState state) =>
        [.. item.Entries.Where(e => e.State == state).Select(e => e.Country)];

    private static string CountryName(string code) => Country.Find(code) is { } country ? $"{country.Name} ({code})" : Cell(code);

    private static string Label(CountryAnswerStatus status) => status switch
    {
        CountryAnswerStatus.Answered => "Answered",
        CountryAnswerStatus.Declined => "Declined",
        CountryAnswerStatus.Pending => "Pending",
        _ => "Overdue",
    };
}
