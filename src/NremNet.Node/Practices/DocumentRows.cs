using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;

namespace NremNet.Node.Practices;

/// <summary>A row of <c>doc_versions</c>: one stored version, in this node's feed.</summary>
internal sealed class VersionRow
{
    public long Sequence { get; init; }

    public string DocumentId { get; init; } = string.Empty;

    public int Version { get; init; }

    public string OwnerCountry { get; init; } = string.Empty;

    public int Kind { get; init; }

    public int State { get; init; }

    public DateTimeOffset SignedAt { get; init; }

    public string Reason { get; init; } = string.Empty;

    public string SubjectId { get; init; } = string.Empty;

    public string Digest { get; init; } = string.Empty;

    /// <summary>The SignedDocument; null once the document was erased (only the erasure keeps its own).</summary>
    public byte[]? Signed { get; init; }

    public DateTimeOffset StoredAt { get; init; }

    public string ReceivedFrom { get; init; } = string.Empty;

    /// <summary>The version as the user API shows it.</summary>
    public DocumentVersion ToProto(bool ownerInactive) => new()
    {
        DocumentId = DocumentId,
        OwnerCountry = OwnerCountry,
        Kind = (DocumentKind)Kind,
        Version = Version,
        State = (DocumentState)State,
        SignedAt = Timestamp.FromDateTimeOffset(SignedAt),
        Reason = Reason,
        StoredAt = Timestamp.FromDateTimeOffset(StoredAt),
        ReceivedFrom = ReceivedFrom,
        Digest = Digest,
        OwnerInactive = ownerInactive,
    };
}

/// <summary>A row of <c>documents</c>: where a document stands (its current version).</summary>
internal sealed class DocumentRow
{
    public string DocumentId { get; init; } = string.Empty;

    public string OwnerCountry { get; init; } = string.Empty;

    public int Kind { get; init; }

    public int Version { get; init; }

    public int State { get; init; }

    public string SubjectId { get; init; } = string.Empty;

    public string Title { get; init; } = string.Empty;

    public DateTimeOffset? Deadline { get; init; }

    public DateTimeOffset SignedAt { get; init; }
}

/// <summary>A row of <c>doc_peers</c>: how far this node has followed a peer's feed.</summary>
internal sealed class PeerFeedRow
{
    public string Country { get; init; } = string.Empty;

    public string Epoch { get; init; } = string.Empty;

    public long Cursor { get; init; }

    public long LatestKnown { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    public DateTimeOffset? LastAttempt { get; init; }

    public string LastError { get; init; } = string.Empty;

    public long Refused { get; init; }
}
