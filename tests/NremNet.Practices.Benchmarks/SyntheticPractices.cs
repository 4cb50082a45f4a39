using System.Globalization;
using System.Text;
using NremNet.Domain.Practices;

namespace NremNet.Practices.Benchmarks;

/// <summary>
/// SYNTHETIC practices for the benchmark, the same for the same seed, country and number: the example practice file
/// (<see cref="PracticeFile.Example"/>) with its texts replaced by sentences drawn from <see cref="WordList"/> (titles
/// of 5 to 10 words, summaries of 25 to 55, bodies of 150 to 400 in two to four sections), varied themes, forms of
/// exploitation, target groups, periods and evidence (the grade the drawn self-assessment supports), sometimes a
/// machine translation of title and summary into English; without attachments. Every title ends with the country
/// and number, so each is unique and a publication whose answer was lost can be looked up by it. Nothing here
/// describes a real practice or person; every summary says so.
/// </summary>
internal sealed class SyntheticPractices(int seed)
{
    private static readonly Practice Example = PracticeFile.Parse(PracticeFile.Example).Value
        ?? throw new InvalidOperationException("the example practice file does not read");

    private static readonly string[] Countries = ["NL", "SE", "FI", "BG", "NG", "NP", "AR"];

    /// <summary>The language a country's practices are mostly written in (Nepal's in English: no word list for Nepali).</summary>
    public static string OwnLanguage(string country) => country switch
    {
        "NL" => "nl",
        "SE" => "sv",
        "FI" => "fi",
        "BG" => "bg",
        "AR" => "es",
        _ => "en",
    };

    /// <summary>The text of practice <paramref name="index"/> of <paramref name="country"/>, ready to publish.</summary>
    public (string Title, string File) Practice(string country, int index)
    {
        var random = new Random(Mix(seed, Array.IndexOf(Countries, country) + 1, index));
        var own = OwnLanguage(country);
        var language = own != "en" && random.NextDouble() < 0.3 ? "en" : own;
        var words = WordList.All[language];
        var title = $"{Sentence(random, words, 5, 10, period: false)} ({country}-{index:D5}, synthetic)";
        return (title, Write(random, words, title, $"SYNTHETIC benchmark practice, not a real one. {Paragraph(random, words, 25, 55)}", language));
    }

    /// <summary>A practice of <paramref name="country"/> whose title carries <paramref name="marker"/>, in the country's language.</summary>
    public (string Title, string File) Marked(string country, int index, string marker)
    {
        var random = new Random(Mix(seed, 100 + Array.IndexOf(Countries, country), index));
        var language = OwnLanguage(country);
        var words = WordList.All[language];
        var title = $"{Sentence(random, words, 4, 8, period: false)} {marker} ({country}-M{index:D4}, synthetic)";
        return (title, Write(random, words, title, $"SYNTHETIC benchmark practice, not a real one. {Paragraph(random, words, 25, 55)}", language));
    }

    /// <summary>A search text of one to three words drawn from one generated body in <paramref name="language"/>, as a reader would type them.</summary>
    public string Query(Random random, string language)
    {
        ArgumentNullException.ThrowIfNull(random);
        var words = WordList.All[language];
        var body = Paragraph(random, words, 60, 120);
        var content = body.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.').ToLowerInvariant())
            .Where(w => words.Content.Contains(w, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var count = Math.Min(content.Length, 1 + random.Next(3));
        return string.Join(' ', content.OrderBy(_ => random.Next()).Take(count));
    }

    /// <summary>A made-up word of <paramref name="length"/> letters, consonant and vowel in turn, for a marker nobody else writes.</summary>
    public static string NonsenseWord(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var word = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            word.Append(i % 2 == 0 ? consonants[random.Next(consonants.Length)] : vowels[random.Next(vowels.Length)]);
        }

        return word.ToString();
    }

    private static string Write(Random random, WordList words, string title, string summary, string language)
    {
        var body = new StringBuilder("> **Synthetic.** Generated for a benchmark; it describes no real programme.\n\n");
        var target = 150 + random.Next(251);
        var sections = 2 + random.Next(3);
        var headings = words.Headings.OrderBy(_ => random.Next()).Take(sections).ToArray();
        for (var s = 0; s < sections; s++)
        {
            body.Append("## ").Append(headings[s]).Append("\n\n");
            var share = target / sections;
            if (random.Next(4) == 0)
            {
                for (var item = 0; item < 3; item++)
                {
                    body.Append("- ").Append(Sentence(random, words, 5, 10, period: true)).Append('\n');
                }

                body.Append('\n');
                share -= 21;
            }

            body.Append(Paragraph(random, words, Math.Max(20, share - 10), Math.Max(30, share + 10))).Append("\n\n");
        }

        var themes = Pick(random, PracticeCatalogue.Themes.Select(c => c.Id).ToArray(), 1, 3);
        var exploitation = Pick(random, PracticeCatalogue.ExploitationForms.Select(c => c.Id).ToArray(), 0, 2);
        var groups = Pick(random, PracticeCatalogue.TargetGroups.Select(c => c.Id).ToArray(), 0, 3);
        var from = new YearMonth(2012 + random.Next(14), 1 + random.Next(12));
        var months = random.Next(3) == 0 ? (int?)null : 6 + random.Next(60);
        var to = months is { } m ? new YearMonth(from.Year + ((from.Month - 1 + m) / 12), ((from.Month - 1 + m) % 12) + 1) : (YearMonth?)null;
        var practice = Example with
        {
            Title = title,
            Summary = summary,
            Body = body.ToString().TrimEnd(),
            Language = language,
            Themes = themes,
            Exploitation = exploitation,
            TargetGroups = groups,
            Evidence = Evidence(random),
            Period = new PracticePeriod { From = from, To = to },
            Organisation = $"{words.Organisations[random.Next(words.Organisations.Length)]} (synthetic)",
            Tags = Pick(random, words.Content, 1, 4),
            Attachments = [],
            Translations = language != "en" && random.Next(6) == 0
                ? [new PracticeTranslation
                {
                    Language = "en",
                    Kind = TranslationKind.Machine,
                    Title = Sentence(random, WordList.All["en"], 5, 10, period: false),
                    Summary = "SYNTHETIC benchmark practice, not a real one. " + Paragraph(random, WordList.All["en"], 25, 55),
                }]
                : [],
        };

        var problems = PracticeValidation.Validate(practice);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"a generated practice is not valid: {string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"))}");
        }

        var findings = PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice));
        if (findings.Count > 0)
        {
            throw new InvalidOperationException($"the personal-data guard finds something in a generated practice ('{title}'): {string.Join("; ", findings.Select(f => $"{f.Kind} in {f.Field}: {f.Excerpt}"))}");
        }

        return PracticeFile.Write(practice);
    }

    // Ratings drawn per criterion, leaning to 'met'; the grade is the highest the ratings support (EMERGING at least).
    private static EvidenceAssessment Evidence(Random random)
    {
        var strength = random.NextDouble();
        var criteria = Example.Evidence.Criteria
            .Select(c => c with
            {
                Rating = random.NextDouble() < 0.35 + (0.6 * strength) ? CriterionRating.Met
                    : random.Next(3) > 0 ? CriterionRating.PartlyMet : CriterionRating.NotMet,
            })
            .ToList();
        var evidence = Example.Evidence with { Criteria = criteria };
        if (EvidenceCatalogue.SupportedGrade(evidence) == EvidenceGrade.Unspecified)
        {
            evidence = evidence with
            {
                Criteria = [.. criteria.Select(c => c.Criterion is "relevance" or "ethics" ? c with { Rating = CriterionRating.Met } : c)],
            };
        }

        return evidence with { Grade = EvidenceCatalogue.SupportedGrade(evidence) };
    }

    private static string Paragraph(Random random, WordList words, int minWords, int maxWords)
    {
        var target = minWords + random.Next(maxWords - minWords + 1);
        var text = new StringBuilder();
        var count = 0;
        while (count < target)
        {
            var length = Math.Min(target - count, 6 + random.Next(11));
            text.Append(text.Length == 0 ? "" : " ").Append(Sentence(random, words, length, length, period: true));
            count += length;
        }

        return text.ToString();
    }

    // Content words by a skewed draw (a few common, most rare), with a small word between some of them.
    private static string Sentence(Random random, WordList words, int minWords, int maxWords, bool period)
    {
        var length = minWords + random.Next(maxWords - minWords + 1);
        var sentence = new List<string>(length);
        for (var i = 0; i < length; i++)
        {
            sentence.Add(i > 0 && random.Next(3) == 0
                ? words.Function[random.Next(words.Function.Length)]
                : words.Content[(int)(words.Content.Length * Math.Pow(random.NextDouble(), 2.2))]);
        }

        var text = string.Join(' ', sentence);
        text = char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
        return period ? text + "." : text;
    }

    private static string[] Pick(Random random, string[] values, int min, int max) =>
        [.. values.OrderBy(_ => random.Next()).Take(min + random.Next(max - min + 1))];

    private static int Mix(int seed, int country, int index)
    {
        unchecked
        {
            var hash = (uint)seed * 2654435761u;
            hash ^= (uint)country * 40503u + 0x9E3779B9u + (hash << 6) + (hash >> 2);
            hash ^= (uint)index * 2246822519u + 0x9E3779B9u + (hash << 6) + (hash >> 2);
            return (int)(hash & 0x7FFFFFFF);
        }
    }
}
