using System.CommandLine;
using System.Globalization;
using System.Text;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Questions;

/// <summary>
/// The files a newcomer starts from: a question file with one item of every answer type, and the skeleton of an answer
/// to a given question, each explained by comments that say what every key takes.
/// </summary>
internal static class QuestionTemplates
{
    /// <summary>How far after <c>now</c> the example question's deadline is.</summary>
    public static readonly TimeSpan DeadlineAfter = TimeSpan.FromDays(30);

    /// <summary>An example question file (synthetic) with every answer type; its deadline <see cref="DeadlineAfter"/> from <paramref name="now"/>, at 17:00 UTC.</summary>
    public static string Question(DateTimeOffset now)
    {
        var deadline = new DateTimeOffset(now.UtcDateTime.Date.Add(DeadlineAfter).AddHours(17), TimeSpan.Zero);
        return $$"""
            # A network question (SYNTHETIC EXAMPLE): a short set of comparable items that every mechanism can answer.
            # Write yours over it and send it with 'nremnet question ask FILE'. The asking node sets the id and asking_country.
            title: "SYNTHETIC EXAMPLE: Presumed victims who refuse assistance"
            # The language the question is written in (ISO 639-1).
            language: en
            # When answers are due, with its offset (at most 366 days ahead); a recipient without an answer after it is overdue.
            deadline: {{deadline.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}
            # ALL_MEMBERS, or a list of countries, e.g. [SE, FI, BG].
            recipients: ALL_MEMBERS
            # Why you ask and what the answers will be used for (Markdown).
            background: |
              SYNTHETIC EXAMPLE. We are preparing a chapter on presumed victims who do not accept assistance,
              and would like to compare how mechanisms count them and what they see.
            # Items: id (q1, q2, ...), text, an optional instruction, the type, and the settings of that type.
            items:
            # YES_NO: answered yes or no.
            - id: q1
              text: Do your national statistics count presumed victims who refused assistance?
              instruction: Answer for the statistics your mechanism publishes.
              type: YES_NO
            # CHOICE_ONE: exactly one option; CHOICE_MANY: one or more. Each option has a key (lower case) and a label.
            - id: q2
              text: Which authority formally identifies victims in your country?
              type: CHOICE_ONE
              options:
              - key: police
                label: Police
              - key: labour_inspectorate
                label: Labour inspectorate
              - key: multi_agency
                label: A multi-agency body
              - key: other
                label: Another authority
            - id: q3
              text: Which support can a presumed victim receive before formal identification?
              type: CHOICE_MANY
              options:
              - key: shelter
                label: Shelter
              - key: medical
                label: Medical care
              - key: legal
                label: Legal aid
              - key: psychosocial
                label: Psychosocial support
            # NUMBER: its unit, INTEGER or DECIMAL, and optionally min and max.
            - id: q4
              text: How many presumed victims refused assistance in 2024?
              instruction: Count persons, not contacts. Decline the item if you hold no figure.
              type: NUMBER
              unit: presumed victims
              number_kind: INTEGER
              min: 0
            # FREE_TEXT: optionally max_length (default 4000 characters).
            - id: q5
              text: What reasons do presumed victims give for refusing assistance?
              type: FREE_TEXT
              max_length: 2000

            """;
    }

    /// <summary>
    /// The skeleton of an answer to <paramref name="question"/>: one entry per item, with the item's question, how it is
    /// answered and its instruction as comments, status ANSWERED and the value left to fill in.
    /// </summary>
    public static string Answer(NetworkQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line($"# Answer to network question {question.Id} of {question.AskingCountry}: {YamlText.Comment(question.Title)}");
        Line($"# Fill in each value, then send it with 'nremnet question answer {question.Id} FILE'.");
        Line("# Each item is ANSWERED with a value, or DECLINED with a reason (e.g. no data collected). A comment is optional.");
        Line($"# dissemination: NETWORK (every member reads it) or ASKER_ONLY (sealed for {question.AskingCountry} only, readable nowhere else).");
        Line("# The value here is the default; an item may give its own.");
        Line($"question: {YamlText.Scalar(question.Id)}");
        Line("dissemination: NETWORK");
        Line("items:");
        foreach (var item in question.Items)
        {
            Line($"# {item.Id}: {YamlText.Comment(item.Text)}");
            if (item.Instruction is { Length: > 0 } instruction)
            {
                Line($"#   Instruction: {YamlText.Comment(instruction)}");
            }

            Line($"#   Answered with {YamlText.Comment(QuestionText.AnswerForm(item))}.");
            Line($"- item: {item.Id}");
            Line("  status: ANSWERED");
            Line("  value:");
            Line("  # reason: why it is declined (with status: DECLINED, instead of a value)");
            Line("  # comment: the source, the year, caveats");
            Line($"  # dissemination: ASKER_ONLY");
        }

        return text.ToString();
    }
}

/// <summary><c>nremnet question template</c>: an example question file (synthetic) with every answer type.</summary>
internal sealed class QuestionTemplateCommand(CliContext context)
    : TemplateVerb(context, "template", "Print an example network question file (synthetic, YAML with comments) with an item of every answer type — yes/no, one of a list, several of a list, number with unit, free text — and its deadline 30 days ahead. Save it with --out FILE (or '> FILE'), write your question over it, and send it with 'question ask FILE'.")
{
    protected override Task<string> TemplateAsync(ParseResult parse, CancellationToken cancellationToken) =>
        Task.FromResult(QuestionTemplates.Question(Context.Time.GetUtcNow()));

    protected override string Next(ParseResult parse, string file) =>
        $"Write your question over the example, then send it: 'nremnet question ask {file}'. Every problem is listed at once; nothing is sent until there is none.";
}

/// <summary><c>nremnet question answer-template ID</c>: the skeleton of an answer to one question, built from its items.</summary>
internal sealed class AnswerTemplateCommand : TemplateVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The question's id, or its last characters as 'question list' shows them." };

    public AnswerTemplateCommand(CliContext context)
        : base(context, "answer-template", "Print the skeleton of an answer file for a question this node holds: one entry per item, with the item's text, how it is answered and its instruction as comments. Save it with --out FILE (or '> FILE'), fill in the values, and send it with 'question answer ID FILE'.")
    {
        Arguments.Add(_id);
    }

    protected override string Next(ParseResult parse, string file) =>
        $"Fill in each value (or decline the item with a reason), then send it: 'nremnet question answer {parse.GetValue(_id)} {file}'.";

    protected override async Task<string> TemplateAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.QuestionIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var question = QuestionText.Read(response)
            ?? throw new CliException(ExitCodes.Conflict, $"Question {id} has no content this CLI can read (it was erased, or written by a newer NremNet).");
        return QuestionTemplates.Answer(question);
    }
}
