namespace NremNet.Domain.Statistics;

/// <summary>
/// The codes that place a cell within a year's table of an indicator: one code per broken-down dimension, in catalogue
/// order; a dimension not named is at its total <c>_T</c>. Written as <c>SEX=F;EXPLOIT=LAB</c>, the empty text being the
/// grand total. Equal codes give equal text, so the text is the cell's key in storage.
/// </summary>
public sealed class CellCodes : IEquatable<CellCodes>, IComparable<CellCodes>
{
    private readonly KeyValuePair<string, string>[] _codes;

    private CellCodes(KeyValuePair<string, string>[] codes)
    {
        _codes = codes;
        Key = string.Join(';', codes.Select(c => $"{c.Key}={c.Value}"));
        Signature = string.Join(';', codes.Select(c => c.Key));
    }

    /// <summary>The grand total.</summary>
    public static CellCodes Total { get; } = new([]);

    /// <summary>The codes, dimension first, in catalogue order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Codes => _codes;

    /// <summary>The canonical text, e.g. <c>SEX=F;EXPLOIT=LAB</c>.</summary>
    public string Key { get; }

    /// <summary>The broken-down dimensions, e.g. <c>SEX;EXPLOIT</c>: which table the cell belongs to.</summary>
    public string Signature { get; }

    /// <summary>How many dimensions are broken down.</summary>
    public int Count => _codes.Length;

    /// <summary>
    /// Cell codes from dimension and code pairs; totals are dropped.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is not in the catalogue, is named twice, or a code is not one of its codes.</exception>
    public static CellCodes Of(IEnumerable<KeyValuePair<string, string>> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (dimension, code) in codes)
        {
            var definition = StatisticsCatalogue.FindDimension(dimension)
                ?? throw new ArgumentException($"'{dimension}' is not a dimension of catalogue {StatisticsCatalogue.Version}.", nameof(codes));
            if (list.Exists(c => c.Key == dimension))
            {
                throw new ArgumentException($"Dimension {dimension} is named twice.", nameof(codes));
            }

            if (code == StatisticsCatalogue.Total)
            {
                continue;
            }

            if (!definition.HasCode(code))
            {
                throw new ArgumentException($"'{code}' is not a code of {dimension}.", nameof(codes));
            }

            list.Add(new(dimension, code));
        }

        return list.Count == 0 ? Total : new([.. list.OrderBy(c => StatisticsCatalogue.Order(c.Key))]);
    }

    /// <summary>Cell codes from pairs written as <c>("SEX", "F")</c>.</summary>
    public static CellCodes Of(params (string Dimension, string Code)[] codes) =>
        Of(codes.Select(c => new KeyValuePair<string, string>(c.Dimension, c.Code)));

    /// <summary>Reads the canonical text.</summary>
    /// <exception cref="FormatException">The text is not canonical cell codes.</exception>
    public static CellCodes Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return Total;
        }

        try
        {
            var parsed = Of(key.Split(';').Select(part =>
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                return equals <= 0 ? throw new FormatException($"'{part}' is not DIMENSION=CODE.") : new KeyValuePair<string, string>(part[..equals], part[(equals + 1)..]);
            }));
            return parsed.Key == key ? parsed : throw new FormatException($"'{key}' is not in canonical order ('{parsed.Key}').");
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>The code of a dimension, <c>_T</c> when it is not broken down.</summary>
    public string CodeOf(string dimension)
    {
        foreach (var (d, code) in _codes)
        {
            if (d == dimension)
            {
                return code;
            }
        }

        return StatisticsCatalogue.Total;
    }

    /// <summary>Whether the dimension is broken down.</summary>
    public bool Has(string dimension) => Array.Exists(_codes, c => c.Key == dimension);

    /// <summary>The same cell with one dimension at its total: the parent cell it adds up to.</summary>
    public CellCodes Without(string dimension) => Has(dimension) ? new([.. _codes.Where(c => c.Key != dimension)]) : this;

    /// <summary>The same cell broken down further by one more dimension.</summary>
    public CellCodes With(string dimension, string code) =>
        Of(_codes.Where(c => c.Key != dimension).Append(new(dimension, code)));

    /// <inheritdoc />
    public bool Equals(CellCodes? other) => other is not null && other.Key == Key;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CellCodes other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public int CompareTo(CellCodes? other) => other is null ? 1 : string.CompareOrdinal(Key, other.Key);

    /// <inheritdoc />
    public override string ToString() => Key.Length == 0 ? "(total)" : Key;
}
