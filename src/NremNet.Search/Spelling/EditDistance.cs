namespace NremNet.Search.Spelling;

/// <summary>
/// The optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions, each substring edited
/// once), computed only as far as a limit: a typo is rarely further than two edits, and the band around the diagonal
/// plus stopping at the first row beyond the limit is what lets one query scan a large vocabulary.
/// </summary>
internal static class EditDistance
{
    /// <summary>The distance between <paramref name="a"/> and <paramref name="b"/>, or <paramref name="max"/> + 1 when it is larger than <paramref name="max"/>.</summary>
    public static int Bounded(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
    {
        var prefix = a.CommonPrefixLength(b);
        a = a[prefix..];
        b = b[prefix..];
        while (a.Length > 0 && b.Length > 0 && a[^1] == b[^1])
        {
            a = a[..^1];
            b = b[..^1];
        }

        if (a.Length > b.Length)
        {
            var shorter = b;
            b = a;
            a = shorter;
        }

        var n = a.Length;
        var m = b.Length;
        if (m - n > max)
        {
            return max + 1;
        }

        if (n == 0)
        {
            return m;
        }

        var tooFar = max + 1;
        Span<int> rows = m < 85 ? stackalloc int[3 * (m + 1)] : new int[3 * (m + 1)];
        var beforePrevious = rows[..(m + 1)];
        var previous = rows.Slice(m + 1, m + 1);
        var current = rows.Slice(2 * (m + 1), m + 1);
        for (var j = 0; j <= m; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= n; i++)
        {
            var from = Math.Max(1, i - max);
            var to = Math.Min(m, i + max);
            current[0] = i;
            current[from - 1] = from == 1 ? i : tooFar;
            var rowMin = from == 1 ? i : tooFar;
            for (var j = from; j <= to; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, beforePrevious[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (to < m)
            {
                current[to + 1] = tooFar;
            }

            if (rowMin > max)
            {
                return tooFar;
            }

            var recycled = beforePrevious;
            beforePrevious = previous;
            previous = current;
            current = recycled;
        }

        return Math.Min(previous[m], tooFar);
    }
}
