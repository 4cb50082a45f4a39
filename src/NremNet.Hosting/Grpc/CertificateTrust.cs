using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NremNet.Hosting.Grpc;

/// <summary>Checks certificate chains against a private set of trusted roots (a network CA), not the system store.</summary>
public static class CertificateTrust
{
    /// <summary>The object identifier of the TLS client authentication purpose.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>The object identifier of the TLS server authentication purpose.</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Whether the certificate chains up to one of <paramref name="trustedRoots"/>, is within its validity period and
    /// allows <paramref name="purposeOid"/>. <paramref name="problem"/> says why not.
    /// </summary>
    public static bool Validate(X509Certificate2 certificate, X509Certificate2Collection trustedRoots, string purposeOid, X509Certificate2Collection? intermediates, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustedRoots);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purposeOid));
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        if (chain.Build(certificate))
        {
            problem = string.Empty;
            return true;
        }

        var statuses = chain.ChainStatus.Select(s => s.Status == X509ChainStatusFlags.NoError ? null : $"{s.Status} ({s.StatusInformation.Trim()})").Where(s => s is not null);
        problem = $"certificate '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}) is not trusted: {string.Join("; ", statuses)}";
        return false;
    }

    /// <summary>The certificates of a chain the TLS layer built, as extra certificates for <see cref="Validate"/>.</summary>
    public static X509Certificate2Collection Intermediates(X509Chain? chain)
    {
        var intermediates = new X509Certificate2Collection();
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                intermediates.Add(element.Certificate);
            }
        }

        return intermediates;
    }
}
