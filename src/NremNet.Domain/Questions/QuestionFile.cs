using NremNet.Domain.Documents;

namespace NremNet.Domain.Questions;

/// <summary>
/// The YAML file of <c>nremnet question ask FILE</c>. Keys: <c>title</c>, <c>language</c>, <c>deadline</c> (with its
/// offset), <c>recipients</c> (<c>ALL_MEMBERS</c> or a list of country codes), <c>background</c> (Markdown) and
/// <c>items</c>, each with <c>id</c>, <c>text</c>, <c>instruction</c>, <c>type</c> and its type's settings
/// (<c>options</c> of <c>key</c> and <c>label</c>; <c>unit</c>, <c>number_kind</c>, <c>min</c>, <c>max</c>;
/// <c>max_length</c>). <c>id</c> and <c>asking_country</c> may be left out: the asking node sets them.
/// </summary>
public static class QuestionFile
{
    /// <summary>The <c>recipients</c> value that puts a question to every member.</summary>
    public const string AllMembersCode = "ALL_MEMBERS";

    private const string TypeWhat = "an answer type";
    private static readonly string[] RootKeys = ["id", "asking_country", "title", "language", "deadline", "recipients", "background", "items"];
    private static readonly string[] ItemKeys = ["id", "text", "instruction", "type", "options", "unit", "number_kind", "min", "max", "max_length"];
    private static readonly string[] OptionKeys = ["key", "label"];

    /// <summary>
    /// Reads a question file: the question, or every problem with its line (the file's shape and the rules of
    /// <see cref="QuestionValidation"/>, except those of the id and the asking country when left out). With
    /// <paramref name="now"/>, the deadline is checked against it too.
    /// </summary>
    public static ParsedFile<NetworkQuestion> Parse(string text, DateTimeOffset? now = null)
    {
        var reading = new DocumentReading();
        if (reading.Load(text, "the file is empty; it holds a network question: title, language, deadline, recipients, background, items") is not { } root
            || reading.Fields(root, string.Empty, "a network question", RootKeys) is not { } fields)
        {
            return reading.Failed<NetworkQuestion>();
        }

        var question = new NetworkQuestion
        {
            Id = fields.Text("id") ?? string.Empty,
            AskingCountry = fields.Text("asking_country") ?? string.Empty,
            Title = fields.Text("title") ?? string.Empty,
            Language = fields.Text("language") ?? string.Empty,
            Deadline = fields.Timestamp("deadline") ?? default,
            Recipients = ReadRecipients(reading, fields),
            Background = fields.Text("background") ?? string.Empty,
            Items = [.. (fields.List("items", "a list of items") ?? []).Select((item, i) => ReadItem(reading, item, $"items[{i}]"))],
        };

        var rules = new ProblemList();
        if (question.Id.Length > 0)
        {
            QuestionValidation.CheckId(rules, question.Id);
        }

        rules.CountryCode("asking_country", question.AskingCountry, required: false);
        QuestionValidation.CheckContent(rules, question);
        if (now is { } at)
        {
            QuestionValidation.CheckDeadline(rules, question.Deadline, at);
        }

        return reading.Finish(question, rules.Items);
    }

    /// <summary>Writes <paramref name="question"/> as a question file that <see cref="Parse"/> reads back to the same question.</summary>
    public static string Write(NetworkQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var writer = new YamlWriter();
        writer.Text("id", NullIfEmpty(question.Id));
        writer.Text("asking_country", NullIfEmpty(question.AskingCountry));
        writer.Text("title", question.Title);
        writer.Text("language", question.Language);
        if (question.Deadline != default)
        {
            writer.Plain("deadline", QuestionValidation.Timestamp(question.Deadline));
        }

        if (question.Recipients.IsAllMembers)
        {
            writer.Plain("recipients", AllMembersCode);
        }
        else
        {
            writer.StartList("recipients", flow: true);
            foreach (var country in question.Recipients.Countries)
            {
                writer.Text(country);
            }

            writer.EndList();
        }

        writer.Text("background", NullIfEmpty(question.Background));
        writer.StartList("items");
        foreach (var item in question.Items)
        {
            WriteItem(writer, item);
        }

        writer.EndList();
        return writer.Finish();
    }

    private static void WriteItem(YamlWriter writer, QuestionItem item)
    {
        writer.StartMapping();
        writer.Text("id", item.Id);
        writer.Text("text", item.Text);
        writer.Text("instruction", item.Instruction);
        writer.Code("type", item.Type);
        if (item.Options.Count > 0)
        {
            writer.StartList("options");
            foreach (var option in item.Options)
            {
                writer.StartMapping();
                writer.Text("key", option.Key);
                writer.Text("label", option.Label);
                writer.EndMapping();
            }

            writer.EndList();
        }

        writer.Text("unit", item.Unit);
        writer.Code("number_kind", item.NumberKind);
        writer.Number("min", item.Minimum);
        writer.Number("max", item.Maximum);
        writer.Number("max_length", item.MaxLength);
        writer.EndMapping();
    }

    private static QuestionRecipients ReadRecipients(DocumentReading reading, YamlFields fields)
    {
        if (fields.Value("recipients") is not { } value)
        {
            return QuestionRecipients.AllMembers;
        }

        var path = fields.PathOf("recipients");
        if (value.Kind == YamlValueKind.Sequence)
        {
            return QuestionRecipients.Only((reading.List(value, path, "a list of countries") ?? []).Select((c, i) => reading.Text(c, $"{path}[{i}]") ?? string.Empty));
        }

        if (value.Kind != YamlValueKind.Scalar || !string.Equals(value.Text, AllMembersCode, StringComparison.Ordinal))
        {
            reading.Wrong(value, path, $"{AllMembersCode} or a list of country codes, e.g. [SE, FI]");
        }

        return QuestionRecipients.AllMembers;
    }

    private static QuestionItem ReadItem(DocumentReading reading, YamlValue value, string path)
    {
        if (reading.Fields(value, path, "an item", ItemKeys) is not { } fields)
        {
            return new QuestionItem();
        }

        return new QuestionItem
        {
            Id = fields.Text("id") ?? string.Empty,
            Text = fields.Text("text") ?? string.Empty,
            Instruction = fields.Text("instruction"),
            Type = fields.Code<AnswerType>("type", TypeWhat),
            Options = [.. (fields.List("options", "a list of options, each with key and label") ?? []).Select((option, o) => ReadOption(reading, option, $"{path}.options[{o}]"))],
            Unit = fields.Text("unit"),
            NumberKind = fields.Code<NumberKind>("number_kind", "a kind of number"),
            Minimum = fields.Number("min"),
            Maximum = fields.Number("max"),
            MaxLength = fields.WholeNumber("max_length"),
        };
    }

    private static ChoiceOption ReadOption(DocumentReading reading, YamlValue value, string path) =>
        reading.Fields(value, path, "an option", OptionKeys) is { } fields
            ? new ChoiceOption(fields.Text("key") ?? string.Empty, fields.Text("label") ?? string.Empty)
            : new ChoiceOption(string.Empty, string.Empty);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
