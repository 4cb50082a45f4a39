using System.Globalization;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Statistics.Data;

/// <summary>Draws synthetic case records of one country from its profile, one year at a time.</summary>
internal sealed class SyntheticCases(SyntheticProfile profile, Country home, ulong seed)
{
    // Streams of a year's generator: how many records, then the records themselves.
    private const int CountStream = 1;
    private const int RecordStream = 2;

    private const double UnknownShare = 0.03;
    private const double MultipleFormsShare = 0.08;
    private const double ReferredOutShare = 0.02;
    private const double ReferredInShare = 0.01;

    private static readonly int UnknownForm = StatisticsCatalogue.Exploitation.IndexOf(StatisticsCatalogue.Unknown);

    /// <summary>How many records the year has when no total is asked for.</summary>
    public int Count(int year)
    {
        var random = SyntheticRandom.For(seed, year, CountStream);
        return (int)Math.Round(profile.ExpectedVictims(year) * random.Noise(0.06));
    }

    /// <summary>The first <paramref name="count"/> records of a year; the same records whatever the count.</summary>
    public IEnumerable<CaseRecord> Year(int year, int count)
    {
        var random = SyntheticRandom.For(seed, year, RecordStream);
        var prefix = $"SYN-{home.Code}-{year.ToString(CultureInfo.InvariantCulture)}-";
        for (var i = 1; i <= count; i++)
        {
            yield return Record(random, prefix + i.ToString("D6", CultureInfo.InvariantCulture), year);
        }
    }

    private CaseRecord Record(SyntheticRandom random, string id, int year)
    {
        var status = random.Chance(profile.IdentifiedShare) ? "IDENT" : "PRESUMED";

        var form = random.Pick(profile.Exploitation);
        int forms;
        if (random.Chance(UnknownShare))
        {
            forms = 1 << UnknownForm;
        }
        else
        {
            forms = 1 << form;
            if (random.Chance(MultipleFormsShare))
            {
                var other = random.Pick(profile.Exploitation);
                forms |= 1 << (other == form ? (form + 1) % UnknownForm : other);
            }
        }

        string sex = random.Chance(UnknownShare) ? StatisticsCatalogue.Unknown
            : random.Chance(0.004) ? "X"
            : random.Chance(SyntheticProfile.FemaleChance(form)) ? "F" : "M";

        var minor = random.Chance(profile.MinorChance(form));
        int? age = random.Chance(UnknownShare) ? null
            : minor ? random.Between(9, 17)
            : 18 + random.Next(7) + random.Next(9) + (random.Chance(0.5) ? random.Next(30) : 0);

        var citizenship = Citizenship(random);
        var national = citizenship == home.Code;
        var assisted = random.Chance(status == "IDENT" ? 0.8 : 0.55);
        var permit = citizenship is not null && !national && random.Chance(PermitChance(citizenship));

        IReadOnlyList<string> to = [], from = [];
        var referral = random.NextDouble();
        if (referral < ReferredOutShare)
        {
            var returning = citizenship is not null && !national && citizenship != CaseRecord.Stateless && random.Chance(0.6);
            to = Referrals(random, returning ? citizenship! : null);
        }
        else if (referral < ReferredOutShare + ReferredInShare)
        {
            from = Referrals(random, null);
        }

        return new CaseRecord(id, year, status, sex, age, citizenship, CaseRecordParser.ExploitationSet(forms), assisted, permit, to, from);
    }

    private string? Citizenship(SyntheticRandom random)
    {
        if (random.Chance(UnknownShare))
        {
            return null;
        }

        var draw = random.NextDouble();
        if (draw < profile.NationalShare)
        {
            return home.Code;
        }

        if (draw < profile.NationalShare + profile.EuShare && profile.EuCitizenships.Count > 0)
        {
            return random.Pick(profile.EuCitizenships);
        }

        return random.Chance(0.01) || profile.NonEuCitizenships.Count == 0 ? CaseRecord.Stateless : random.Pick(profile.NonEuCitizenships);
    }

    /// <summary>Citizens of the EU move freely in an EU country: there, mostly others get a residence permit.</summary>
    private double PermitChance(string citizenship) =>
        !home.IsEuMember ? 0.3
        : Country.Find(citizenship)?.IsEuMember == true ? 0.08
        : 0.42;

    private IReadOnlyList<string> Referrals(SyntheticRandom random, string? first)
    {
        var partners = profile.Partners;
        var countries = new List<string>(2) { first ?? partners[random.Next(partners.Count)] };
        if (random.Chance(0.1))
        {
            var second = partners[random.Next(partners.Count)];
            if (!countries.Contains(second))
            {
                countries.Add(second);
            }
        }

        countries.Sort(StringComparer.Ordinal);
        return countries;
    }
}
