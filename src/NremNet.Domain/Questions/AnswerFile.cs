using NremNet.Domain.Documents;

namespace NremNet.Domain.Questions;

/// <summary>
/// The YAML file of <c>nremnet question answer ID FILE</c>. Keys: <c>question</c> (the id; may be left out),
/// <c>country</c> (may be left out: the answering node sets it), <c>dissemination</c> (the default of the items that do
/// not give their own) and <c>items</c>, each with <c>item</c>, <c>status</c> (ANSWERED or DECLINED), <c>value</c>
/// (yes/no, an option key, a list of option keys, a number or text, as the item asks), <c>reason</c> (when declined),
/// <c>comment</c> and <c>dissemination</c> (NETWORK or ASKER_ONLY).
/// </summary>
public static class AnswerFile
{
    private const string DisseminationWhat = "a dissemination level";
    private static readonly string[] RootKeys = ["question", "country", "dissemination", "items"];
    private static readonly string[] ItemKeys = ["item", "status", "value", "reason", "comment", "dissemination"];

    /// <summary>
    /// Reads an answer file for <paramref name="question"/>: the answer, or every problem with its line (the file's
    /// shape and the rules of <see cref="AnswerValidation"/>, except the country's when left out).
    /// </summary>
    public static ParsedFile<QuestionAnswer> Parse(string text, NetworkQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var reading = new DocumentReading();
        if (reading.Load(text, "the file is empty; it holds an answer: question, dissemination, items") is not { } root
            || reading.Fields(root, string.Empty, "an answer", RootKeys) is not { } fields)
        {
            return reading.Failed<QuestionAnswer>();
        }

        var fallback = fields.Code<Dissemination>("dissemination", DisseminationWhat);
        var answer = new QuestionAnswer
        {
            QuestionId = fields.Text("question") ?? question.Id,
            AnsweringCountry = fields.Text("country") ?? string.Empty,
            Items = [.. (fields.List("items", "a list of item answers") ?? []).Select((item, i) => ReadItem(reading, item, $"items[{i}]", question, fallback))],
        };

        var rules = new ProblemList();
        AnswerValidation.CheckQuestionId(rules, question, answer.QuestionId);
        AnswerValidation.CheckCountry(rules, question, answer.AnsweringCountry, required: false);
        AnswerValidation.CheckItems(rules, question, answer.Items);
        return reading.Finish(answer, rules.Items);
    }

    /// <summary>Writes <paramref name="answer"/> as an answer file that <see cref="Parse"/> reads back to the same answer.</summary>
    public static string Write(QuestionAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var writer = new YamlWriter();
        writer.Text("question", answer.QuestionId);
        writer.Text("country", answer.AnsweringCountry.Length == 0 ? null : answer.AnsweringCountry);
        writer.StartList("items");
        foreach (var item in answer.Items)
        {
            writer.StartMapping();
            writer.Text("item", item.ItemId);
            writer.Code("status", item.Status);
            writer.Code("dissemination", item.Dissemination);
            WriteValue(writer, item.Value);
            writer.Text("reason", item.DeclineReason);
            writer.Text("comment", item.Comment);
            writer.EndMapping();
        }

        writer.EndList();
        return writer.Finish();
    }

    private static void WriteValue(YamlWriter writer, AnswerValue? value)
    {
        switch (value)
        {
            case YesNoValue yesNo:
                writer.Plain("value", yesNo.Yes ? "yes" : "no");
                break;
            case ChoiceValue { Keys.Count: 1 } choice:
                writer.Text("value", choice.Keys[0]);
                break;
            case ChoiceValue choice:
                writer.StartList("value", flow: true);
                foreach (var key in choice.Keys)
                {
                    writer.Text(key);
                }

                writer.EndList();
                break;
            case NumberValue number:
                writer.Number("value", number.Number);
                break;
            case TextValue text:
                writer.Text("value", text.Text);
                break;
        }
    }

    private static ItemAnswer ReadItem(DocumentReading reading, YamlValue value, string path, NetworkQuestion question, Dissemination fallback)
    {
        if (reading.Fields(value, path, "an item answer", ItemKeys) is not { } fields)
        {
            return new ItemAnswer();
        }

        var itemId = fields.Text("item") ?? string.Empty;
        var dissemination = fields.Code<Dissemination>("dissemination", DisseminationWhat);
        return new ItemAnswer
        {
            ItemId = itemId,
            Status = fields.Code<ItemAnswerStatus>("status", "an item status"),
            Value = fields.Value("value") is { } given ? ReadValue(reading, given, fields.PathOf("value"), question.FindItem(itemId)) : null,
            DeclineReason = fields.Text("reason"),
            Comment = fields.Text("comment"),
            Dissemination = dissemination == Dissemination.Unspecified ? fallback : dissemination,
        };
    }

    /// <summary>
    /// The value as the item's type reads it. A single key and a list of keys are both read as a choice, and the rules
    /// then say whether the item takes one or several. For an unknown item the value is read by its shape alone: the
    /// unknown item is the problem reported.
    /// </summary>
    private static AnswerValue? ReadValue(DocumentReading reading, YamlValue value, string path, QuestionItem? item)
    {
        switch (item?.Type)
        {
            case AnswerType.YesNo:
                var yes = value.Kind == YamlValueKind.Scalar ? value.Text.ToUpperInvariant() : string.Empty;
                if (yes is "YES" or "NO" or "TRUE" or "FALSE")
                {
                    return new YesNoValue(yes is "YES" or "TRUE");
                }

                reading.Wrong(value, path, "yes or no");
                return null;
            case AnswerType.Number:
                return reading.Number(value, path) is { } number ? new NumberValue(number) : null;
            case AnswerType.FreeText:
                return reading.Text(value, path) is { } text ? new TextValue(text) : null;
            case AnswerType.ChoiceOne or AnswerType.ChoiceMany when value.Kind == YamlValueKind.Mapping:
                reading.Wrong(value, path, AnswerValidation.Expected(item));
                return null;
        }

        if (value.Kind == YamlValueKind.Sequence)
        {
            var keys = reading.List(value, path, "a list of option keys") ?? [];
            return new ChoiceValue([.. keys.Select((key, k) => reading.Text(key, $"{path}[{k}]") ?? string.Empty)]);
        }

        return value.Kind == YamlValueKind.Scalar ? new ChoiceValue([value.Text]) : null;
    }
}
