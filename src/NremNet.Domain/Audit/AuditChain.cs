using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NremNet.Domain.Audit;

/// <summary>One audit entry: who did what, to what, when, with what outcome.</summary>
/// <param name="Sequence">Position in the chain, from 1, without gaps.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Actor">Who: <c>user:&lt;name&gt;</c>, <c>peer:&lt;country&gt;</c>, <c>node</c> or <c>anonymous</c>.</param>
/// <param name="Action">What, e.g. <c>user.add</c>.</param>
/// <param name="Target">To what, e.g. a user name or a country.</param>
/// <param name="Outcome"><c>ok</c>, <c>denied</c> or <c>failed</c>.</param>
/// <param name="Details">Further facts as JSON; "{}" when none.</param>
public sealed record AuditRecord(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, string Outcome, string Details);

/// <summary>A stored entry with the hash stored next to it.</summary>
public sealed record StoredAuditEntry(AuditRecord Record, string Hash);

/// <summary>The chain's head as last recorded: sequence and hash, signed by the node's key.</summary>
public sealed record AuditHead(long Sequence, string Hash, byte[] Signature);

/// <summary>The verdict on an audit chain.</summary>
/// <param name="Intact">Whether every entry fits the chain and the head.</param>
/// <param name="EntriesChecked">How many entries were read.</param>
/// <param name="FirstBadSequence">The first entry that does not fit; 0 when intact.</param>
/// <param name="Problem">What is wrong, for a person.</param>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long FirstBadSequence, string Problem);

/// <summary>
/// The audit log's hash chain. Each entry's hash covers its fields and the previous entry's hash, so editing, inserting
/// or deleting an entry breaks every later link; the head (last sequence and hash) is signed with the node's key, so
/// rewriting the whole chain or cutting its tail is caught too.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("nremnet-audit-v1");

    /// <summary>The hash of an entry that follows an entry with hash <paramref name="previousHash"/>.</summary>
    public static string Hash(AuditRecord record, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Domain);
        Append(hash, previousHash);
        Append(hash, record.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(hash, record.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Append(hash, record.Actor);
        Append(hash, record.Action);
        Append(hash, record.Target);
        Append(hash, record.Outcome);
        Append(hash, record.Details);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The bytes a head signature covers.</summary>
    public static byte[] HeadBytes(long sequence, string hash) => Encoding.UTF8.GetBytes($"nremnet-audit-head-v1:{sequence}:{hash}");

    /// <summary>
    /// Checks entries in ascending order against the chain and the signed head. <paramref name="verifyHeadSignature"/>
    /// checks a head signature with the node's public key.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<StoredAuditEntry> ascending, AuditHead? head, Func<byte[], byte[], bool> verifyHeadSignature)
    {
        ArgumentNullException.ThrowIfNull(ascending);
        ArgumentNullException.ThrowIfNull(verifyHeadSignature);
        var previous = GenesisHash;
        long expected = 1;
        long checkedCount = 0;
        foreach (var entry in ascending)
        {
            checkedCount++;
            if (entry.Record.Sequence != expected)
            {
                return new AuditVerification(false, checkedCount, expected, entry.Record.Sequence > expected
                    ? $"entries {expected} to {entry.Record.Sequence - 1} are missing"
                    : $"entry {entry.Record.Sequence} appears where entry {expected} should be");
            }

            var computed = Hash(entry.Record, previous);
            if (!string.Equals(computed, entry.Hash, StringComparison.OrdinalIgnoreCase))
            {
                return new AuditVerification(false, checkedCount, expected, $"entry {expected} does not match its hash: it was changed, or an earlier entry was");
            }

            previous = entry.Hash;
            expected++;
        }

        var last = expected - 1;
        if (head is null)
        {
            return last == 0
                ? new AuditVerification(true, 0, 0, string.Empty)
                : new AuditVerification(false, checkedCount, last, "the log has entries but no signed head");
        }

        if (!verifyHeadSignature(HeadBytes(head.Sequence, head.Hash), head.Signature))
        {
            return new AuditVerification(false, checkedCount, Math.Max(1, head.Sequence), "the recorded head's signature is not the node's: the head was forged");
        }

        if (head.Sequence != last)
        {
            return new AuditVerification(false, checkedCount, Math.Min(head.Sequence, last) + 1, head.Sequence > last
                ? $"the signed head records {head.Sequence} entries but only {last} remain: entries were deleted from the end"
                : $"there are {last} entries but the signed head records {head.Sequence}: entries were added outside the log");
        }

        if (!string.Equals(head.Hash, previous, StringComparison.OrdinalIgnoreCase))
        {
            return new AuditVerification(false, checkedCount, last, "the chain does not end in the signed head's hash: it was rewritten");
        }

        return new AuditVerification(true, checkedCount, 0, string.Empty);
    }

    private static void Append(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? string.Empty);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
