using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Membership;

namespace NremNet.Directory.Snapshots;

/// <summary>A snapshot as the directory signed it, with its content at hand.</summary>
internal sealed record PublishedSnapshot(Snapshot Snapshot, SignedSnapshot Signed)
{
    public ulong Version => Snapshot.Version;

    public DateTimeOffset IssuedAt => Snapshot.IssuedAt.ToDateTimeOffset();

    public DateTimeOffset ExpiresAt => Snapshot.ExpiresAt.ToDateTimeOffset();

    /// <summary>Whether this one should replace <paramref name="held"/>: a later version, or the same one signed later.</summary>
    public bool Supersedes(PublishedSnapshot? held) => SnapshotSigning.Supersedes(Snapshot, held?.Snapshot);
}
