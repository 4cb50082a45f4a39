using System.Collections.Frozen;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Practices;

/// <summary>What a finding of <see cref="PersonalDataGuard"/> looks like, strongest signal first.</summary>
public enum PersonalDataKind
{
    /// <summary>An e-mail address.</summary>
    Email = 1,

    /// <summary>An IBAN with a valid check sum.</summary>
    Iban = 2,

    /// <summary>An ID card, passport or personal identity number.</summary>
    IdentityNumber = 3,

    /// <summary>A date next to words that say it is a date of birth.</summary>
    DateOfBirth = 4,

    /// <summary>A phone number.</summary>
    Phone = 5,

    /// <summary>A person's name after a title or next to words about a victim or a case.</summary>
    PersonName = 6,
}

/// <summary>Something in a free text that looks like personal data.</summary>
/// <param name="Kind">What it looks like.</param>
/// <param name="Field">The field path, as in <see cref="Documents.DocumentProblem.Path"/>.</param>
/// <param name="Start">Where it starts in the field's text (UTF-16 index).</param>
/// <param name="Length">How long it is.</param>
/// <param name="Excerpt">The text around it with the finding itself (and any other in reach) masked, for showing the author.</param>
/// <param name="Fingerprint">Identifies the finding by kind, field and text, not by place, so a confirmation still matches after other edits.</param>
public sealed record PersonalDataFinding(PersonalDataKind Kind, string Field, int Start, int Length, string Excerpt, string Fingerprint);

/// <summary>
/// Looks for personal data in free text before it is published or answered: e-mail addresses, phone numbers, ID and
/// passport numbers, IBANs, dates of birth and a person's name next to a case, in English, French, Spanish, Dutch,
/// Swedish, Finnish, Bulgarian and Russian. It is a net, not a proof: patterns are chosen so that ordinary practice
/// prose (organisations, years, statistics, addresses of web pages, helplines) gives no findings, and the author
/// confirms or edits each finding; a confirmation is recorded by its <see cref="PersonalDataFinding.Fingerprint"/>.
/// </summary>
public static partial class PersonalDataGuard
{
    private const int ExcerptContext = 24;
    private const int KeywordWindow = 40;
    private const char MaskCharacter = '•';

    /// <summary>Every finding in <paramref name="texts"/>, field by field, in text order.</summary>
    public static IReadOnlyList<PersonalDataFinding> Check(IEnumerable<(string Field, string Text)> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var findings = new List<PersonalDataFinding>();
        foreach (var (field, text) in texts)
        {
            if (!string.IsNullOrEmpty(text))
            {
                findings.AddRange(CheckText(field, text));
            }
        }

        return findings;
    }

    /// <summary>
    /// The free texts of a practice with their field paths: what the guard checks before publication. The contact is
    /// left out: it is meant to be personal data and is shown to network members only.
    /// </summary>
    public static IReadOnlyList<(string Field, string Text)> FreeText(Practice practice)
    {
        ArgumentNullException.ThrowIfNull(practice);
        var texts = new List<(string, string)> { ("title", practice.Title), ("summary", practice.Summary), ("body", practice.Body) };
        for (var i = 0; i < practice.Translations.Count; i++)
        {
            var translation = practice.Translations[i];
            texts.Add(($"translations[{i}].title", translation.Title));
            texts.Add(($"translations[{i}].summary", translation.Summary));
            texts.Add(($"translations[{i}].body", translation.Body));
        }

        texts.AddRange(practice.Evidence.Criteria.Select(c => ($"evidence.criteria.{c.Criterion}.justification", c.Justification)));
        if (practice.Evidence.Source is { } source)
        {
            texts.Add(("evidence.source.title", source.Title));
        }

        texts.AddRange(practice.Links.Select((l, i) => ($"links[{i}].title", l.Title)));
        texts.AddRange(practice.Tags.Select((t, i) => ($"tags[{i}]", t)));
        texts.AddRange(practice.Attachments.Select((a, i) => ($"attachments[{i}].name", a.Name)));
        return texts;
    }

    /// <summary>The findings whose fingerprint is not among <paramref name="confirmedFingerprints"/>: what still needs the author.</summary>
    public static IReadOnlyList<PersonalDataFinding> Unconfirmed(IEnumerable<PersonalDataFinding> findings, IEnumerable<string> confirmedFingerprints)
    {
        var confirmed = confirmedFingerprints.ToHashSet(StringComparer.Ordinal);
        return [.. findings.Where(f => !confirmed.Contains(f.Fingerprint))];
    }

    /// <summary>The fingerprint of a finding of <paramref name="kind"/> in <paramref name="field"/> with text <paramref name="matched"/>; white space and case do not count.</summary>
    public static string Fingerprint(PersonalDataKind kind, string field, string matched)
    {
        var normalised = new string([.. matched.Where(c => !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant)]);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{(int)kind}\n{field}\n{normalised}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private readonly record struct Candidate(PersonalDataKind Kind, int Start, int Length)
    {
        public int End => Start + Length;

        public bool Overlaps(Candidate other) => Start < other.End && other.Start < End;
    }

    private static List<PersonalDataFinding> CheckText(string field, string text)
    {
        var candidates = new List<Candidate>();
        Emails(text, candidates);
        Ibans(text, candidates);
        IdentityNumbers(text, candidates);
        DatesOfBirth(text, candidates);
        Phones(text, candidates);
        Names(text, candidates);

        // Web addresses carry numbers and capitalised words that are no one's data.
        var urls = UrlPattern().Matches(text).Select(m => (Start: m.Index, End: m.Index + m.Length)).ToList();
        var accepted = new List<Candidate>();
        foreach (var candidate in candidates.OrderBy(c => c.Kind).ThenBy(c => c.Start))
        {
            var inUrl = urls.Any(u => u.Start < candidate.End && candidate.Start < u.End);
            if ((candidate.Kind == PersonalDataKind.Email || !inUrl) && !accepted.Any(a => a.Overlaps(candidate)))
            {
                accepted.Add(candidate);
            }
        }

        accepted.Sort((a, b) => a.Start.CompareTo(b.Start));
        return [.. accepted.Select(c => new PersonalDataFinding(
            c.Kind,
            field,
            c.Start,
            c.Length,
            Excerpt(text, c, accepted),
            Fingerprint(c.Kind, field, text.Substring(c.Start, c.Length))))];
    }

    private static void Emails(string text, List<Candidate> candidates)
    {
        foreach (Match match in EmailPattern().Matches(text))
        {
            candidates.Add(new Candidate(PersonalDataKind.Email, match.Index, match.Length));
        }
    }

    private static void Ibans(string text, List<Candidate> candidates)
    {
        foreach (Match match in IbanPattern().Matches(text))
        {
            var compact = match.Value.Replace(" ", "", StringComparison.Ordinal);
            if (compact.Length is >= 15 and <= 34 && Country.IsValidCode(compact[..2]) && IbanChecksumValid(compact))
            {
                candidates.Add(new Candidate(PersonalDataKind.Iban, match.Index, match.Length));
            }
        }
    }

    private static void IdentityNumbers(string text, List<Candidate> candidates)
    {
        foreach (Match keyword in IdKeywordPattern().Matches(text))
        {
            var windowStart = keyword.Index + keyword.Length;
            var window = Window(text, windowStart);
            foreach (Match token in IdTokenPattern().Matches(window))
            {
                if (IsIdToken(token.Value))
                {
                    candidates.Add(new Candidate(PersonalDataKind.IdentityNumber, windowStart + token.Index, token.Length));
                    break;
                }
            }
        }

        // Personal identity numbers with a check digit need no keyword: a random number rarely passes.
        foreach (Match match in SwedishPersonalNumberPattern().Matches(text))
        {
            var digits = Digits(match.Value);
            if (Luhn(digits[^10..]) && ValidDate(digits[^10..^4], dayOffset: 60))
            {
                candidates.Add(new Candidate(PersonalDataKind.IdentityNumber, match.Index, match.Length));
            }
        }

        foreach (Match match in FinnishPersonalNumberPattern().Matches(text))
        {
            if (FinnishCheckValid(match.Value.ToUpperInvariant()))
            {
                candidates.Add(new Candidate(PersonalDataKind.IdentityNumber, match.Index, match.Length));
            }
        }

        foreach (Match match in TenDigitPattern().Matches(text))
        {
            if (BulgarianEgnValid(match.Value))
            {
                candidates.Add(new Candidate(PersonalDataKind.IdentityNumber, match.Index, match.Length));
            }
        }
    }

    private static bool IsIdToken(string token)
    {
        var digits = token.Count(char.IsAsciiDigit);
        var letters = token.Count(char.IsAsciiLetterUpper);
        var length = digits + letters;
        if (length is < 6 or > 20 || digits < 3 || YearRangePattern().IsMatch(token))
        {
            return false;
        }

        // A number alone is only an ID when it is longer than the counts and years prose is full of.
        return letters > 0 || digits >= 7;
    }

    private static void DatesOfBirth(string text, List<Candidate> candidates)
    {
        foreach (Match keyword in BirthKeywordPattern().Matches(text))
        {
            var windowStart = keyword.Index + keyword.Length;
            var date = DatePattern().Match(Window(text, windowStart));
            if (date.Success)
            {
                candidates.Add(new Candidate(PersonalDataKind.DateOfBirth, windowStart + date.Index, date.Length));
            }
        }
    }

    private static void Phones(string text, List<Candidate> candidates)
    {
        void Add(int start, int length, string value, int minDigits, int maxDigits)
        {
            var digits = value.Count(char.IsAsciiDigit);
            if (digits >= minDigits && digits <= maxDigits && !DatePrefixPattern().IsMatch(value) && !IsServiceNumber(text, start, value))
            {
                candidates.Add(new Candidate(PersonalDataKind.Phone, start, length));
            }
        }

        foreach (Match match in InternationalPhonePattern().Matches(text))
        {
            Add(match.Index, match.Length, match.Value, 9, 17);
        }

        foreach (Match match in NationalPhonePattern().Matches(text))
        {
            Add(match.Index, match.Length, match.Value, 9, 12);
        }

        foreach (Match match in PhoneKeywordPattern().Matches(text))
        {
            var number = match.Groups["number"];
            Add(number.Index, number.Length, number.Value, 7, 15);
        }
    }

    /// <summary>Whether a number is a helpline's or a free-phone number, which a practice names on purpose.</summary>
    private static bool IsServiceNumber(string text, int start, string value)
    {
        var digits = Digits(value);
        if (digits.StartsWith("0800", StringComparison.Ordinal) || digits.StartsWith("0808", StringComparison.Ordinal)
            || digits.StartsWith("0900", StringComparison.Ordinal) || digits.StartsWith("116", StringComparison.Ordinal))
        {
            return true;
        }

        var before = text[Math.Max(0, start - KeywordWindow)..start];
        return HelplinePattern().IsMatch(before);
    }

    private static void Names(string text, List<Candidate> candidates)
    {
        void Add(Group name)
        {
            var span = NameSpan(name.Value);
            if (span > 0)
            {
                candidates.Add(new Candidate(PersonalDataKind.PersonName, name.Index, span));
            }
        }

        foreach (Match match in TitleNamePattern().Matches(text))
        {
            Add(match.Groups["name"]);
        }

        foreach (Match match in CaseNamePattern().Matches(text))
        {
            // Finnish says "in Finland" with a case ending, not a preposition: "uhri Suomessa" names a place.
            if (!match.Groups["fi"].Success || !FinnishLocativePattern().IsMatch(match.Groups["name"].Value))
            {
                Add(match.Groups["name"]);
            }
        }

        foreach (Match match in NameCasePattern().Matches(text))
        {
            // "In Lyon, a victim ..." names a place, not a person.
            var name = match.Groups["name"];
            if (!PrepositionBeforePattern().IsMatch(text[Math.Max(0, name.Index - 12)..name.Index]))
            {
                Add(name);
            }
        }
    }

    /// <summary>
    /// How much of a captured name is a name: nothing when it is an organisation, a place, a month or a demonym, and
    /// up to the first word that only starts a sentence (e.g. "However").
    /// </summary>
    private static int NameSpan(string captured)
    {
        var words = NameWordPattern().Matches(captured);
        if (words.Any(w => NotNames.Contains(w.Value)))
        {
            return 0;
        }

        var end = 0;
        foreach (Match word in words)
        {
            if (FunctionWords.Contains(word.Value))
            {
                break;
            }

            end = word.Index + word.Length;
        }

        // An initial keeps its dot: "Ana P."
        return end < captured.Length && captured[end] == '.' ? end + 1 : end;
    }

    private static string Window(string text, int start)
    {
        var window = text.Substring(start, Math.Min(KeywordWindow, text.Length - start));
        var end = SentenceEndPattern().Match(window);
        return end.Success ? window[..end.Index] : window;
    }

    private static string Excerpt(string text, Candidate finding, List<Candidate> all)
    {
        var from = Math.Max(0, finding.Start - ExcerptContext);
        var to = Math.Min(text.Length, finding.End + ExcerptContext);
        var excerpt = new StringBuilder(text, from, to - from, to - from + 2);
        foreach (var other in all.Where(c => c.Start < to && c.End > from))
        {
            var start = Math.Max(other.Start, from);
            var end = Math.Min(other.End, to);
            var keepLast = other.Kind is PersonalDataKind.Phone or PersonalDataKind.Iban or PersonalDataKind.IdentityNumber ? 2 : 0;
            var alphanumerics = 0;
            for (var i = end - 1; i >= start; i--)
            {
                var c = text[i];
                if (!char.IsLetterOrDigit(c))
                {
                    continue;
                }

                alphanumerics++;
                if (i != other.Start && alphanumerics > keepLast)
                {
                    excerpt[i - from] = MaskCharacter;
                }
            }
        }

        for (var i = 0; i < excerpt.Length; i++)
        {
            if (char.IsControl(excerpt[i]))
            {
                excerpt[i] = ' ';
            }
        }

        return (from > 0 ? "…" : "") + excerpt + (to < text.Length ? "…" : "");
    }

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    private static bool IbanChecksumValid(string iban)
    {
        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }

            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder == 1;
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>Whether YYMMDD is a possible date; <paramref name="dayOffset"/> allows coordination numbers' days (+60).</summary>
    private static bool ValidDate(string yymmdd, int dayOffset)
    {
        var month = int.Parse(yymmdd.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (day > dayOffset)
        {
            day -= dayOffset;
        }

        return month is >= 1 and <= 12 && day >= 1 && day <= 31;
    }

    private static bool FinnishCheckValid(string hetu)
    {
        const string checkCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";
        if (!ValidDate(string.Concat(hetu.AsSpan(4, 2), hetu.AsSpan(2, 2), hetu.AsSpan(0, 2)), dayOffset: 0))
        {
            return false;
        }

        var number = BigInteger.Parse(string.Concat(hetu.AsSpan(0, 6), hetu.AsSpan(7, 3)), CultureInfo.InvariantCulture);
        return checkCharacters[(int)(number % 31)] == hetu[10];
    }

    private static bool BulgarianEgnValid(string egn)
    {
        int[] weights = [2, 4, 8, 5, 10, 9, 7, 3, 6];
        var month = int.Parse(egn.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(egn.AsSpan(4, 2), CultureInfo.InvariantCulture);

        // Months are offset by 20 for births before 1900 and by 40 after 1999.
        if (month is < 1 or > 12 and < 21 or > 32 and < 41 or > 52 || day is < 1 or > 31)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (egn[i] - '0') * weights[i];
        }

        var check = sum % 11 % 10;
        return check == egn[9] - '0';
    }

    private static readonly FrozenSet<string> FunctionWords = new[]
    {
        // English
        "The", "A", "An", "This", "That", "These", "Those", "It", "In", "On", "At", "For", "From", "With", "By", "Of", "And", "But", "Or",
        "However", "Moreover", "Finally", "Today", "Then", "Here", "There", "Thus", "Also", "Later", "First", "Second", "Third", "Last",
        "Often", "Usually", "Each", "Every", "Once", "Since", "Afterwards", "Meanwhile", "Sometimes", "Typically", "After", "Before",
        "During", "When", "While", "If", "As", "All", "Some", "Many", "Most", "Such", "Other", "No", "Not", "Yes", "She", "He", "They",
        "We", "You", "Her", "His", "Their", "Our", "Its", "Who", "Whose", "What", "Which", "Where", "Why", "How", "Both", "Several",
        "Furthermore", "Consequently", "Therefore", "Overall", "Together", "Instead", "Still", "Yet", "Now", "Recently",
        // French
        "Le", "La", "Les", "Un", "Une", "Des", "Elle", "Il", "Ils", "Elles", "Cette", "Ce", "Ces", "Dans", "Pour", "Avec", "Après",
        "Avant", "Ensuite", "Enfin", "Aujourd'hui", "Puis", "Mais", "Et", "Ou", "Depuis", "Lorsque", "Quand", "Chaque",
        // Spanish
        "El", "Los", "Las", "Una", "Ella", "Él", "Este", "Esta", "Estos", "Estas", "En", "Con", "Para", "Después", "Luego", "Hoy",
        "Además", "Pero", "Cuando", "Cada", "Desde", "Tras",
        // Dutch
        "De", "Het", "Een", "Zij", "Hij", "Deze", "Dit", "Met", "Voor", "Na", "Daarna", "Vandaag", "Ook", "Maar", "Toen", "Elke",
        // Swedish
        "Den", "Det", "Ett", "Hon", "Han", "Denna", "Detta", "Med", "För", "Efter", "Sedan", "Idag", "Också", "Men", "När", "Varje",
        // Finnish
        "Hän", "Se", "Ne", "Tämä", "Myös", "Sitten", "Tänään", "Mutta", "Kun", "Jokainen",
        // Bulgarian and Russian
        "Тя", "Той", "Те", "Това", "Този", "Тази", "След", "Днес", "Също", "Но", "Когда", "Она", "Он", "Они", "Это", "После",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Capitalised words that are not a person's name: organisations, places, months, days and demonyms.</summary>
    private static readonly FrozenSet<string> NotNames = new[]
    {
        "Support", "Services", "Service", "Protection", "Care", "Centre", "Center", "Network", "Association", "Foundation", "Unit",
        "Office", "Ministry", "Agency", "Council", "Programme", "Program", "Project", "Act", "Directive", "Convention", "Day", "Fund",
        "Police", "Court", "Team", "Alliance", "Group", "House", "Home", "Help", "Helpline", "Hotline", "Rights", "Aid", "Assistance",
        "Shelter", "Coalition", "Platform", "Board", "Commission", "Committee", "Authority", "Department", "Institute", "University",
        "School", "Law", "Strategy", "Plan", "Report", "Europe", "European", "Union", "International", "National", "Regional",
        "Federal", "State", "Government", "Trust", "Action", "Campaign", "Initiative", "Inspectorate", "Prosecution", "Prosecutor",
        "Rapporteur", "Mechanism", "Coordinator", "Coordination", "Federation", "Organisation", "Organization", "Society",
        "Leadership", "Forum", "Panel", "Charter", "Protocol", "Guidelines", "Framework", "Register", "Registry", "Portal",
        "Identification", "Referral", "Trafficking", "Exploitation", "Labour", "Labor", "Migration", "Asylum", "Border", "Justice",
        "Interior", "Health", "Social", "Affairs", "Welfare", "City", "Municipality", "County", "Region", "Province", "Republic",
        "Kingdom", "United", "Islands", "Saint", "Roma", "Sinti",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "Nigerian", "Romanian", "Bulgarian", "Vietnamese", "Chinese", "Albanian", "Moldovan", "Ukrainian", "Hungarian", "Polish",
        "Brazilian", "Thai", "Filipino", "Eritrean", "Syrian", "Afghan", "Moroccan", "Dutch", "Swedish", "Finnish", "French",
        "Spanish", "German", "Belgian", "British", "Italian", "Greek", "Turkish", "Russian", "Indian", "Pakistani", "Bangladeshi",
        "Nepali", "Ethiopian", "Somali", "Sudanese", "Ghanaian", "Cameroonian", "Guinean", "Ivorian", "Paraguayan", "Colombian",
        "Venezuelan", "African", "Asian", "American", "Arab", "Latin", "Slovak", "Czech", "Lithuanian", "Latvian", "Estonian",

        // Countries and Europe in the guard's other languages, where they differ from the English names.
        "Países", "Bajos", "Holanda", "Suecia", "Finlandia", "España", "Francia", "Alemania", "Bélgica", "Rumanía", "Italia", "Grecia",
        "Polonia", "Reino", "Unido", "Ucrania", "Rusia", "Moldavia", "Marruecos", "Brasil", "Tailandia", "Filipinas", "Siria",
        "Afganistán", "Europa", "Pays-Bas", "Suède", "Finlande", "Bulgarie", "Argentine", "Népal", "Espagne", "Allemagne", "Belgique",
        "Roumanie", "Italie", "Grèce", "Pologne", "Royaume-Uni", "Russie", "Moldavie", "Albanie", "Chine", "Maroc", "Brésil",
        "Thaïlande", "Érythrée", "Syrie", "Nederland", "Zweden", "Bulgarije", "Argentinië", "Spanje", "Frankrijk", "Duitsland",
        "België", "Roemenië", "Italië", "Griekenland", "Polen", "Verenigd", "Koninkrijk", "Oekraïne", "Rusland", "Moldavië",
        "Albanië", "Marokko", "Brazilië", "Filipijnen", "Syrië", "Holland", "Nederländerna", "Sverige", "Bulgarien", "Spanien",
        "Frankrike", "Tyskland", "Belgien", "Rumänien", "Italien", "Grekland", "Storbritannien", "Ryssland", "Moldavien",
        "Albanien", "Kina", "Marocko", "Brasilien", "Filippinerna", "Syrien", "Alankomaat", "Hollanti", "Ruotsi", "Suomi",
        "Argentiina", "Espanja", "Ranska", "Saksa", "Belgia", "Kreikka", "Puola", "Iso-Britannia", "Ukraina", "Venäjä", "Kiina",
        "Brasilia", "Thaimaa", "Filippiinit", "Syyria", "Afganistan", "Eurooppa", "Нидерландия", "Холандия", "Швеция", "Финландия",
        "България", "Аржентина", "Нигерия", "Непал", "Испания", "Франция", "Германия", "Белгия", "Румъния", "Италия", "Гърция",
        "Полша", "Великобритания", "Украйна", "Русия", "Молдова", "Албания", "Виетнам", "Китай", "Мароко", "Бразилия", "Тайланд",
        "Филипини", "Сирия", "Афганистан", "Европа", "Нидерланды", "Финляндия", "Болгария", "Россия", "Украина",
    }.Concat(Country.Every.SelectMany(c => NameWordPattern().Matches(c.Name).Select(m => m.Value)))
        .ToFrozenSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?:https?|ftp)://[^\s<>""')\]]+|\bwww\.[^\s<>""')\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]{0,63}@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?){0,8}\.\p{L}{2,24}(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?i:\b(?:passports?|passeports?|pasaportes?|paspoort(?:en|nummer)?|passi(?:n|a)?(?:numero)?|pass|passet|passnummer|reisepass|паспорт[а-я]*|identity\s+(?:card|number|document)|id[\s-]?(?:card|kort|kaart|nummer|number)|carte\s+d['’]identit[ée]|pi[èe]ce\s+d['’]identit[ée]|num[ée]ro\s+d['’]identit[ée]|titre\s+de\s+s[ée]jour|documento\s+de\s+identidad|n[úu]mero\s+de\s+identidad|identiteitskaart|burgerservicenummer|documentnummer|personnummer|samordningsnummer|henkilökortti|henkilötunnus|henkilöllisyystodistus|лична\s+карта|удостоверени[ея]\s+личности|social\s+security\s+number|document\s+number|residence\s+permit\s+number|personalausweis)(?![\p{L}]))|\b(?:ID|DNI|NIE|NIF|BSN|EGN|ЕГН|ЛНЧ|HETU|hetu)(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex IdKeywordPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}-])[A-Z0-9]{2,20}(?:-[A-Z0-9]{2,20}){0,3}(?![\p{L}\p{N}]|-[\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex IdTokenPattern();

    [GeneratedRegex(@"^(?:19|20)\d\d(?:-(?:19|20)\d\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YearRangePattern();

    [GeneratedRegex(@"(?<![\p{N}-])(?:19|20)?\d{6}[-+]\d{4}(?![\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex SwedishPersonalNumberPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y](?![\p{L}\p{N}])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FinnishPersonalNumberPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}.,])\d{10}(?![\p{L}\p{N}]|[.,]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TenDigitPattern();

    [GeneratedRegex(@"(?i:\b(?:born(?:\s+on|\s+in)?|date\s+of\s+birth|birth\s*date|d\.o\.b\.?|dob|née?(?:\s+le)?|date\s+de\s+naissance|nacid[oa](?:\s+el)?|fecha\s+de\s+nacimiento|geboren(?:\s+op)?|geboortedatum|född(?:\s+den)?|födelsedatum|syntynyt|syntymäaika|syntymäpäivä|роден[а]?(?:\s+на)?|дата\s+на\s+раждане|родил(?:ся|ась)|дата\s+рождения|geburtsdatum))(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex BirthKeywordPattern();

    /// <summary>Month names in the guard's languages, in any case.</summary>
    private const string Months = @"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|januari|februari|maart|mei|juni|juli|augustus|augusti|maj|oktober|(?:tammi|helmi|maalis|huhti|touko|kes[äa]|hein[äa]|elo|syys|loka|marras|joulu)kuu\p{L}*|януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември|январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])";

    [GeneratedRegex(@"(?<![\p{N}])(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?" + Months + @"(?:\s+de)?\s+\d{4}|" + Months + @"\s+\d{1,2},?\s+\d{4}|" + Months + @"\s+(?:of\s+|de\s+)?\d{4})(?![\p{N}])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})", RegexOptions.CultureInvariant)]
    private static partial Regex DatePrefixPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}+])(?:\+|\b00)[1-9]\d{0,2}(?:[ .\-/]?(?:\(\d{1,4}\)|\d{1,5})){1,6}(?![\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex InternationalPhonePattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}+.,/-])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})[ .\-/]?\d{2,5}(?:[ .\-]?\d{2,5}){0,3}(?![\p{N}]|[.,/-]\p{N})", RegexOptions.CultureInvariant)]
    private static partial Regex NationalPhonePattern();

    [GeneratedRegex(@"(?i:\b(?:tel|phone|telephone|t[ée]l[ée]phone|t[ée]l|tel[ée]fono|telefoon|telefon|telefonnummer|puhelin|puh|телефон|тел|mobile|m[óo]vil|mobiel|mobil|portable|gsm|cell)(?![\p{L}])\.?\s*(?:(?:n[or°]\.?|number|numéro|número|nummer|numero|номер)\s*)?:?\s*)(?<number>\+?\(?\d[\d ().\-/]{5,18}\d)(?![\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneKeywordPattern();

    [GeneratedRegex(@"(?i:help\s?line|hot\s?line|free\s?phone|toll[\s-]free|meldlijn|meldpunt|hulplijn|num[ée]ro\s+vert|ligne\s+d['’][ée]coute|l[íi]nea\s+(?:de\s+ayuda|gratuita)|hj[äa]lplinje|st[öo]dlinje|jourtelefon|auttava\s+puhelin|neuvonta|гореща\s+линия|телефон\s+доверия)", RegexOptions.CultureInvariant)]
    private static partial Regex HelplinePattern();

    [GeneratedRegex(@"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Mme|Mlle|Sr|Sra|Srta|Dña|Dhr|Mevr|Mw|Herr|Fru|Frk|Herra|Rouva|Neiti|Monsieur|Madame|Señor|Señora)\.?|\bM\.|(?<![\p{L}])(?:herr|fru|herra|rouva|doña|don|señora|señor|mevrouw|meneer|г-н|г-жа|г-ца|господин|госпожа))\s+(?<name>\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?(?:\s+(?:\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?|\p{Lu}\.)){0,2})", RegexOptions.CultureInvariant)]
    private static partial Regex TitleNamePattern();

    [GeneratedRegex(@"(?i:\b(?:victim|survivor|client|(?:the\s+)?case\s+of|(?:woman|man|girl|boy|child|person|worker|mother|father)\s+(?:named|called)|victime|survivante?|cliente?|le\s+cas\s+de|l['’]affaire|(?:femme|homme|fille|gar[çc]on|personne|jeune|enfant|m[èe]re|p[èe]re)\s+(?:nomm[ée]e?|appel[ée]e?|pr[ée]nomm[ée]e?)|v[íi]ctima|superviviente|sobreviviente|el\s+caso\s+de|(?:mujer|hombre|ni[ñn][ao]|chic[ao]|persona|joven|madre|padre)\s+(?:llamad[ao]|de\s+nombre)|slachtoffer|cli[ëe]nte?|de\s+zaak\s+van|het\s+geval\s+van|(?:vrouw|man|meisje|jongen|persoon|moeder|vader)\s+(?:genaamd|met\s+de\s+naam)|offret|brottsoffret|[öo]verlevaren|klienten|fallet\s+med|vid\s+namn|(?:kvinna|kvinnan|man|mannen|flicka|flickan|pojke|pojken|person|personen)\s+(?:som\s+heter|kallad)|(?<fi>uhri|selviytyj[äa]|asiakas)|nimelt[äa]|жертвата|жертва|пострадал(?:ата|ия)|оцеляла(?:та)?|клиент(?:ката)?|случаят\s+с|случая\s+с|на\s+име|по\s+имени))(?![\p{L}])[,:]?\s+(?<name>\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?(?:\s+(?:\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?|\p{Lu}\.)){0,2})", RegexOptions.CultureInvariant)]
    private static partial Regex CaseNamePattern();

    [GeneratedRegex(@"(?<![\p{L}])(?<name>\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?(?:\s+\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?)?),\s+(?i:(?:a|an|the|one|une|la|una|een|het|ett|en)\s+)?(?:\d{1,2}-year-old\s+)?(?i:(?:young\s+)?(?:woman|man|girl|boy)\s+)?(?i:victim|survivor|victime|v[íi]ctima|slachtoffer|offer|brottsoffer|uhri|жертва)(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex NameCasePattern();

    [GeneratedRegex(@"(?i:\b(?:in|at|from|to|near|en|à|a|dans|de|desde|op|bij|uit|i|på|från|vid|на|в|във|от)\s+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PrepositionBeforePattern();

    [GeneratedRegex(@"^\p{L}+(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|een|han|hin)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FinnishLocativePattern();

    [GeneratedRegex(@"\p{Lu}[\p{L}'’-]*", RegexOptions.CultureInvariant)]
    private static partial Regex NameWordPattern();

    [GeneratedRegex(@"(?<!\b(?:[Nn][or]|[Nn][úu]m|№))[.!?;](?:\s|$)|\n", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEndPattern();
}
