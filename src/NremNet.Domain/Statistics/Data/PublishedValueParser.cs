namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// Turns rows of a published statistics file into <see cref="PublishedValue"/>s, reporting every bad value of a row.
/// </summary>
internal sealed class PublishedValueParser
{
    private static readonly string IndicatorIds = string.Join(", ", StatisticsCatalogue.Indicators.Select(i => i.Id));

    private readonly Dictionary<(string Indicator, int Year, string Cell), long> _firstLineOfCell = [];
    private readonly ProblemCollector _problems;
    private readonly int _currentYear;
    private readonly int _indicator;
    private readonly int _year;
    private readonly int _value;
    private readonly int _status;
    private readonly (CatalogueDimension Dimension, int Field)[] _dimensions;
    private readonly List<KeyValuePair<string, string>> _codes = [];

    public PublishedValueParser(CsvHeader header, int currentYear, ProblemCollector problems)
    {
        _problems = problems;
        _currentYear = currentYear;
        _indicator = header.IndexOf(PublishedStatisticsFile.IndicatorColumn);
        _year = header.IndexOf(PublishedStatisticsFile.TimePeriodColumn);
        _value = header.IndexOf(PublishedStatisticsFile.ValueColumn);
        _status = header.IndexOf(PublishedStatisticsFile.StatusColumn);
        _dimensions = [.. StatisticsCatalogue.Dimensions.Select(d => (d, header.IndexOf(d.Id))).Where(d => d.Item2 >= 0)];
    }

    /// <summary>The value of the reader's current row, or null when the row has problems (which are reported).</summary>
    public PublishedValue? Parse(CsvReader row)
    {
        var before = _problems.Count;
        var indicator = Indicator(row);
        var yearProblem = CsvValues.CheckYear(row[_year].Trim(), _currentYear, out var year);
        if (yearProblem is not null)
        {
            _problems.Add(row.LineOf(_year), PublishedStatisticsFile.TimePeriodColumn, yearProblem);
        }

        Codes(row, indicator);
        var (value, status) = Observation(row);
        if (_problems.Count != before)
        {
            return null;
        }

        var cell = CellCodes.Of(_codes);
        if (_firstLineOfCell.TryGetValue((indicator!.Id, year, cell.Key), out var first))
        {
            var where = cell.Count == 0 ? "the total" : cell.Key;
            _problems.Add(row.Line, string.Empty, $"{indicator.Id} {year} {where} is already given on line {first}; give each cell once");
            return null;
        }

        _firstLineOfCell.Add((indicator.Id, year, cell.Key), row.Line);
        return new PublishedValue(indicator.Id, year, cell, value, status!.Value);
    }

    private CatalogueIndicator? Indicator(CsvReader row)
    {
        var text = row[_indicator].Trim();
        foreach (var indicator in StatisticsCatalogue.Indicators)
        {
            if (text.Equals(indicator.Id, StringComparison.OrdinalIgnoreCase))
            {
                return indicator;
            }
        }

        var what = text.IsEmpty ? "empty" : $"{CsvValues.Show(text)} is not an indicator of catalogue {StatisticsCatalogue.Version}";
        _problems.Add(row.LineOf(_indicator), PublishedStatisticsFile.IndicatorColumn, $"{what}; expected one of {IndicatorIds}");
        return null;
    }

    private void Codes(CsvReader row, CatalogueIndicator? indicator)
    {
        _codes.Clear();
        foreach (var (dimension, field) in _dimensions)
        {
            var text = row[field].Trim();
            if (text.IsEmpty || text is StatisticsCatalogue.Total)
            {
                continue;
            }

            var line = row.LineOf(field);
            var code = CsvValues.FindCode(dimension, text);
            if (code is null)
            {
                var expected = ReferenceEquals(dimension, StatisticsCatalogue.CounterpartArea)
                    ? "an ISO 3166-1 alpha-2 country code"
                    : $"one of {string.Join(", ", dimension.Codes.Select(c => c.Id))}";
                _problems.Add(line, dimension.Id, $"{CsvValues.Show(text)} is not a code of {dimension.Id}; expected {expected}, or {StatisticsCatalogue.Total} for the total");
                continue;
            }

            if (indicator is not null && !indicator.HasDimension(dimension.Id))
            {
                _problems.Add(line, dimension.Id, $"{indicator.Id} is not broken down by {dimension.Id}, so the code must be {StatisticsCatalogue.Total}, not {code}; its dimensions are {string.Join(", ", indicator.Dimensions)}");
                continue;
            }

            _codes.Add(new(dimension.Id, code));
        }

        if (_codes.Count > StatisticsCatalogue.MaxBreakdownDimensions)
        {
            _problems.Add(
                row.Line,
                string.Empty,
                $"the row is broken down by {_codes.Count} dimensions ({string.Join(", ", _codes.Select(c => c.Key))}); at most {StatisticsCatalogue.MaxBreakdownDimensions} may be other than {StatisticsCatalogue.Total}");
        }
    }

    private (long? Value, ObservationStatus? Status) Observation(CsvReader row)
    {
        var valueText = row[_value].Trim();
        var statusText = row[_status].Trim();
        var valueLine = row.LineOf(_value);
        ObservationStatus status;
        if (statusText.IsEmpty)
        {
            if (valueText.IsEmpty)
            {
                _problems.Add(valueLine, PublishedStatisticsFile.ValueColumn, "empty, and OBS_STATUS is empty too; give a whole number, or leave it empty with OBS_STATUS O (missing) or Q (withheld)");
                return (null, null);
            }

            status = ObservationStatus.Normal;
        }
        else if (StatusCodes.ParseObservation(statusText.ToString().ToUpperInvariant()) is { } parsed)
        {
            status = parsed;
        }
        else
        {
            _problems.Add(row.LineOf(_status), PublishedStatisticsFile.StatusColumn, $"{CsvValues.Show(statusText)} is not an observation status; expected A (normal), E (estimated), P (provisional) with a value, or O (missing), Q (withheld) with an empty OBS_VALUE");
            return (null, null);
        }

        var code = status.Code();
        if (status is ObservationStatus.Missing or ObservationStatus.Withheld)
        {
            if (!valueText.IsEmpty)
            {
                var meaning = status == ObservationStatus.Missing ? "missing" : "withheld";
                _problems.Add(valueLine, PublishedStatisticsFile.ValueColumn, $"{CsvValues.Show(valueText)} is given, but OBS_STATUS {code} means the value is {meaning}; leave OBS_VALUE empty (an unknown value is never 0)");
                return (null, null);
            }

            return (null, status);
        }

        if (valueText.IsEmpty)
        {
            _problems.Add(valueLine, PublishedStatisticsFile.ValueColumn, $"empty, but OBS_STATUS {code} needs a value; give a whole number, or use O (missing) or Q (withheld)");
            return (null, null);
        }

        if (!CsvValues.TryParseCount(valueText, out var value))
        {
            _problems.Add(valueLine, PublishedStatisticsFile.ValueColumn, $"{CsvValues.Show(valueText)} is not a count; expected a whole number 0 or more, without separators");
            return (null, null);
        }

        return (value, status);
    }
}
