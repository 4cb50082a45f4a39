namespace NremNet.Directory.Members;

/// <summary>Why the membership rules refused a request; the API turns each kind into its status code.</summary>
internal enum MemberRefusalKind
{
    /// <summary>No member of that country is registered.</summary>
    NotFound,

    /// <summary>The member's current status does not allow the change (e.g. approving an active member, anything on a removed one).</summary>
    WrongStatus,
}

/// <summary>
/// A membership request the rules refuse, with a message a person can act on. Thrown inside the change's transaction,
/// so nothing of the request is stored; the API maps it to a status code (<c>DirectoryService</c>), the store and the
/// rules know nothing of gRPC.
/// </summary>
internal sealed class MemberRefusedException(MemberRefusalKind kind, string message) : Exception(message)
{
    /// <summary>Why the request was refused.</summary>
    public MemberRefusalKind Kind { get; } = kind;
}
