namespace NremNet.Node.Statistics;

/// <summary>Why the statistics rules refuse a request; <see cref="StatisticsRefusals"/> turns each kind into its status code.</summary>
internal enum StatisticsRefusalKind
{
    /// <summary>The query, agreement or import is not acceptable as it is.</summary>
    Invalid,

    /// <summary>The query asks for another catalogue than this node answers from.</summary>
    OtherCatalogue,

    /// <summary>The asker's, or the node's, privacy budget for the year is spent.</summary>
    BudgetSpent,
}

/// <summary>
/// A request the statistics rules refuse, with a message a person can act on, and for <see cref="StatisticsRefusalKind.Invalid"/>
/// every field at fault (then the message names what was refused, e.g. "The query"). Thrown inside a change's
/// transaction, it leaves nothing behind; the services map it to a status code in one place (<see cref="StatisticsRefusals"/>).
/// </summary>
internal sealed class StatisticsRefusedException(StatisticsRefusalKind kind, string message, IReadOnlyList<(string Field, string Description)>? problems = null) : Exception(message)
{
    /// <summary>Why the request was refused.</summary>
    public StatisticsRefusalKind Kind { get; } = kind;

    /// <summary>The fields at fault, each with what is wrong; empty unless fields were checked.</summary>
    public IReadOnlyList<(string Field, string Description)> Problems { get; } = problems ?? [];
}
