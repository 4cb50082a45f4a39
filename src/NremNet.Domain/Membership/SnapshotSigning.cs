using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Pki;

namespace NremNet.Domain.Membership;

/// <summary>How a signed snapshot fared under verification.</summary>
public enum SnapshotTrust
{
    /// <summary>Authentic and within its validity period.</summary>
    Valid,
    /// <summary>Authentic but past its expiry: it no longer vouches for anyone.</summary>
    Expired,
    /// <summary>Not authentic or not well-formed: it must be ignored.</summary>
    Invalid,
}

/// <summary>The verdict on a signed snapshot.</summary>
/// <param name="Trust">Whether it can be used.</param>
/// <param name="Snapshot">The snapshot, when authentic (valid or expired).</param>
/// <param name="Problem">Why it is expired or invalid, for logs and health.</param>
public sealed record SnapshotVerification(SnapshotTrust Trust, Snapshot? Snapshot, string Problem)
{
    internal static SnapshotVerification Invalid(string problem) => new(SnapshotTrust.Invalid, null, problem);
}

/// <summary>
/// Signs directory snapshots with the directory's key, and verifies them: the signature, that the signer's certificate
/// chains to the network CA and names the directory, and the validity period.
/// </summary>
public static class SnapshotSigning
{
    /// <summary>How far a signer's clock may run ahead of the verifier's.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Signs a snapshot with the directory certificate's private key.</summary>
    public static SignedSnapshot Sign(Snapshot snapshot, X509Certificate2 directoryCertificate)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(directoryCertificate);
        using var key = directoryCertificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The directory certificate has no ECDSA private key to sign snapshots with.");
        var bytes = snapshot.ToByteArray();
        return new SignedSnapshot
        {
            Snapshot = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            SignerThumbprint = NetworkIdentity.Thumbprint(directoryCertificate),
            SignerCertificate = ByteString.CopyFrom(directoryCertificate.RawData),
        };
    }

    /// <summary>Verifies a signed snapshot against the network CA at the given time.</summary>
    public static SnapshotVerification Verify(SignedSnapshot? signed, X509Certificate2 networkAuthority, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(networkAuthority);
        if (signed is null || signed.Snapshot.IsEmpty || signed.Signature.IsEmpty || signed.SignerCertificate.IsEmpty)
        {
            return SnapshotVerification.Invalid("the snapshot, its signature or its signer certificate is missing");
        }

        X509Certificate2 signer;
        try
        {
            signer = X509CertificateLoader.LoadCertificate(signed.SignerCertificate.ToByteArray());
        }
        catch (CryptographicException ex)
        {
            return SnapshotVerification.Invalid($"the signer certificate cannot be read: {ex.Message}");
        }

        using (signer)
        {
            if (!string.Equals(NetworkIdentity.Thumbprint(signer), signed.SignerThumbprint, StringComparison.OrdinalIgnoreCase))
            {
                return SnapshotVerification.Invalid("the signer thumbprint does not match the signer certificate");
            }

            if (NetworkIdentity.Read(signer).Role != NetworkRole.Directory)
            {
                return SnapshotVerification.Invalid($"the signer '{signer.Subject}' is not the directory");
            }

            if (!ChainsTo(signer, networkAuthority, now, out var chainProblem))
            {
                return SnapshotVerification.Invalid($"the signer certificate is not trusted: {chainProblem}");
            }

            using var key = signer.GetECDsaPublicKey();
            if (key is null || !key.VerifyData(signed.Snapshot.Span, signed.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return SnapshotVerification.Invalid("the signature does not match the snapshot: it was altered or signed by another key");
            }
        }

        Snapshot snapshot;
        try
        {
            snapshot = Snapshot.Parser.ParseFrom(signed.Snapshot);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return SnapshotVerification.Invalid($"the signed bytes are not a snapshot: {ex.Message}");
        }

        if (snapshot.IssuedAt is null || snapshot.ExpiresAt is null || snapshot.ExpiresAt.ToDateTimeOffset() <= snapshot.IssuedAt.ToDateTimeOffset())
        {
            return SnapshotVerification.Invalid("the snapshot has no valid issue and expiry times");
        }

        if (snapshot.IssuedAt.ToDateTimeOffset() > now + AllowedClockSkew)
        {
            return SnapshotVerification.Invalid($"the snapshot was issued in the future ({snapshot.IssuedAt.ToDateTimeOffset():u}); check the clocks");
        }

        return snapshot.ExpiresAt.ToDateTimeOffset() <= now
            ? new SnapshotVerification(SnapshotTrust.Expired, snapshot, $"snapshot {snapshot.Version} expired at {snapshot.ExpiresAt.ToDateTimeOffset():u}")
            : new SnapshotVerification(SnapshotTrust.Valid, snapshot, string.Empty);
    }

    /// <summary>Whether <paramref name="candidate"/> should replace <paramref name="held"/>: a later version, or the same one issued later.</summary>
    public static bool Supersedes(Snapshot candidate, Snapshot? held) =>
        held is null
        || candidate.Version > held.Version
        || (candidate.Version == held.Version && candidate.IssuedAt.ToDateTimeOffset() > held.IssuedAt.ToDateTimeOffset());

    /// <summary>Whether a certificate chains to the network CA and is valid at the given time.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 networkAuthority, DateTimeOffset now, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(networkAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(certificate))
        {
            problem = string.Empty;
            return true;
        }

        problem = string.Join("; ", chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => s.StatusInformation.Trim()));
        return false;
    }

    /// <summary>A timestamp for a snapshot field.</summary>
    public static Timestamp ToTimestamp(DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);
}
