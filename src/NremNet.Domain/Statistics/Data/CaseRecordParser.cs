using System.Globalization;

namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// Turns rows of a case record file into <see cref="CaseRecord"/>s, reporting every bad value of a row, not just the
/// first. Codes are returned as the catalogue's own strings and exploitation lists are shared, so a million records
/// cost little more than their ids.
/// </summary>
internal sealed class CaseRecordParser
{
    private const string AllowedIdCharacters = "letters, digits, '.', '_', ':' and '-'";

    private static readonly CatalogueDimension Exploit = StatisticsCatalogue.Exploitation;

    // Every set of forms of exploitation, by the bit mask of their positions in the catalogue.
    private static readonly IReadOnlyList<string>[] ExploitationSets = BuildExploitationSets();

    private static readonly string ExploitationCodes = string.Join(", ", Exploit.Codes.Select(c => c.Id));

    private readonly Dictionary<string, long> _firstLineOfId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _ids;
    private readonly ProblemCollector _problems;
    private readonly string _home;
    private readonly int _currentYear;
    private readonly int _id;
    private readonly int _year;
    private readonly int _status;
    private readonly int _sex;
    private readonly int _age;
    private readonly int _citizenship;
    private readonly int _exploitation;
    private readonly int _assistance;
    private readonly int _residencePermit;
    private readonly int _referrals;
    private readonly List<string> _to = new(3);
    private readonly List<string> _from = new(3);

    public CaseRecordParser(CsvHeader header, string home, int currentYear, ProblemCollector problems)
    {
        _ids = _firstLineOfId.GetAlternateLookup<ReadOnlySpan<char>>();
        _problems = problems;
        _home = home;
        _currentYear = currentYear;
        _id = header.IndexOf(CaseRecordFile.RecordIdColumn);
        _year = header.IndexOf(CaseRecordFile.YearColumn);
        _status = header.IndexOf(CaseRecordFile.StatusColumn);
        _sex = header.IndexOf(CaseRecordFile.SexColumn);
        _age = header.IndexOf(CaseRecordFile.AgeColumn);
        _citizenship = header.IndexOf(CaseRecordFile.CitizenshipColumn);
        _exploitation = header.IndexOf(CaseRecordFile.ExploitationColumn);
        _assistance = header.IndexOf(CaseRecordFile.AssistanceColumn);
        _residencePermit = header.IndexOf(CaseRecordFile.ResidencePermitColumn);
        _referrals = header.IndexOf(CaseRecordFile.ReferralsColumn);
    }

    /// <summary>The shared list of the forms of exploitation whose catalogue positions are the bits of <paramref name="mask"/>.</summary>
    public static IReadOnlyList<string> ExploitationSet(int mask) => ExploitationSets[mask];

    /// <summary>The record of the reader's current row, or null when the row has problems (which are reported).</summary>
    public CaseRecord? Parse(CsvReader row)
    {
        var before = _problems.Count;
        var id = RecordId(row);
        var year = Year(row);
        var status = Status(row);
        var sex = Sex(row);
        var age = Age(row);
        var citizenship = Citizenship(row);
        var exploitation = Exploitation(row);
        var assisted = YesNo(row, _assistance, CaseRecordFile.AssistanceColumn);
        var permit = YesNo(row, _residencePermit, CaseRecordFile.ResidencePermitColumn);
        Referrals(row);
        if (_problems.Count != before)
        {
            return null;
        }

        return new CaseRecord(id!, year, status!, sex!, age, citizenship, exploitation!, assisted, permit, Sorted(_to), Sorted(_from));
    }

    private static IReadOnlyList<string> Sorted(List<string> countries)
    {
        if (countries.Count == 0)
        {
            return [];
        }

        var array = countries.ToArray();
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }

    private string? RecordId(CsvReader row)
    {
        var value = row[_id].Trim();
        var line = row.LineOf(_id);
        if (value.IsEmpty)
        {
            Problem(line, CaseRecordFile.RecordIdColumn, $"empty; every record needs an id of 1 to {CaseRecordFile.MaxRecordIdLength} {AllowedIdCharacters}");
            return null;
        }

        if (value.Length > CaseRecordFile.MaxRecordIdLength)
        {
            Problem(line, CaseRecordFile.RecordIdColumn, $"{CsvValues.Show(value)} has {value.Length} characters; an id has at most {CaseRecordFile.MaxRecordIdLength}");
            return null;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                Problem(line, CaseRecordFile.RecordIdColumn, $"{CsvValues.Show(value)} contains '{c}'; an id may contain only {AllowedIdCharacters}");
                return null;
            }
        }

        if (_ids.TryGetValue(value, out var first))
        {
            Problem(line, CaseRecordFile.RecordIdColumn, $"{CsvValues.Show(value)} is already the id of the record on line {first}; each record needs its own id");
            return null;
        }

        var id = value.ToString();
        _firstLineOfId.Add(id, line);
        return id;
    }

    private int Year(CsvReader row)
    {
        var problem = CsvValues.CheckYear(row[_year].Trim(), _currentYear, out var year);
        if (problem is not null)
        {
            Problem(row.LineOf(_year), CaseRecordFile.YearColumn, problem);
        }

        return year;
    }

    private string? Status(CsvReader row)
    {
        var value = row[_status].Trim();
        var code = CsvValues.FindCode(StatisticsCatalogue.IdentificationStatus, value);
        if (code is null)
        {
            var what = value.IsEmpty ? "empty" : $"{CsvValues.Show(value)} is not an identification status";
            Problem(row.LineOf(_status), CaseRecordFile.StatusColumn, $"{what}; expected IDENT (formally identified) or PRESUMED");
        }

        return code;
    }

    private string? Sex(CsvReader row)
    {
        var value = row[_sex].Trim();
        if (value.IsEmpty)
        {
            return StatisticsCatalogue.Unknown;
        }

        var code = CsvValues.FindCode(StatisticsCatalogue.Sex, value);
        if (code is null)
        {
            Problem(row.LineOf(_sex), CaseRecordFile.SexColumn, $"{CsvValues.Show(value)} is not a sex code; expected F, M, X (other) or UNK, or empty when not known");
        }

        return code;
    }

    private int? Age(CsvReader row)
    {
        var value = row[_age].Trim();
        if (value.IsEmpty || value.Equals(StatisticsCatalogue.Unknown, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var age) || age > CaseRecordFile.MaxAge)
        {
            Problem(row.LineOf(_age), CaseRecordFile.AgeColumn, $"{CsvValues.Show(value)} is not an age; expected a whole number of years from 0 to {CaseRecordFile.MaxAge}, or empty or UNK when not known");
            return null;
        }

        return age;
    }

    private string? Citizenship(CsvReader row)
    {
        var value = row[_citizenship].Trim();
        if (value.IsEmpty || value.Equals(StatisticsCatalogue.Unknown, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (value.Equals(CaseRecord.Stateless, StringComparison.OrdinalIgnoreCase))
        {
            return CaseRecord.Stateless;
        }

        var code = CsvValues.FindCountry(value);
        if (code is null)
        {
            Problem(row.LineOf(_citizenship), CaseRecordFile.CitizenshipColumn, $"{CsvValues.Show(value)} is not an ISO 3166-1 alpha-2 country code; expected a code such as NL or NG, XX for stateless, or empty when not known");
        }

        return code;
    }

    private IReadOnlyList<string>? Exploitation(CsvReader row)
    {
        var value = row[_exploitation].Trim();
        var line = row.LineOf(_exploitation);
        if (value.IsEmpty)
        {
            return ExploitationSets[1 << Exploit.IndexOf(StatisticsCatalogue.Unknown)];
        }

        var mask = 0;
        var ok = true;
        foreach (var range in value.Split(';'))
        {
            var part = value[range].Trim();
            var index = -1;
            var code = CsvValues.FindCode(Exploit, part);
            if (code is not null)
            {
                index = Exploit.IndexOf(code);
            }

            if (index < 0)
            {
                var what = part.IsEmpty ? $"{CsvValues.Show(value)} has an empty form" : $"{CsvValues.Show(part)} is not a form of exploitation";
                Problem(line, CaseRecordFile.ExploitationColumn, $"{what}; expected codes from {ExploitationCodes}, separated by ';'");
                ok = false;
            }
            else if ((mask & (1 << index)) != 0)
            {
                Problem(line, CaseRecordFile.ExploitationColumn, $"{code} is given twice in {CsvValues.Show(value)}; name each form once");
                ok = false;
            }
            else
            {
                mask |= 1 << index;
            }
        }

        var unknown = 1 << Exploit.IndexOf(StatisticsCatalogue.Unknown);
        if ((mask & unknown) != 0 && mask != unknown)
        {
            Problem(line, CaseRecordFile.ExploitationColumn, $"{CsvValues.Show(value)} combines UNK with known forms; UNK (no form known) must stand alone");
            ok = false;
        }

        return ok ? ExploitationSets[mask] : null;
    }

    private bool YesNo(CsvReader row, int field, string column)
    {
        var value = row[field].Trim();
        if (value.IsEmpty || value.Equals("no", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value is "0")
        {
            return false;
        }

        if (value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value is "1")
        {
            return true;
        }

        Problem(row.LineOf(field), column, $"{CsvValues.Show(value)} is not yes or no; expected yes, no, true, false, 1 or 0 (empty means no)");
        return false;
    }

    private void Referrals(CsvReader row)
    {
        _to.Clear();
        _from.Clear();
        var value = row[_referrals].Trim();
        if (value.IsEmpty)
        {
            return;
        }

        var line = row.LineOf(_referrals);
        var max = StatisticsCatalogue.CounterpartArea.MaxCodesPerUnit;
        bool toFull = false, fromFull = false;
        foreach (var range in value.Split(';'))
        {
            var part = value[range].Trim();
            var colon = part.IndexOf(':');
            ReadOnlySpan<char> direction = colon < 0 ? [] : part[..colon].Trim();
            var outgoing = direction.Equals("out", StringComparison.OrdinalIgnoreCase);
            if (colon < 0 || !(outgoing || direction.Equals("in", StringComparison.OrdinalIgnoreCase)))
            {
                var what = part.IsEmpty ? $"{CsvValues.Show(value)} has an empty referral" : $"{CsvValues.Show(part)} is not a referral";
                Problem(line, CaseRecordFile.ReferralsColumn, $"{what}; expected out:CC (referred to) or in:CC (referred from), CC an ISO 3166-1 alpha-2 code, separated by ';'");
                continue;
            }

            var country = part[(colon + 1)..].Trim();
            var code = CsvValues.FindCountry(country);
            if (code is null)
            {
                var why = country.Equals(CaseRecord.Stateless, StringComparison.OrdinalIgnoreCase)
                    ? "XX is not a country a person can be referred to or from"
                    : $"{CsvValues.Show(country)} is not an ISO 3166-1 alpha-2 country code";
                Problem(line, CaseRecordFile.ReferralsColumn, $"{CsvValues.Show(part)}: {why}; expected a code such as DE or NG");
                continue;
            }

            if (code == _home)
            {
                Problem(line, CaseRecordFile.ReferralsColumn, $"{CsvValues.Show(part)} names {_home}, the node's own country; a referral is with another country");
                continue;
            }

            var list = outgoing ? _to : _from;
            if (list.Contains(code))
            {
                Problem(line, CaseRecordFile.ReferralsColumn, $"{CsvValues.Show(part)} is given twice in {CsvValues.Show(value)}; name each country once per direction");
                continue;
            }

            if (list.Count == max)
            {
                // One problem per direction is enough to say what to fix.
                if (!(outgoing ? toFull : fromFull))
                {
                    Problem(line, CaseRecordFile.ReferralsColumn, $"{CsvValues.Show(value)} names more than {max} countries {(outgoing ? "referred to (out:)" : "referred from (in:)")}; at most {max} are recorded");
                }

                toFull |= outgoing;
                fromFull |= !outgoing;
                continue;
            }

            list.Add(code);
        }
    }

    private void Problem(long line, string column, string message) => _problems.Add(line, column, message);

    private static IReadOnlyList<string>[] BuildExploitationSets()
    {
        var count = Exploit.Codes.Count;
        var sets = new IReadOnlyList<string>[1 << count];
        for (var mask = 0; mask < sets.Length; mask++)
        {
            var codes = new List<string>();
            for (var i = 0; i < count; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    codes.Add(Exploit.Codes[i].Id);
                }
            }

            sets[mask] = codes.AsReadOnly();
        }

        return sets;
    }
}
