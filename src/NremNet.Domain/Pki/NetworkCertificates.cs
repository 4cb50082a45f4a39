using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NremNet.Domain.Pki;

/// <summary>
/// Makes the network's certificates with .NET's own cryptography: a CA held by the secretariat, and certificates for
/// nodes (naming their country), the directory and the secretariat, all ECDSA P-256 with SHA-256.
/// </summary>
public static class NetworkCertificates
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed network CA.</summary>
    public static X509Certificate2 CreateAuthority(string name, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}, O=NremNet"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(lifetime));
    }

    /// <summary>A node's certificate: it names the node's country, and serves and calls peers.</summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, string country, IEnumerable<string> hostNames, DateTimeOffset now, TimeSpan lifetime) =>
        Issue(authority, NetworkIdentity.ForCountry(country), $"NremNet node {NetworkIdentity.ForCountry(country).Country}", hostNames, [ServerAuthentication, ClientAuthentication], now, lifetime);

    /// <summary>The directory's certificate: it serves the directory and signs its snapshots.</summary>
    public static X509Certificate2 IssueDirectory(X509Certificate2 authority, IEnumerable<string> hostNames, DateTimeOffset now, TimeSpan lifetime) =>
        Issue(authority, NetworkIdentity.Directory, "NremNet directory", hostNames, [ServerAuthentication, ClientAuthentication], now, lifetime);

    /// <summary>The secretariat's certificate: it administers the directory.</summary>
    public static X509Certificate2 IssueSecretariat(X509Certificate2 authority, string holder, DateTimeOffset now, TimeSpan lifetime) =>
        Issue(authority, NetworkIdentity.Secretariat, $"NremNet secretariat ({holder})", [], [ClientAuthentication], now, lifetime);

    /// <summary>The certificate in PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The private key in unencrypted PKCS#8 PEM; whoever writes it must protect the file.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"Certificate '{certificate.Subject}' has no ECDSA private key.")).ExportPkcs8PrivateKeyPem();

    private static X509Certificate2 Issue(X509Certificate2 authority, NetworkIdentity identity, string commonName, IEnumerable<string> hostNames, string[] purposes, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (!authority.HasPrivateKey)
        {
            throw new InvalidOperationException("The network CA's private key is needed to issue certificates.");
        }

        var notAfter = now.Add(lifetime);
        if (notAfter > authority.NotAfter)
        {
            throw new InvalidOperationException($"The certificate would outlive the network CA, which expires {authority.NotAfter:u}; issue it for at most {(authority.NotAfter - now).Days} days or renew the CA.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(commonName)}, O=NremNet"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. purposes.Select(p => new Oid(p))], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(identity.ToUri());
        foreach (var host in hostNames)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static string Escape(string value) => value.Replace("\"", string.Empty, StringComparison.Ordinal).Replace(",", " ", StringComparison.Ordinal).Replace("=", " ", StringComparison.Ordinal);
}
