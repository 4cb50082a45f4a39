using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Node.Membership;

namespace NremNet.Node.Peers;

/// <summary>
/// The certificates of other members, as the directory snapshot carries them: a certificate is used (to seal for its
/// node, or to check its node's signatures) only when its thumbprint is the one the directory lists for an active
/// member, it names that member's country, and it chains to the network CA.
/// </summary>
internal sealed class PeerCertificates(SnapshotState snapshots, NetworkCredentials credentials)
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _checked = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>This node's own certificate, with its private key.</summary>
    public X509Certificate2 Own => credentials.Certificate;

    /// <summary>This node's country.</summary>
    public string OwnCountry => credentials.Identity.Country!;

    /// <summary>The certificate of <paramref name="country"/>'s node, or why there is none to trust.</summary>
    public (X509Certificate2? Certificate, string Problem) For(string country)
    {
        var (trusted, reason) = snapshots.Trust;
        if (!trusted)
        {
            return (null, reason);
        }

        var member = snapshots.Member(country);
        if (member is null)
        {
            return (null, $"{country} is not an active member in directory snapshot {snapshots.Version}");
        }

        if (member.Certificate.IsEmpty)
        {
            return (null, $"the directory entry of {country} carries no certificate yet (its node registers it on start)");
        }

        if (_checked.TryGetValue(member.CertificateThumbprint, out var known))
        {
            return (known, string.Empty);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(member.Certificate.Span);
        }
        catch (CryptographicException ex)
        {
            return (null, $"the directory entry of {country} carries a certificate that cannot be read: {ex.Message}");
        }

        if (!string.Equals(NetworkIdentity.Thumbprint(certificate), member.CertificateThumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"the certificate in the directory entry of {country} is not the one its thumbprint names");
        }

        if (NetworkIdentity.Read(certificate).Country != country)
        {
            return (null, $"the certificate in the directory entry of {country} names another country");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(credentials.Authority);
        if (!chain.Build(certificate))
        {
            return (null, $"the certificate of {country} does not chain to the network CA: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}");
        }

        _checked[member.CertificateThumbprint] = certificate;
        return (certificate, string.Empty);
    }
}
