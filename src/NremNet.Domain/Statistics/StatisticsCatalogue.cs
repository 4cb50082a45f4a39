using System.Collections.Frozen;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Statistics;

/// <summary>A code of a dimension.</summary>
/// <param name="Id">The code, e.g. <c>F</c>; <c>_T</c> is the total.</param>
/// <param name="Label">A short label for a person.</param>
/// <param name="Definition">What it covers.</param>
public sealed record CatalogueCode(string Id, string Label, string Definition);

/// <summary>A dimension that indicators are broken down by.</summary>
/// <param name="Id">The SDMX dimension id, e.g. <c>SEX</c>.</param>
/// <param name="Label">A short label.</param>
/// <param name="Definition">What it classifies.</param>
/// <param name="Codes">Its codes, without the total <c>_T</c>.</param>
/// <param name="MultiValued">Whether one person can fall under several codes, so the codes do not add up to the total.</param>
/// <param name="ExclusiveCode">For a multi-valued dimension, the code that never goes with another (the unknown), if any.</param>
/// <param name="MaxCodesPerUnit">How many codes one person can carry at most (1 unless multi-valued).</param>
public sealed record CatalogueDimension(string Id, string Label, string Definition, IReadOnlyList<CatalogueCode> Codes, bool MultiValued, string? ExclusiveCode, int MaxCodesPerUnit)
{
    private readonly FrozenSet<string> _codeIds = Codes.Select(c => c.Id).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="code"/> is one of its codes; the total <c>_T</c> is not.</summary>
    public bool HasCode(string code) => _codeIds.Contains(code);

    /// <summary>The position of a code in <see cref="Codes"/>, or -1.</summary>
    public int IndexOf(string code)
    {
        for (var i = 0; i < Codes.Count; i++)
        {
            if (string.Equals(Codes[i].Id, code, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Which case records an indicator counts, when it can be computed from them.</summary>
public enum CaseBasis
{
    /// <summary>Every registered (presumed or identified) victim.</summary>
    RegisteredVictims,

    /// <summary>Victims who received assistance.</summary>
    AssistedVictims,

    /// <summary>Victims granted a residence permit.</summary>
    ResidencePermits,

    /// <summary>Victims referred to another country.</summary>
    ReferralsSent,

    /// <summary>Victims referred from another country.</summary>
    ReferralsReceived,
}

/// <summary>An indicator of the catalogue.</summary>
/// <param name="Id">The indicator id, e.g. <c>THB_VICT_REG</c>.</param>
/// <param name="Label">A short label.</param>
/// <param name="Definition">What is counted, and how.</param>
/// <param name="Unit">The unit of OBS_VALUE.</param>
/// <param name="Dimensions">The dimensions it may be broken down by, besides TIME_PERIOD, in catalogue order.</param>
/// <param name="Basis">Which case records it counts, or null when it only comes from published statistics.</param>
public sealed record CatalogueIndicator(string Id, string Label, string Definition, string Unit, IReadOnlyList<string> Dimensions, CaseBasis? Basis)
{
    /// <summary>
    /// Whether the indicator is public data — the resident population, say — that is released as the node published
    /// it: no suppression, perturbation or differential privacy applies to it, and it spends no privacy budget. Only
    /// indicators that never come from case records may be.
    /// </summary>
    public bool ExemptFromDisclosureControl { get; init; }

    /// <summary>Whether it may be broken down by <paramref name="dimension"/>.</summary>
    public bool HasDimension(string dimension) => Dimensions.Contains(dimension, StringComparer.Ordinal);
}

/// <summary>
/// The indicator catalogue shipped with the software: the EU comparable indicators on trafficking in human beings
/// (Directive 2011/36/EU, art. 19-20) with UNODC GLOTIP categories and the CTDC HTCDS case standard, in SDMX shape.
/// Only what is listed here can be asked for: no free filters.
/// </summary>
public static class StatisticsCatalogue
{
    /// <summary>The catalogue version.</summary>
    public const string Version = "2024.1";

    /// <summary>The code of a dimension's total.</summary>
    public const string Total = "_T";

    /// <summary>The time dimension: a calendar year.</summary>
    public const string TimePeriod = "TIME_PERIOD";

    /// <summary>How many dimensions besides TIME_PERIOD one query may break down by.</summary>
    public const int MaxBreakdownDimensions = 2;

    /// <summary>The first year figures may be given for.</summary>
    public const int FirstYear = 2000;

    /// <summary>The unknown code of the dimensions that have one.</summary>
    public const string Unknown = "UNK";

    /// <summary>Sex of the person.</summary>
    public static readonly CatalogueDimension Sex = new(
        "SEX",
        "Sex",
        "Sex of the person as recorded by the registering authority.",
        [
            new("F", "Female", "Women and girls."),
            new("M", "Male", "Men and boys."),
            new("X", "Other", "Persons recorded with a sex other than female or male."),
            new(Unknown, "Unknown", "Sex not recorded."),
        ],
        MultiValued: false,
        ExclusiveCode: null,
        MaxCodesPerUnit: 1);

    /// <summary>Age at identification.</summary>
    public static readonly CatalogueDimension Age = new(
        "AGE",
        "Age group",
        "Age of the person when identified (victims) or when the proceedings started (traffickers).",
        [
            new("Y_LT18", "Children (under 18)", "Persons under 18 years of age."),
            new("Y_GE18", "Adults (18 and over)", "Persons aged 18 years or more."),
            new(Unknown, "Unknown", "Age not recorded."),
        ],
        MultiValued: false,
        ExclusiveCode: null,
        MaxCodesPerUnit: 1);

    /// <summary>Citizenship group, relative to the reporting country.</summary>
    public static readonly CatalogueDimension CitizenGroup = new(
        "CITIZEN_GRP",
        "Citizenship group",
        "Citizenship of the person relative to the reporting country (REF_AREA).",
        [
            new("NAT", "Nationals", "Citizens of the reporting country."),
            new("EU_OTH", "Other EU citizens", "Citizens of another member state of the European Union."),
            new("NON_EU", "Non-EU citizens", "Citizens of a country outside the European Union, other than the reporting country, and stateless persons."),
            new(Unknown, "Unknown", "Citizenship not recorded."),
        ],
        MultiValued: false,
        ExclusiveCode: null,
        MaxCodesPerUnit: 1);

    /// <summary>Form of exploitation; one person may have suffered several.</summary>
    public static readonly CatalogueDimension Exploitation = new(
        "EXPLOIT",
        "Form of exploitation",
        "Form of exploitation (Directive 2011/36/EU art. 2(3), GLOTIP). A person exploited in several forms is counted under each, so the forms add up to more than the total; a person with no known form is counted under 'unknown' only.",
        [
            new("SEX", "Sexual exploitation", "Exploitation of the prostitution of others or other forms of sexual exploitation."),
            new("LAB", "Forced labour or services", "Forced or compulsory labour or services, including domestic servitude."),
            new("CRIM", "Forced criminal activities", "Exploitation of criminal activities, e.g. pickpocketing, shoplifting, drug cultivation."),
            new("BEG", "Forced begging", "Exploitation of begging."),
            new("MAR", "Forced or sham marriage", "Forced marriage or marriage of convenience for the purpose of exploitation."),
            new("ORG", "Organ removal", "Removal of organs."),
            new("OTH", "Other forms", "Other forms of exploitation, e.g. illegal adoption, surrogacy, benefit fraud."),
            new(Unknown, "Unknown", "No form of exploitation recorded; never combined with another form."),
        ],
        MultiValued: true,
        ExclusiveCode: Unknown,
        MaxCodesPerUnit: 7);

    /// <summary>Identification status of a victim.</summary>
    public static readonly CatalogueDimension IdentificationStatus = new(
        "ID_STATUS",
        "Identification status",
        "Whether the victim was formally identified or is a presumed victim (not or not yet formally identified).",
        [
            new("IDENT", "Identified", "Formally identified as a victim by the competent authority."),
            new("PRESUMED", "Presumed", "Presumed victim: indications of trafficking, not (yet) formally identified."),
        ],
        MultiValued: false,
        ExclusiveCode: null,
        MaxCodesPerUnit: 1);

    /// <summary>The partner country of a transnational referral.</summary>
    public static readonly CatalogueDimension CounterpartArea = new(
        "COUNTERPART_AREA",
        "Partner country",
        "The country a victim was referred to (referrals sent) or from (referrals received), ISO 3166-1 alpha-2. A person referred with several countries is counted under each.",
        Country.Every.Select(c => new CatalogueCode(c.Code, c.Name, $"Referrals with {c.Name}.")).ToList(),
        MultiValued: true,
        ExclusiveCode: null,
        MaxCodesPerUnit: 3);

    private const string PersonsUnit = "persons";

    /// <summary>Every dimension, in catalogue order.</summary>
    public static readonly IReadOnlyList<CatalogueDimension> Dimensions = [Sex, Age, CitizenGroup, Exploitation, IdentificationStatus, CounterpartArea];

    /// <summary>
    /// The resident population by sex and age group: public data that each node publishes as an ordinary table, the
    /// denominator of rates per 100,000 population. Exempt from disclosure control.
    /// </summary>
    public static readonly CatalogueIndicator Population = new(
        "POPULATION",
        "Resident population",
        "Usually resident population on 1 January of the year, by sex (female, male) and age group (under 18, 18 and over), as published by the national statistical office. Public data: released as published, without disclosure control; the denominator of rates per 100,000 population.",
        PersonsUnit,
        [Sex.Id, Age.Id],
        null)
    {
        ExemptFromDisclosureControl = true,
    };

    /// <summary>Every indicator, in catalogue order.</summary>
    public static readonly IReadOnlyList<CatalogueIndicator> Indicators =
    [
        new(
            "THB_VICT_REG",
            "Registered victims",
            "Presumed and identified victims of trafficking in human beings registered by the competent authorities in the year, counted once per person (Directive 2011/36/EU art. 19; EU comparable indicator 'registered victims').",
            PersonsUnit,
            [Sex.Id, Age.Id, CitizenGroup.Id, Exploitation.Id, IdentificationStatus.Id],
            CaseBasis.RegisteredVictims),
        new(
            "THB_VICT_ASSIST",
            "Victims assisted",
            "Registered victims of the year who received assistance and support (Directive 2011/36/EU art. 11): accommodation, material, medical, psychological, legal or other assistance.",
            PersonsUnit,
            [Sex.Id, Age.Id],
            CaseBasis.AssistedVictims),
        new(
            "THB_VICT_RESPERM",
            "Residence permits granted to victims",
            "Registered victims of the year who were granted a residence permit as victims of trafficking (Directive 2004/81/EC) or on other humanitarian grounds.",
            PersonsUnit,
            [Sex.Id, Age.Id],
            CaseBasis.ResidencePermits),
        new(
            "THB_SUSP",
            "Suspected traffickers",
            "Persons suspected of trafficking in human beings by the police in the year (EU comparable indicator 'suspected traffickers').",
            PersonsUnit,
            [Sex.Id, CitizenGroup.Id, Exploitation.Id],
            null),
        new(
            "THB_PROS",
            "Prosecuted traffickers",
            "Persons prosecuted for trafficking in human beings in the year (EU comparable indicator 'prosecuted traffickers').",
            PersonsUnit,
            [Sex.Id, CitizenGroup.Id, Exploitation.Id],
            null),
        new(
            "THB_CONV",
            "Convicted traffickers",
            "Persons convicted of trafficking in human beings at first instance in the year (EU comparable indicator 'convicted traffickers').",
            PersonsUnit,
            [Sex.Id, CitizenGroup.Id, Exploitation.Id],
            null),
        new(
            "THB_TRM_OUT",
            "Transnational referrals sent",
            "Registered victims of the year referred to another country for assistance, protection or return (transnational referral mechanism, TRM-EU).",
            PersonsUnit,
            [CounterpartArea.Id],
            CaseBasis.ReferralsSent),
        new(
            "THB_TRM_IN",
            "Transnational referrals received",
            "Registered victims of the year referred to the reporting country from another country (transnational referral mechanism, TRM-EU).",
            PersonsUnit,
            [CounterpartArea.Id],
            CaseBasis.ReferralsReceived),
        Population,
    ];

    private static readonly FrozenDictionary<string, CatalogueDimension> DimensionsById = Dimensions.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, CatalogueIndicator> IndicatorsById = Indicators.ToFrozenDictionary(i => i.Id, StringComparer.Ordinal);

    /// <summary>The indicator with this id (exact, upper case), or null.</summary>
    public static CatalogueIndicator? FindIndicator(string? id) => id is not null && IndicatorsById.TryGetValue(id, out var indicator) ? indicator : null;

    /// <summary>The dimension with this id (exact, upper case), or null.</summary>
    public static CatalogueDimension? FindDimension(string? id) => id is not null && DimensionsById.TryGetValue(id, out var dimension) ? dimension : null;

    /// <summary>The dimension with this id.</summary>
    /// <exception cref="ArgumentException">No dimension has that id.</exception>
    public static CatalogueDimension Dimension(string id) => FindDimension(id) ?? throw new ArgumentException($"'{id}' is not a dimension of catalogue {Version}.", nameof(id));

    /// <summary>The indicator with this id.</summary>
    /// <exception cref="ArgumentException">No indicator has that id.</exception>
    public static CatalogueIndicator Indicator(string id) => FindIndicator(id) ?? throw new ArgumentException($"'{id}' is not an indicator of catalogue {Version}.", nameof(id));

    /// <summary>The position of a dimension in catalogue order, which orders the dimensions of every cell key.</summary>
    public static int Order(string dimension)
    {
        for (var i = 0; i < Dimensions.Count; i++)
        {
            if (string.Equals(Dimensions[i].Id, dimension, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
