namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// Draws the synthetic published statistics tables of one country from its profile, one year at a time. The tables
/// agree with each other: the breakdown of a single-valued dimension adds up to the total, the two-dimensional table
/// adds up to both of its one-dimensional tables, and no form of exploitation counts more people than the total.
/// </summary>
internal sealed class SyntheticTables(SyntheticProfile profile, ulong seed)
{
    // Streams of a year's generator, one per indicator, after the streams of the case records.
    private const int VictimStream = 100;
    private const int SuspectStream = 101;
    private const int ProsecutionStream = 102;
    private const int ConvictionStream = 103;
    private const int PopulationStream = 104;

    private const int SmallCell = 5;
    private const double UnknownShare = 0.03;

    private static readonly CatalogueDimension Sex = StatisticsCatalogue.Sex;
    private static readonly CatalogueDimension Age = StatisticsCatalogue.Age;
    private static readonly CatalogueDimension CitizenGroup = StatisticsCatalogue.CitizenGroup;
    private static readonly CatalogueDimension Exploit = StatisticsCatalogue.Exploitation;

    /// <summary>Adds the values of a year, if the country publishes that year.</summary>
    public void Year(int year, List<PublishedValue> values)
    {
        if (!profile.Covers(year))
        {
            return;
        }

        if (!profile.HoldsCases)
        {
            Victims(year, values);
        }

        Population(year, values);
        var suspects = profile.ExpectedVictims(year) * profile.SuspectsPerVictim;
        var prosecuted = suspects * profile.ProsecutedPerSuspect;
        Traffickers("THB_SUSP", year, suspects, SyntheticRandom.For(seed, year, SuspectStream), values);
        Traffickers("THB_PROS", year, prosecuted, SyntheticRandom.For(seed, year, ProsecutionStream), values);
        Traffickers("THB_CONV", year, prosecuted * profile.ConvictedPerProsecuted, SyntheticRandom.For(seed, year, ConvictionStream), values);
    }

    private void Victims(int year, List<PublishedValue> values)
    {
        const string indicator = "THB_VICT_REG";
        var random = SyntheticRandom.For(seed, year, VictimStream);
        var total = (long)Math.Round(profile.ExpectedVictims(year) * random.Noise(0.06));
        var female = profile.FemaleShare;
        var known = 1 - UnknownShare;
        var sex = SyntheticRandom.Split(total, Noisy(random, [female * (known - 0.004), (1 - female) * (known - 0.004), 0.004, UnknownShare]));
        var sexByAge = new long[sex.Length][];
        var age = new long[Age.Codes.Count];
        for (var s = 0; s < sex.Length; s++)
        {
            sexByAge[s] = SyntheticRandom.Split(sex[s], Noisy(random, [profile.MinorShare * known, (1 - profile.MinorShare) * known, UnknownShare]));
            for (var a = 0; a < age.Length; a++)
            {
                age[a] += sexByAge[s][a];
            }
        }

        var citizens = SyntheticRandom.Split(total, Noisy(random, [profile.NationalShare * known, profile.EuShare * known, (1 - profile.NationalShare - profile.EuShare) * known, UnknownShare]));
        var exploitation = Exploitation(random, total, UnknownShare, 0.08);

        Add(values, indicator, year, CellCodes.Total, total);
        AddTable(values, indicator, year, Sex, sex);
        AddTable(values, indicator, year, Age, age);
        AddTable(values, indicator, year, CitizenGroup, citizens);
        AddTable(values, indicator, year, Exploit, exploitation);
        for (var s = 0; s < sex.Length; s++)
        {
            for (var a = 0; a < age.Length; a++)
            {
                Add(values, indicator, year, CellCodes.Of((Sex.Id, Sex.Codes[s].Id), (Age.Id, Age.Codes[a].Id)), sexByAge[s][a]);
            }
        }
    }

    /// <summary>
    /// The resident population by sex (F, M) and age group (under 18, 18 and over), from its own stream so the other
    /// tables are the same with or without it. Public data: published as it is, never withheld or missing.
    /// </summary>
    private void Population(int year, List<PublishedValue> values)
    {
        var indicator = StatisticsCatalogue.Population;
        var random = SyntheticRandom.For(seed, year, PopulationStream);
        var total = (long)Math.Round(profile.ExpectedResidents(year) * random.Noise(0.002));
        var female = profile.FemaleResidentsShare * random.Noise(0.002);
        var sex = SyntheticRandom.Split(total, [female, 1 - female]);
        var sexByAge = new long[2][];
        for (var s = 0; s < sex.Length; s++)
        {
            // Slightly more boys than girls are born, so children are a little more of the men than of the women.
            var children = profile.ChildResidentsShare * (s == 0 ? 0.97 : 1.03) * random.Noise(0.01);
            sexByAge[s] = SyntheticRandom.Split(sex[s], [children, 1 - children]);
        }

        long[] age = [sexByAge[0][0] + sexByAge[1][0], sexByAge[0][1] + sexByAge[1][1]];
        string[] sexCodes = ["F", "M"];
        string[] ageCodes = ["Y_LT18", "Y_GE18"];
        values.Add(new PublishedValue(indicator.Id, year, CellCodes.Total, total, ObservationStatus.Normal));
        for (var s = 0; s < sexCodes.Length; s++)
        {
            values.Add(new PublishedValue(indicator.Id, year, CellCodes.Of((Sex.Id, sexCodes[s])), sex[s], ObservationStatus.Normal));
        }

        for (var a = 0; a < ageCodes.Length; a++)
        {
            values.Add(new PublishedValue(indicator.Id, year, CellCodes.Of((Age.Id, ageCodes[a])), age[a], ObservationStatus.Normal));
        }

        for (var s = 0; s < sexCodes.Length; s++)
        {
            for (var a = 0; a < ageCodes.Length; a++)
            {
                values.Add(new PublishedValue(indicator.Id, year, CellCodes.Of((Sex.Id, sexCodes[s]), (Age.Id, ageCodes[a])), sexByAge[s][a], ObservationStatus.Normal));
            }
        }
    }

    private void Traffickers(string indicator, int year, double expected, SyntheticRandom random, List<PublishedValue> values)
    {
        var total = (long)Math.Round(expected * random.Noise(0.1));
        var sex = SyntheticRandom.Split(total, Noisy(random, [0.25, 0.71, 0, 0.04]));
        var nationals = Math.Min(0.95, profile.NationalShare + 0.2);
        var eu = profile.EuShare * 0.6;
        var citizens = SyntheticRandom.Split(total, Noisy(random, [nationals, eu, Math.Max(0, 1 - nationals - eu), 0.04]));
        var exploitation = Exploitation(random, total, 0.04, 0.05);

        Add(values, indicator, year, CellCodes.Total, total);
        AddTable(values, indicator, year, Sex, sex);
        AddTable(values, indicator, year, CitizenGroup, citizens);
        AddTable(values, indicator, year, Exploit, exploitation);
    }

    /// <summary>
    /// People by form of exploitation: each known person under a main form, some also under a second one; the unknown
    /// under UNK only.
    /// </summary>
    private long[] Exploitation(SyntheticRandom random, long total, double unknownShare, double multipleShare)
    {
        var unknown = Math.Min(total, (long)Math.Round(total * unknownShare * random.Noise(0.3)));
        var known = total - unknown;
        var forms = SyntheticRandom.Split(known, Noisy(random, profile.Exploitation));
        var extra = (long)Math.Round(known * multipleShare * random.Noise(0.3));
        for (var i = 0; i < extra; i++)
        {
            var form = random.Pick(profile.Exploitation);
            if (forms[form] < known)
            {
                forms[form]++;
            }
        }

        return [.. forms, unknown];
    }

    private static double[] Noisy(SyntheticRandom random, ReadOnlySpan<double> weights)
    {
        var noisy = new double[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            noisy[i] = weights[i] * random.Noise(0.15);
        }

        return noisy;
    }

    private void AddTable(List<PublishedValue> values, string indicator, int year, CatalogueDimension dimension, long[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            Add(values, indicator, year, CellCodes.Of((dimension.Id, dimension.Codes[i].Id)), counts[i]);
        }
    }

    private void Add(List<PublishedValue> values, string indicator, int year, CellCodes cell, long count)
    {
        if (year == profile.MissingYear)
        {
            values.Add(new PublishedValue(indicator, year, cell, null, ObservationStatus.Missing));
        }
        else if (profile.WithholdsSmallCells && cell.Count > 0 && count is > 0 and < SmallCell)
        {
            values.Add(new PublishedValue(indicator, year, cell, null, ObservationStatus.Withheld));
        }
        else
        {
            values.Add(new PublishedValue(indicator, year, cell, count, ObservationStatus.Normal));
        }
    }
}
