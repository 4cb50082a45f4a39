using NremNet.Domain.Countries;

namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// The shape of one country's synthetic data: how many victims a year, how they split by form of exploitation, age and
/// citizenship, and how many traffickers are suspected, prosecuted and convicted. Loosely after the orders of magnitude
/// of published national reports; no real figure is reproduced.
/// </summary>
internal sealed record SyntheticProfile
{
    /// <summary>The year <see cref="VictimsPerYear"/> is for; other years follow <see cref="Trend"/>.</summary>
    public const int ReferenceYear = 2019;

    // Share of women and girls among the victims of each form of exploitation (SEX, LAB, CRIM, BEG, MAR, ORG, OTH).
    private static readonly double[] FemaleByForm = [0.93, 0.32, 0.45, 0.55, 0.96, 0.35, 0.70];

    // How much more (or less) often than on average the victims of each form are children.
    private static readonly double[] MinorsByForm = [1.10, 0.60, 1.60, 1.80, 1.50, 0.50, 1.00];

    public required string Country { get; init; }

    /// <summary>Whether the country's node holds person-level case records, or only publishes tables.</summary>
    public required bool HoldsCases { get; init; }

    /// <summary>Registered victims in <see cref="ReferenceYear"/>.</summary>
    public required double VictimsPerYear { get; init; }

    /// <summary>Growth per year, e.g. 0.02 for 2 %.</summary>
    public double Trend { get; init; }

    /// <summary>Weights of the main form of exploitation: SEX, LAB, CRIM, BEG, MAR, ORG, OTH.</summary>
    public required double[] Exploitation { get; init; }

    public double MinorShare { get; init; } = 0.2;

    public required double NationalShare { get; init; }

    /// <summary>Share of citizens of another EU member state; the rest of the non-nationals are non-EU.</summary>
    public required double EuShare { get; init; }

    public IReadOnlyList<(string Code, double Weight)> EuCitizenships { get; init; } = [];

    public IReadOnlyList<(string Code, double Weight)> NonEuCitizenships { get; init; } = [];

    /// <summary>Countries victims are referred to and from.</summary>
    public IReadOnlyList<string> Partners { get; init; } = [];

    public double IdentifiedShare { get; init; } = 0.6;

    public double SuspectsPerVictim { get; init; } = 0.45;

    public double ProsecutedPerSuspect { get; init; } = 0.5;

    public double ConvictedPerProsecuted { get; init; } = 0.55;

    /// <summary>The first year the country publishes figures for, if it did not always.</summary>
    public int? FirstYear { get; init; }

    /// <summary>The last year the country publishes figures for, if it stopped.</summary>
    public int? LastYear { get; init; }

    /// <summary>A year whose figures are not known: every value is O (missing).</summary>
    public int? MissingYear { get; init; }

    /// <summary>Whether published cells from 1 to 4 are withheld (Q), as GLOTIP's "&lt;5".</summary>
    public bool WithholdsSmallCells { get; init; }

    /// <summary>Usually resident population on 1 January of <see cref="ReferenceYear"/>.</summary>
    public double Residents { get; init; } = 10_000_000;

    /// <summary>Population growth per year, e.g. 0.005 for 0.5 %.</summary>
    public double ResidentsGrowth { get; init; } = 0.004;

    /// <summary>Share of the residents under 18.</summary>
    public double ChildResidentsShare { get; init; } = 0.2;

    /// <summary>Share of women and girls among the residents.</summary>
    public double FemaleResidentsShare { get; init; } = 0.505;

    /// <summary>The expected resident population on 1 January of a year (by multiplication only, as the same everywhere).</summary>
    public double ExpectedResidents(int year)
    {
        var expected = Residents;
        for (var y = ReferenceYear; y < year; y++)
        {
            expected *= 1 + ResidentsGrowth;
        }

        for (var y = year; y < ReferenceYear; y++)
        {
            expected /= 1 + ResidentsGrowth;
        }

        return expected;
    }

    /// <summary>The share of women and girls among victims, from the mix of forms.</summary>
    public double FemaleShare
    {
        get
        {
            double female = 0, total = 0;
            for (var i = 0; i < Exploitation.Length; i++)
            {
                female += Exploitation[i] * FemaleByForm[i];
                total += Exploitation[i];
            }

            return female / total;
        }
    }

    /// <summary>The chance that a victim of the form at <paramref name="form"/> is female.</summary>
    public static double FemaleChance(int form) => FemaleByForm[form];

    /// <summary>The chance that a victim of the form at <paramref name="form"/> is a child.</summary>
    public double MinorChance(int form) => Math.Min(0.9, MinorShare * MinorsByForm[form]);

    /// <summary>Whether the country publishes figures for the year.</summary>
    public bool Covers(int year) => (FirstYear is null || year >= FirstYear) && (LastYear is null || year <= LastYear);

    /// <summary>The expected number of victims in a year: trend, and fewer during the pandemic.</summary>
    public double ExpectedVictims(int year)
    {
        var expected = VictimsPerYear;
        for (var y = ReferenceYear; y < year; y++)
        {
            expected *= 1 + Trend;
        }

        for (var y = year; y < ReferenceYear; y++)
        {
            expected /= 1 + Trend;
        }

        return year switch
        {
            2020 => expected * 0.85,
            2021 => expected * 0.93,
            _ => expected,
        };
    }

    /// <summary>The profile of a country.</summary>
    public static SyntheticProfile For(Country country) => country.Code switch
    {
        "NL" => Netherlands,
        "SE" => Sweden,
        "FI" => Finland,
        "BG" => Bulgaria,
        "NG" => Nigeria,
        "NP" => Nepal,
        "AR" => Argentina,
        _ => Generic(country.Code),
    };

    private static readonly SyntheticProfile Netherlands = new()
    {
        Country = "NL",
        Residents = 17_300_000,
        ResidentsGrowth = 0.006,
        ChildResidentsShare = 0.195,
        FemaleResidentsShare = 0.503,
        HoldsCases = true,
        VictimsPerYear = 1200,
        Trend = 0.02,
        Exploitation = [0.58, 0.28, 0.08, 0.02, 0.01, 0.002, 0.028],
        MinorShare = 0.2,
        NationalShare = 0.40,
        EuShare = 0.25,
        EuCitizenships = [("BG", 0.30), ("RO", 0.30), ("PL", 0.20), ("HU", 0.15), ("LT", 0.05)],
        NonEuCitizenships = [("NG", 0.20), ("UA", 0.15), ("MA", 0.12), ("SY", 0.10), ("ER", 0.10), ("UG", 0.08), ("CN", 0.08), ("VN", 0.07), ("BR", 0.05), ("SR", 0.05)],
        Partners = ["BG", "RO", "DE", "BE", "PL", "NG", "UA"],
        IdentifiedShare = 0.55,
        SuspectsPerVictim = 0.35,
        ProsecutedPerSuspect = 0.6,
        ConvictedPerProsecuted = 0.6,
    };

    private static readonly SyntheticProfile Sweden = new()
    {
        Country = "SE",
        Residents = 10_300_000,
        ResidentsGrowth = 0.008,
        ChildResidentsShare = 0.215,
        FemaleResidentsShare = 0.497,
        HoldsCases = true,
        VictimsPerYear = 350,
        Trend = 0.03,
        Exploitation = [0.30, 0.48, 0.10, 0.07, 0.02, 0.002, 0.028],
        MinorShare = 0.22,
        NationalShare = 0.12,
        EuShare = 0.30,
        EuCitizenships = [("RO", 0.40), ("BG", 0.25), ("PL", 0.15), ("LT", 0.10), ("HU", 0.10)],
        NonEuCitizenships = [("NG", 0.20), ("TH", 0.15), ("VN", 0.15), ("UA", 0.12), ("SY", 0.10), ("AF", 0.10), ("ER", 0.08), ("MA", 0.05), ("CN", 0.05)],
        Partners = ["NO", "FI", "DK", "DE", "RO", "NG"],
        IdentifiedShare = 0.5,
        SuspectsPerVictim = 0.4,
        ProsecutedPerSuspect = 0.35,
        ConvictedPerProsecuted = 0.6,
    };

    private static readonly SyntheticProfile Finland = new()
    {
        Country = "FI",
        Residents = 5_520_000,
        ResidentsGrowth = 0.002,
        ChildResidentsShare = 0.195,
        FemaleResidentsShare = 0.506,
        HoldsCases = true,
        VictimsPerYear = 250,
        Trend = 0.06,
        Exploitation = [0.25, 0.55, 0.10, 0.03, 0.04, 0.002, 0.028],
        MinorShare = 0.15,
        NationalShare = 0.15,
        EuShare = 0.18,
        EuCitizenships = [("EE", 0.40), ("RO", 0.30), ("BG", 0.20), ("LV", 0.10)],
        NonEuCitizenships = [("TH", 0.20), ("VN", 0.15), ("UA", 0.15), ("IQ", 0.10), ("NG", 0.10), ("CN", 0.10), ("RU", 0.10), ("AF", 0.05), ("PH", 0.05)],
        Partners = ["SE", "EE", "NO", "DE", "TH"],
        IdentifiedShare = 0.5,
        SuspectsPerVictim = 0.35,
        ProsecutedPerSuspect = 0.3,
        ConvictedPerProsecuted = 0.5,
    };

    private static readonly SyntheticProfile Bulgaria = new()
    {
        Country = "BG",
        Residents = 6_950_000,
        ResidentsGrowth = -0.008,
        ChildResidentsShare = 0.165,
        FemaleResidentsShare = 0.515,
        HoldsCases = true,
        VictimsPerYear = 320,
        Trend = -0.01,
        Exploitation = [0.72, 0.12, 0.04, 0.06, 0.04, 0.005, 0.015],
        MinorShare = 0.23,
        NationalShare = 0.92,
        EuShare = 0.02,
        EuCitizenships = [("RO", 0.5), ("GR", 0.5)],
        NonEuCitizenships = [("TR", 0.3), ("UA", 0.2), ("MK", 0.2), ("SY", 0.15), ("AF", 0.15)],
        Partners = ["DE", "NL", "GR", "FR", "IT", "ES", "AT"],
        IdentifiedShare = 0.7,
        SuspectsPerVictim = 0.5,
        ProsecutedPerSuspect = 0.4,
        ConvictedPerProsecuted = 0.6,
    };

    private static readonly SyntheticProfile Nigeria = new()
    {
        Country = "NG",
        Residents = 200_000_000,
        ResidentsGrowth = 0.025,
        ChildResidentsShare = 0.5,
        FemaleResidentsShare = 0.494,
        HoldsCases = false,
        VictimsPerYear = 1500,
        Trend = 0.03,
        Exploitation = [0.45, 0.40, 0.03, 0.06, 0.02, 0.004, 0.036],
        MinorShare = 0.3,
        NationalShare = 0.93,
        EuShare = 0.002,
        SuspectsPerVictim = 0.35,
        ProsecutedPerSuspect = 0.3,
        ConvictedPerProsecuted = 0.25,
        FirstYear = 2020,
        LastYear = 2024,
    };

    private static readonly SyntheticProfile Nepal = new()
    {
        Country = "NP",
        Residents = 29_000_000,
        ResidentsGrowth = 0.012,
        ChildResidentsShare = 0.36,
        FemaleResidentsShare = 0.51,
        HoldsCases = false,
        VictimsPerYear = 280,
        Trend = 0.02,
        Exploitation = [0.52, 0.43, 0.002, 0.01, 0.02, 0.01, 0.008],
        MinorShare = 0.25,
        NationalShare = 0.97,
        EuShare = 0.001,
        SuspectsPerVictim = 0.6,
        ProsecutedPerSuspect = 0.6,
        ConvictedPerProsecuted = 0.5,
        FirstYear = 2019,
        LastYear = 2024,
        MissingYear = 2024,
    };

    private static readonly SyntheticProfile Argentina = new()
    {
        Country = "AR",
        Residents = 44_900_000,
        ResidentsGrowth = 0.009,
        ChildResidentsShare = 0.28,
        FemaleResidentsShare = 0.512,
        HoldsCases = false,
        VictimsPerYear = 1100,
        Exploitation = [0.38, 0.55, 0.01, 0.01, 0.005, 0.002, 0.045],
        MinorShare = 0.12,
        NationalShare = 0.6,
        EuShare = 0.005,
        SuspectsPerVictim = 0.4,
        ProsecutedPerSuspect = 0.3,
        ConvictedPerProsecuted = 0.25,
        FirstYear = 2015,
        LastYear = 2024,
        WithholdsSmallCells = true,
    };

    private static SyntheticProfile Generic(string country) => new()
    {
        Country = country,
        HoldsCases = true,
        VictimsPerYear = 400,
        Trend = 0.01,
        Exploitation = [0.50, 0.32, 0.08, 0.04, 0.02, 0.003, 0.037],
        NationalShare = 0.5,
        EuShare = 0.2,
        EuCitizenships = Without(country, [("RO", 0.3), ("BG", 0.3), ("PL", 0.2), ("HU", 0.2)]),
        NonEuCitizenships = Without(country, [("NG", 0.25), ("UA", 0.2), ("VN", 0.2), ("CN", 0.15), ("BR", 0.2)]),
        Partners = [.. new[] { "DE", "FR", "NL", "IT", "ES", "RO" }.Where(p => p != country)],
    };

    private static (string Code, double Weight)[] Without(string country, (string Code, double Weight)[] citizenships) =>
        [.. citizenships.Where(c => c.Code != country)];
}
