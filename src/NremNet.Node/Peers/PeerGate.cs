using System.Security.Cryptography.X509Certificates;
using NremNet.Domain.Pki;
using NremNet.Node.Membership;

namespace NremNet.Node.Peers;

/// <summary>The decision on a caller of the peer API.</summary>
/// <param name="Allowed">Whether it may call.</param>
/// <param name="Country">The country its certificate names, if any: refused without one, the caller is not identified; with one, not admitted.</param>
/// <param name="Reason">Why, for the caller and the audit log.</param>
internal sealed record PeerDecision(bool Allowed, string? Country, string Reason);

/// <summary>
/// Decides who may call the peer API. The TLS layer has already checked that the certificate chains to the network CA;
/// here the certificate must also name a country whose entry in the current snapshot is active and pins this very
/// certificate, and the snapshot must not have expired.
/// </summary>
internal sealed class PeerGate(SnapshotState snapshots)
{
    public PeerDecision Decide(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return new PeerDecision(false, null, "no client certificate was presented");
        }

        var identity = NetworkIdentity.Read(certificate);
        if (identity.Role != NetworkRole.Node)
        {
            return new PeerDecision(false, null, $"the certificate '{certificate.Subject}' names no member country");
        }

        var (trusted, reason) = snapshots.Trust;
        if (!trusted)
        {
            return new PeerDecision(false, identity.Country, reason);
        }

        var member = snapshots.Member(identity.Country!);
        if (member is null)
        {
            return new PeerDecision(false, identity.Country, $"{identity.Country} is not an active member in directory snapshot {snapshots.Version}");
        }

        var thumbprint = NetworkIdentity.Thumbprint(certificate);
        if (!string.Equals(member.CertificateThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return new PeerDecision(false, identity.Country, $"the certificate {thumbprint} is not the one the directory lists for {identity.Country} ({member.CertificateThumbprint})");
        }

        return new PeerDecision(true, identity.Country, string.Empty);
    }
}
