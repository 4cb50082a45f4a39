namespace NremNet.Domain.Statistics.Data;

/// <summary>Counts every problem of a file and keeps the first so many, so a file full of errors cannot fill memory.</summary>
internal sealed class ProblemCollector
{
    private readonly List<DataProblem> _kept = [];
    private readonly int _max;

    public ProblemCollector(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        _max = max;
    }

    /// <summary>How many problems were found, kept or not.</summary>
    public int Count { get; private set; }

    /// <summary>The problems kept, in the order they were found.</summary>
    public IReadOnlyList<DataProblem> Kept => _kept;

    public void Add(long line, string column, string message)
    {
        Count++;
        if (_kept.Count < _max)
        {
            _kept.Add(new DataProblem(line, column, message));
        }
    }
}
