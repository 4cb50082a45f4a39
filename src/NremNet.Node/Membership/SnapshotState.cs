using System.Collections.Frozen;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Membership;
using NremNet.Hosting.Certificates;

namespace NremNet.Node.Membership;

/// <summary>
/// The directory snapshot the node trusts: the newest authentic one it has seen, verified against the network CA and
/// cached on disk so the node keeps working while the directory is away — until the snapshot expires.
/// </summary>
internal sealed class SnapshotState(NetworkCredentials credentials, string cacheFile, TimeProvider time, ILogger<SnapshotState> logger)
{
    private readonly Lock _lock = new();
    private Held? _held;

    /// <summary>Raised after a newer snapshot is accepted.</summary>
    public event Action? Changed;

    /// <summary>The snapshot held, if any, whatever its expiry.</summary>
    public Snapshot? Current => _held?.Snapshot;

    /// <summary>The version held, 0 for none.</summary>
    public ulong Version => _held?.Snapshot.Version ?? 0;

    /// <summary>Whether the snapshot held vouches for members now, and why not.</summary>
    public (bool Trusted, string Reason) Trust
    {
        get
        {
            var held = _held;
            if (held is null)
            {
                return (false, "no directory snapshot yet: the node has not reached the directory since it was set up");
            }

            var expires = held.Snapshot.ExpiresAt.ToDateTimeOffset();
            return expires <= time.GetUtcNow()
                ? (false, $"directory snapshot {held.Snapshot.Version} expired at {expires:u}; no peer is trusted until a fresh one arrives")
                : (true, $"directory snapshot {held.Snapshot.Version} valid until {expires:u}");
        }
    }

    /// <summary>The active member for a country in the snapshot held, or null.</summary>
    public MemberApplication? Member(string country) => _held?.ByCountry.GetValueOrDefault(country);

    /// <summary>Verifies a snapshot and keeps it when it is authentic and newer than the one held.</summary>
    /// <returns>Whether it was taken, and why not.</returns>
    public (bool Accepted, string Problem) Offer(SignedSnapshot signed)
    {
        var verification = SnapshotSigning.Verify(signed, credentials.Authority, time.GetUtcNow());
        if (verification.Trust == SnapshotTrust.Invalid)
        {
            NodeLog.SnapshotRejected(logger, verification.Problem);
            return (false, verification.Problem);
        }

        lock (_lock)
        {
            if (!SnapshotSigning.Supersedes(verification.Snapshot!, _held?.Snapshot))
            {
                return (false, $"snapshot {verification.Snapshot!.Version} is not newer than the one held ({Version})");
            }

            _held = new Held(verification.Snapshot!);
            WriteCache(signed);
        }

        NodeLog.SnapshotAccepted(logger, verification.Snapshot!.Version, verification.Snapshot.Members.Count, verification.Snapshot.ExpiresAt.ToDateTimeOffset());
        Changed?.Invoke();
        return (true, verification.Trust == SnapshotTrust.Expired ? verification.Problem : string.Empty);
    }

    /// <summary>Loads the cached snapshot, if there is an authentic one.</summary>
    public void LoadCache()
    {
        if (!File.Exists(cacheFile))
        {
            return;
        }

        try
        {
            var (accepted, problem) = Offer(SignedSnapshot.Parser.ParseFrom(File.ReadAllBytes(cacheFile)));
            if (!accepted)
            {
                NodeLog.SnapshotCacheIgnored(logger, cacheFile, problem);
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            NodeLog.SnapshotCacheIgnored(logger, cacheFile, ex.Message);
        }
    }

    private void WriteCache(SignedSnapshot signed)
    {
        var temporary = cacheFile + ".tmp";
        File.WriteAllBytes(temporary, signed.ToByteArray());
        File.Move(temporary, cacheFile, overwrite: true);
    }

    private sealed class Held(Snapshot snapshot)
    {
        public Snapshot Snapshot { get; } = snapshot;

        public FrozenDictionary<string, MemberApplication> ByCountry { get; } = snapshot.Members.ToFrozenDictionary(m => m.Country, StringComparer.Ordinal);
    }
}
