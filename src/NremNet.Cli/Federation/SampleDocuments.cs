using System.Globalization;
using System.Text;
using NremNet.Domain.Countries;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Federation;

/// <summary>
/// SYNTHETIC sample documents for the local federation, generated from a fixed seed per country so that every run
/// writes the same bytes: 20 to 40 practices per sample node, in English and in the node's own language (some written
/// in it with a human English translation, some in English only, some in English with a machine translation into it),
/// across every theme, form of exploitation, target group and evidence grade; and two network questions with answers.
/// Every title and summary says the content is synthetic; contacts are on example.org; the personal-data guard finds
/// nothing in them.
/// </summary>
internal static partial class SampleDocuments
{
    /// <summary>The fewest practices a sample node publishes.</summary>
    public const int MinPractices = 20;

    /// <summary>The most practices a sample node publishes.</summary>
    public const int MaxPractices = 40;

    /// <summary>The first year of a sample practice's period.</summary>
    public const int FirstYear = 2015;

    /// <summary>The last year a sample practice's period may reach.</summary>
    public const int LastYear = 2026;

    /// <summary>The sample nodes' own languages (ISO 639-1), by country.</summary>
    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NL"] = "nl",
        ["SE"] = "sv",
        ["FI"] = "fi",
        ["BG"] = "bg",
        ["NG"] = "en",
        ["NP"] = "ne",
        ["AR"] = "es",
    };

    /// <summary>Each sample country's name in its own language, for organisations' names.</summary>
    private static readonly IReadOnlyDictionary<string, string> OwnCountryNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["nl"] = "Nederland",
        ["sv"] = "Sverige",
        ["fi"] = "Suomi",
        ["bg"] = "България",
        ["es"] = "Argentina",
        ["ne"] = "नेपाल",
    };

    /// <summary>The sentence of an English body that says who runs the practice: {0} the organisation, {1} the first year.</summary>
    private const string RunBy = "The practice is run by {0} and started in {1}.";

    /// <summary>How a practice is written.</summary>
    private enum Writing
    {
        /// <summary>In English only.</summary>
        English,

        /// <summary>In the node's own language, with a human translation into English.</summary>
        OwnWithHumanEnglish,

        /// <summary>In English, with a machine translation of the title and summary into the node's own language.</summary>
        EnglishWithMachineOwn,
    }

    /// <summary>The node's own language: <see cref="Languages"/>, English for a country not among the samples.</summary>
    public static string LanguageOf(string country) => Languages.GetValueOrDefault(country, "en");

    /// <summary>The sample practice files of <paramref name="country"/> in its own language (<see cref="LanguageOf"/>).</summary>
    public static IReadOnlyList<string> Practices(string country) => Practices(country, LanguageOf(country));

    /// <summary>
    /// The sample practice files of <paramref name="country"/> (<see cref="PracticeFile.Write"/> of each), written in
    /// English and in <paramref name="language"/> when it has phrases for it; the same bytes on every call.
    /// </summary>
    public static IReadOnlyList<string> Practices(string country, string language)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(language);
        var random = new SampleRandom($"nremnet sample practices/{country}/{language}");
        var own = OwnLanguages.GetValueOrDefault(language);
        var count = MinPractices + random.Next(MaxPractices - MinPractices + 1);
        var topics = Choose(random, Math.Min(count, Topics.Length));

        // Every grade the same number of times, give or take one, in a shuffled order.
        var grades = Enumerable.Range(0, topics.Count).Select(i => (EvidenceGrade)(1 + (i % 3))).ToList();
        random.Shuffle(grades);

        var practices = new List<string>(topics.Count);
        var writings = new[] { Writing.OwnWithHumanEnglish, Writing.English, Writing.OwnWithHumanEnglish, Writing.EnglishWithMachineOwn, Writing.OwnWithHumanEnglish };
        var translated = 0;
        for (var i = 0; i < topics.Count; i++)
        {
            var topic = topics[i];
            var writing = own is not null && topic.OwnTitles?.ContainsKey(own.Code) == true ? writings[translated++ % writings.Length] : Writing.English;
            practices.Add(PracticeFile.Write(Compose(random, country, topic, grades[i], writing, own)));
        }

        return practices;
    }

    /// <summary>
    /// The topics of a node: as many as asked, each once, in a shuffled order, and every theme among their themes.
    /// </summary>
    private static List<Topic> Choose(SampleRandom random, int count)
    {
        var shuffled = Topics.ToList();
        random.Shuffle(shuffled);
        var chosen = shuffled.Take(count).ToList();
        foreach (var theme in PracticeCatalogue.Themes.Select(t => t.Id))
        {
            if (chosen.Any(t => t.Themes.Contains(theme)))
            {
                continue;
            }

            // Swap in the first unchosen topic with the theme for the last chosen one whose themes others also cover.
            var missing = shuffled.Skip(count).First(t => t.Themes.Contains(theme));
            var replaceable = chosen.FindLastIndex(t => t.Themes.All(th => chosen.Count(o => o != t && o.Themes.Contains(th)) > 0));
            chosen[replaceable] = missing;
        }

        return chosen;
    }

    private static Practice Compose(SampleRandom random, string country, Topic topic, EvidenceGrade grade, Writing writing, Phrases? own)
    {
        var from = From(random, grade);
        var to = To(random, from, grade);
        var figures = Figures.Draw(random, from, to);
        var countryCode = country.ToLowerInvariant();
        var organisation = English.Organisations[topic.Organisation];
        var practice = new Practice
        {
            Title = English.TitlePrefix + random.Pick(topic.Titles),
            Summary = $"{English.SummaryDisclaimer} {topic.What}",
            Body = EnglishBody(random, topic, organisation, from, figures),
            Language = "en",
            Themes = topic.Themes,
            Exploitation = topic.Exploitation,
            TargetGroups = topic.TargetGroups,
            Evidence = Evidence(random, topic, grade, countryCode, from),
            Period = new PracticePeriod { From = from, To = to },
            Organisation = $"{Capitalised(organisation)} ({Country.Find(country)?.Name ?? country}, {English.Synthetic})",
            Contact = new PracticeContact($"Coordinator, {topic.Tags[0]} (synthetic)", $"{countryCode}-{topic.Slug}@example.org"),
            Links = random.Next(2) == 0 ? [new PracticeLink($"https://{countryCode}.practices.example.org/{topic.Slug}", "Programme page (synthetic)")] : [],
            Tags = [.. topic.Tags, "synthetic"],
        };

        if (own is null || writing == Writing.English)
        {
            return practice;
        }

        // A translation says what its original says: both are written from the same sentences of their languages.
        var lessons = random.Sample(Enumerable.Range(0, own.Lessons.Length).ToList(), 2);
        var english = Mirror(English, Capitalised(organisation), topic.Titles[0], topic, from, figures, lessons);
        var original = Mirror(own, own.Organisations[topic.Organisation], topic.OwnTitles![own.Code], topic, from, figures, lessons);
        if (writing == Writing.EnglishWithMachineOwn)
        {
            return practice with
            {
                Title = english.Title,
                Summary = english.Summary,
                Translations = [new PracticeTranslation { Language = own.Code, Kind = TranslationKind.Machine, Title = original.Title, Summary = original.Summary }],
            };
        }

        return practice with
        {
            Title = original.Title,
            Summary = original.Summary,
            Body = original.Body,
            Language = own.Code,
            Organisation = $"{own.Organisations[topic.Organisation]} ({OwnCountryNames[own.Code]}, {own.Synthetic})",
            Translations = [new PracticeTranslation { Language = "en", Kind = TranslationKind.Human, Title = english.Title, Summary = english.Summary, Body = english.Body }],
        };
    }

    /// <summary>
    /// A practice's title, summary and short body in one language, from sentences every language has in the same
    /// order: so the texts of two languages, given the same figures and lessons, translate each other.
    /// </summary>
    private static (string Title, string Summary, string Body) Mirror(Phrases phrases, string organisation, string title, Topic topic, YearMonth from, Figures figures, IReadOnlyList<int> lessons)
    {
        var lowered = char.ToLowerInvariant(title[0]) + title[1..];
        var frame = string.Format(CultureInfo.InvariantCulture, phrases.Frame, organisation, Number(phrases, from.Year), lowered);
        var body = new StringBuilder();
        body.Append(phrases.BodyDisclaimer).Append("\n\n");
        body.Append("## ").Append(phrases.Headings[0]).Append("\n\n");
        body.Append(frame);
        foreach (var theme in topic.Themes.Take(2))
        {
            body.Append(' ').Append(phrases.Themes[theme]);
        }

        body.Append("\n\n## ").Append(phrases.Headings[1]).Append("\n\n");
        body.Append(string.Format(CultureInfo.InvariantCulture, phrases.Results, Number(phrases, figures.Years[^1]), Number(phrases, figures.Reached[^1]), Number(phrases, figures.Referred[^1])));
        body.Append("\n\n## ").Append(phrases.Headings[2]).Append("\n\n");
        foreach (var lesson in lessons)
        {
            body.Append("- ").Append(phrases.Lessons[lesson]).Append('\n');
        }

        return (phrases.TitlePrefix + title, $"{phrases.SummaryDisclaimer} {frame} {phrases.Themes[topic.Themes[0]]}", body.ToString().TrimEnd());
    }

    /// <summary>What a practice reached, year by year (at most its first three years, until 2025): people reached and referred.</summary>
    private sealed record Figures(IReadOnlyList<int> Years, IReadOnlyList<int> Reached, IReadOnlyList<int> Referred)
    {
        public static Figures Draw(SampleRandom random, YearMonth from, YearMonth? to)
        {
            var last = Math.Min(to?.Year ?? 2025, 2025);
            var years = Enumerable.Range(from.Year, Math.Clamp(last - from.Year + 1, 1, 3)).ToList();
            var reached = new List<int> { 30 + random.Next(200) };
            while (reached.Count < years.Count)
            {
                reached.Add(reached[^1] * (110 + random.Next(50)) / 100);
            }

            return new Figures(years, reached, [.. reached.Select(r => 1 + random.Next(Math.Max(3, r / 8)))]);
        }
    }

    /// <summary>When a practice started: evaluated ones long enough ago to have been evaluated, emerging ones recently.</summary>
    private static YearMonth From(SampleRandom random, EvidenceGrade grade)
    {
        var (first, last) = grade switch
        {
            EvidenceGrade.Evaluated => (FirstYear, 2021),
            EvidenceGrade.Promising => (2017, 2023),
            _ => (2022, 2025),
        };
        return new YearMonth(first + random.Next(last - first + 1), 1 + random.Next(12));
    }

    /// <summary>When a practice ended, or null while it runs; never after <see cref="LastYear"/>.</summary>
    private static YearMonth? To(SampleRandom random, YearMonth from, EvidenceGrade grade)
    {
        if (random.Next(3) == 0 || grade == EvidenceGrade.Emerging && random.Next(2) == 0)
        {
            return null;
        }

        var year = Math.Min(LastYear, from.Year + 1 + random.Next(4));
        var month = year == from.Year ? Math.Max(from.Month, 1 + random.Next(12)) : 1 + random.Next(12);
        return new YearMonth(year, month);
    }

    /// <summary>
    /// A self-assessment that supports <paramref name="grade"/> by <see cref="EvidenceCatalogue"/>'s rules, with a
    /// justification for each rating (in English, the network's working language, whatever the practice's language).
    /// </summary>
    private static EvidenceAssessment Evidence(SampleRandom random, Topic topic, EvidenceGrade grade, string countryCode, YearMonth from)
    {
        var met = CriterionRating.Met;
        var partly = CriterionRating.PartlyMet;
        var notMet = CriterionRating.NotMet;
        var ratings = grade switch
        {
            EvidenceGrade.Evaluated => new Dictionary<string, CriterionRating>(StringComparer.Ordinal)
            {
                ["relevance"] = met, ["evidence_base"] = met, ["ethics"] = met, ["effectiveness"] = met,
                ["equity"] = random.Pick([met, partly]), ["transferability"] = random.Pick([met, partly]),
                ["sustainability"] = random.Pick([met, partly]), ["participation"] = random.Pick([met, partly, notMet]),
            },
            EvidenceGrade.Promising => new Dictionary<string, CriterionRating>(StringComparer.Ordinal)
            {
                ["relevance"] = met, ["evidence_base"] = random.Pick([met, partly]), ["ethics"] = met, ["effectiveness"] = partly,
                ["equity"] = random.Pick([met, partly, notMet]), ["transferability"] = random.Pick([met, partly, notMet]),
                ["sustainability"] = random.Pick([met, partly, notMet]), ["participation"] = random.Pick([met, partly, notMet]),
            },
            _ => new Dictionary<string, CriterionRating>(StringComparer.Ordinal)
            {
                ["relevance"] = random.Pick([met, partly]), ["evidence_base"] = random.Pick([partly, notMet]), ["ethics"] = met, ["effectiveness"] = notMet,
                ["equity"] = random.Pick([partly, notMet]), ["transferability"] = random.Pick([partly, notMet]),
                ["sustainability"] = random.Pick([partly, notMet]), ["participation"] = random.Pick([met, partly, notMet]),
            },
        };

        // A grade needs enough criteria met: raise the optional ones, in this order, until it has them.
        var needed = EvidenceCatalogue.Rule(grade)!.MinimumMet;
        foreach (var criterion in new[] { "transferability", "sustainability", "equity", "participation" })
        {
            if (ratings.Values.Count(r => r == met) >= needed)
            {
                break;
            }

            ratings[criterion] = met;
        }

        var criteria = EvidenceCatalogue.Criteria
            .Select(c => new CriterionAssessment(c.Id, ratings[c.Id], random.Pick(Justifications[$"{c.Id}/{EvidenceCatalogue.Code(ratings[c.Id])}"])))
            .ToList();
        var reportYear = Math.Min(LastYear, from.Year + 2 + random.Next(2));
        var source = grade switch
        {
            EvidenceGrade.Evaluated => new EvidenceSource
            {
                Url = $"https://reports.example.org/{countryCode}/{topic.Slug}-evaluation-{reportYear}.pdf",
                Title = $"External evaluation report, {reportYear} (synthetic)",
            },
            EvidenceGrade.Promising => new EvidenceSource
            {
                Url = $"https://reports.example.org/{countryCode}/{topic.Slug}-monitoring-{reportYear}.pdf",
                Title = $"Monitoring report, {reportYear} (synthetic)",
            },
            _ when random.Next(2) == 0 => new EvidenceSource
            {
                Url = $"https://reports.example.org/{countryCode}/{topic.Slug}-project-plan.pdf",
                Title = "Project plan (synthetic)",
            },
            _ => null,
        };
        return new EvidenceAssessment { Grade = grade, Criteria = criteria, Source = source };
    }

    private static string EnglishBody(SampleRandom random, Topic topic, string organisation, YearMonth from, Figures figures)
    {
        var body = new StringBuilder();
        body.Append(English.BodyDisclaimer).Append("\n\n");
        body.Append("## ").Append(English.Headings[0]).Append("\n\n");
        body.Append(topic.What).Append(' ').Append(string.Format(CultureInfo.InvariantCulture, RunBy, organisation, from.Year)).Append(' ')
            .Append(English.Themes[topic.Themes[0]]).Append("\n\n");
        for (var i = 0; i < topic.Activities.Length; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"{i + 1}. {topic.Activities[i]}\n");
        }

        body.Append("\n## ").Append(English.Headings[1]).Append("\n\n");
        body.Append(string.Format(CultureInfo.InvariantCulture, English.Results, figures.Years[^1], figures.Reached[^1], figures.Referred[^1])).Append("\n\n");
        if (figures.Years.Count > 1)
        {
            body.Append("| Year | People reached | Referred to assistance |\n|------|---------------:|-----------------------:|\n");
            for (var i = 0; i < figures.Years.Count; i++)
            {
                body.Append(CultureInfo.InvariantCulture, $"| {figures.Years[i]} | {figures.Reached[i]} | {figures.Referred[i]} |\n");
            }

            body.Append('\n');
        }

        body.Append("## ").Append(English.Headings[2]).Append("\n\n");
        foreach (var lesson in random.Sample(English.Lessons, 2 + random.Next(2)))
        {
            body.Append("- ").Append(lesson).Append('\n');
        }

        return body.ToString().TrimEnd();
    }

    /// <summary>A number written with the language's digits.</summary>
    private static string Number(Phrases phrases, int value) =>
        new([.. value.ToString(CultureInfo.InvariantCulture).Select(c => phrases.Digits[c - '0'])]);

    /// <summary>An organisation's English name as a name: without its leading article, capitalised.</summary>
    private static string Capitalised(string organisation)
    {
        foreach (var article in new[] { "the ", "an ", "a " })
        {
            if (organisation.StartsWith(article, StringComparison.Ordinal))
            {
                organisation = organisation[article.Length..];
                break;
            }
        }

        return char.ToUpperInvariant(organisation[0]) + organisation[1..];
    }

    /// <summary>
    /// A small deterministic generator (SplitMix64) seeded from a text, so the samples do not depend on the runtime's
    /// <see cref="Random"/> algorithm: the same seed gives the same documents on every platform and version.
    /// </summary>
    private sealed class SampleRandom
    {
        private ulong _state;

        public SampleRandom(string seed)
        {
            // FNV-1a over the seed's UTF-8 bytes.
            _state = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes(seed))
            {
                _state = (_state ^ b) * 1099511628211UL;
            }
        }

        /// <summary>A number from 0 to <paramref name="bound"/> - 1.</summary>
        public int Next(int bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)bound);
        }

        public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

        public void Shuffle<T>(IList<T> items)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }

        /// <summary><paramref name="count"/> different items, in a random order.</summary>
        public IReadOnlyList<T> Sample<T>(IReadOnlyList<T> items, int count)
        {
            var copy = items.ToList();
            Shuffle(copy);
            return copy.Take(count).ToList();
        }
    }
}
