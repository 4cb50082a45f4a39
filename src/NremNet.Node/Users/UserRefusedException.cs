namespace NremNet.Node.Users;

/// <summary>Why the account rules refuse a request; <see cref="UserRefusals"/> turns each kind into its status code.</summary>
internal enum UserRefusalKind
{
    /// <summary>The request is not acceptable as it is (a name, role, password or token lifetime).</summary>
    Invalid,

    /// <summary>An account of that name exists.</summary>
    AlreadyExists,

    /// <summary>No such account or token.</summary>
    NotFound,

    /// <summary>A login refused: wrong name or password, or the account is disabled or locked (which, the caller is not told).</summary>
    LoginRefused,
}

/// <summary>
/// A request the account rules refuse, with a message a person can act on, and for <see cref="UserRefusalKind.Invalid"/>
/// every field at fault (then the message names what was refused, e.g. "The new account"). Thrown inside the change's
/// transaction, it leaves nothing behind; the user API maps it to a status code in one place (<see cref="UserRefusals"/>).
/// </summary>
internal sealed class UserRefusedException(UserRefusalKind kind, string message, IReadOnlyList<(string Field, string Description)>? problems = null) : Exception(message)
{
    /// <summary>Why the request was refused.</summary>
    public UserRefusalKind Kind { get; } = kind;

    /// <summary>The fields at fault, each with what is wrong; empty unless fields were checked.</summary>
    public IReadOnlyList<(string Field, string Description)> Problems { get; } = problems ?? [];
}
