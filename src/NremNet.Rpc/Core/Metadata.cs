using System.Collections;
using System.Text;

namespace NremNet.Rpc;

/// <summary>
/// Custom metadata of a call: ASCII entries, and binary entries whose keys end in <c>-bin</c>.
/// Keys are case-insensitive and stored in lower case.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>, IReadOnlyList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary key.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new Metadata().Freeze();

    private readonly List<Entry> _entries;
    private bool _readOnly;

    /// <summary>Creates an empty, writable instance.</summary>
    public Metadata()
    {
        _entries = [];
    }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether the instance can no longer change.</summary>
    public bool IsReadOnly => _readOnly;

    /// <inheritdoc />
    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            ThrowIfReadOnly();
            ArgumentNullException.ThrowIfNull(value);
            _entries[index] = value;
        }
    }

    /// <summary>Adds an ASCII entry.</summary>
    public void Add(string key, string value) => Add(new Entry(key, value));

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    /// <inheritdoc />
    public void Add(Entry item)
    {
        ThrowIfReadOnly();
        ArgumentNullException.ThrowIfNull(item);
        _entries.Add(item);
    }

    /// <summary>The last entry with the key, or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    /// <summary>Every entry with the key, in order.</summary>
    public IEnumerable<Entry> GetAll(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                yield return entry;
            }
        }
    }

    /// <summary>The value of the last ASCII entry with the key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The value of the last binary entry with the key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <inheritdoc />
    public void Clear()
    {
        ThrowIfReadOnly();
        _entries.Clear();
    }

    /// <inheritdoc />
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc />
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, Entry item)
    {
        ThrowIfReadOnly();
        ArgumentNullException.ThrowIfNull(item);
        _entries.Insert(index, item);
    }

    /// <inheritdoc />
    public bool Remove(Entry item)
    {
        ThrowIfReadOnly();
        return _entries.Remove(item);
    }

    /// <inheritdoc />
    public void RemoveAt(int index)
    {
        ThrowIfReadOnly();
        _entries.RemoveAt(index);
    }

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Makes the instance read-only and returns it.</summary>
    public Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < _entries.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(_entries[i]);
        }

        return builder.Append(']').ToString();
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This metadata is read-only.");
        }
    }

    /// <summary>Whether a key names a binary entry.</summary>
    public static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>One metadata entry.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates an ASCII entry. The key may not end in <c>-bin</c>; the value must be printable ASCII.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(value);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{Key}' ends in '-bin', so its value must be bytes, not a string.", nameof(key));
            }

            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] is < ' ' or > '~')
                {
                    throw new ArgumentException($"Metadata value for '{Key}' has a character outside printable ASCII at position {i}; use a '-bin' key for arbitrary bytes.", nameof(value));
                }
            }

            _value = value;
        }

        /// <summary>Creates a binary entry. The key must end in <c>-bin</c>.</summary>
        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(valueBytes);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{Key}' holds bytes, so it must end in '-bin'.", nameof(key));
            }

            _valueBytes = valueBytes;
        }

        private Entry(string key, string? value, byte[]? valueBytes)
        {
            Key = key;
            _value = value;
            _valueBytes = valueBytes;
        }

        /// <summary>The key, in lower case.</summary>
        public string Key { get; }

        /// <summary>Whether this is a binary entry.</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <summary>The ASCII value. Throws for a binary entry.</summary>
        public string Value => _value ?? throw new InvalidOperationException($"Metadata entry '{Key}' is binary; read ValueBytes.");

        /// <summary>The binary value; for an ASCII entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        /// <summary>An entry received from the wire: the value is kept as it came, whatever its characters.</summary>
        internal static Entry FromWire(string key, string value) => new(key, value, null);

        /// <summary>A binary entry received from the wire.</summary>
        internal static Entry FromWire(string key, byte[] valueBytes) => new(key, null, valueBytes);

        /// <inheritdoc />
        public override string ToString() => IsBinary ? $"{Key}: {Convert.ToBase64String(_valueBytes!)}" : $"{Key}: {_value}";

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var normalized = key.ToLowerInvariant();
            foreach (var c in normalized)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' has the character '{c}'; keys may contain only 0-9, a-z, '-', '_' and '.'.", nameof(key));
                }
            }

            return normalized;
        }
    }
}
