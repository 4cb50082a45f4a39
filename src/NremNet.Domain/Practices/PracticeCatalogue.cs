using NremNet.Domain.Documents;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Practices;

/// <summary>
/// The code lists a practice is classified by, with texts for the console and the CLI. Search facets count by these
/// codes, so only listed codes are accepted. The evidence criteria and grade rules are in <see cref="EvidenceCatalogue"/>.
/// </summary>
public static class PracticeCatalogue
{
    /// <summary>The catalogue version.</summary>
    public const string Version = "2026.1";

    /// <summary>Thematic areas (the "4 P" of anti-trafficking policy, with data collection and monitoring).</summary>
    public static readonly IReadOnlyList<CatalogueCode> Themes =
    [
        new("prevention", "Prevention", "Reducing the risk of trafficking: awareness, demand reduction, safe recruitment, supply-chain due diligence, outreach to groups at risk."),
        new("protection", "Protection", "Identifying, referring, assisting and protecting victims: shelters, support, residence, compensation, safe return, reintegration."),
        new("prosecution", "Prosecution", "Investigating and prosecuting traffickers: specialised units, financial investigation, victim-friendly proceedings, non-punishment."),
        new("partnership", "Partnership", "Cooperation between authorities, civil society, business and other countries: referral mechanisms, joint teams, agreements."),
        new("data_collection", "Data collection", "Recording, collecting and publishing data on trafficking: registration, comparable indicators, research."),
        new("monitoring", "Monitoring", "Independent monitoring and evaluation of anti-trafficking policy by rapporteurs and equivalent mechanisms."),
    ];

    /// <summary>Forms of exploitation: the statistics catalogue's forms, without its unknown code.</summary>
    public static readonly IReadOnlyList<CatalogueCode> ExploitationForms =
        [.. StatisticsCatalogue.Exploitation.Codes.Where(c => !string.Equals(c.Id, StatisticsCatalogue.Unknown, StringComparison.Ordinal))];

    /// <summary>Groups a practice is meant for.</summary>
    public static readonly IReadOnlyList<CatalogueCode> TargetGroups =
    [
        new("victims", "Victims and survivors", "Presumed and identified victims of trafficking and survivors, without a narrower group."),
        new("children", "Children", "Persons under 18, including children in care and children on the move."),
        new("unaccompanied_children", "Unaccompanied children", "Children outside their country of origin without a parent or legal guardian."),
        new("women", "Women and girls", "Practices designed for women and girls."),
        new("men", "Men and boys", "Practices designed for men and boys."),
        new("migrants", "Migrants", "Migrants, including migrant workers and persons in an irregular situation."),
        new("asylum_seekers", "Asylum seekers and refugees", "Persons applying for or granted international protection, including persons in reception centres."),
        new("persons_with_disabilities", "Persons with disabilities", "Persons with physical, intellectual or psychosocial disabilities."),
        new("lgbtiq", "LGBTIQ persons", "Lesbian, gay, bisexual, transgender, intersex and queer persons."),
        new("ethnic_minorities", "Roma and other ethnic minorities", "Roma and other ethnic or national minorities at risk of discrimination and exploitation."),
        new("high_risk_workers", "Workers in high-risk sectors", "Workers in sectors with a high risk of labour exploitation: agriculture, construction, domestic work, cleaning, hospitality, transport, meat processing."),
        new("persons_in_prostitution", "Persons in prostitution", "Persons who sell sexual services, in any legal setting."),
        new("homeless_persons", "Homeless persons", "Persons without stable housing."),
        new("persons_with_dependencies", "Persons with substance dependencies", "Persons dependent on drugs or alcohol, whose dependency can be used to control them."),
        new("frontline_professionals", "Frontline professionals", "Police, labour inspectors, border guards, social, health and asylum workers, prosecutors and judges who may meet victims."),
        new("employers", "Employers and businesses", "Employers, recruiters and businesses, including their supply chains."),
        new("general_public", "General public", "The public at large, e.g. in awareness campaigns."),
    ];

    /// <summary>Who translated a translation, with the codes the file format uses.</summary>
    public static readonly IReadOnlyList<CatalogueCode> TranslationKinds =
    [
        new("HUMAN", "Human translation", "Translated or checked by a person."),
        new("MACHINE", "Machine translation", "Translated by a machine and not checked by a person; shown with a notice."),
    ];

    /// <summary>The ISO 639-1 language codes, two lower-case letters each.</summary>
    public static IReadOnlyList<string> Languages => LanguageCodes.All;

    /// <summary>Whether <paramref name="code"/> is an ISO 639-1 code, in lower case.</summary>
    public static bool IsLanguage(string? code) => LanguageCodes.IsValid(code);

    /// <summary>The codes of a list, comma-separated, for messages that name what is allowed.</summary>
    public static string Allowed(IEnumerable<CatalogueCode> codes) => string.Join(", ", codes.Select(c => c.Id));

    /// <summary>The code of <paramref name="kind"/> in files and messages, e.g. <c>HUMAN</c>.</summary>
    public static string Code(TranslationKind kind) => kind switch
    {
        TranslationKind.Human => "HUMAN",
        TranslationKind.Machine => "MACHINE",
        _ => "",
    };

    /// <summary>Reads a translation kind code, in any case.</summary>
    public static bool TryParseTranslationKind(string? code, out TranslationKind kind)
    {
        kind = code?.ToUpperInvariant() switch
        {
            "HUMAN" => TranslationKind.Human,
            "MACHINE" => TranslationKind.Machine,
            _ => TranslationKind.Unspecified,
        };
        return kind != TranslationKind.Unspecified;
    }
}
