using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NremNet.Testing;

/// <summary>Certificates made on the spot for tests: ECDSA P-256, real X.509 chains, never reused across runs.</summary>
public static class TestPki
{
    /// <summary>A self-signed certificate authority.</summary>
    public static X509Certificate2 CreateAuthority(string name, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(lifetime ?? TimeSpan.FromDays(2)));
    }

    /// <summary>A server certificate for the given names and addresses, issued by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 authority, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeSpan? lifetime = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        var first = "server";
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
            first = name;
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        return Issue(authority, $"CN={first.TrimStart('*', '.')}", san.Build(), CertificateTrustPurpose.Server, lifetime);
    }

    /// <summary>A client certificate, optionally naming a URI (e.g. a country) in its subject alternative name.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 authority, string name, Uri? uri = null, TimeSpan? lifetime = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        if (uri is not null)
        {
            san.AddUri(uri);
        }

        return Issue(authority, $"CN={name}", san.Build(), CertificateTrustPurpose.Client, lifetime);
    }

    /// <summary>The certificate in PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The private key in PKCS#8 PEM.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA private key.")).ExportPkcs8PrivateKeyPem();

    /// <summary>Writes certificate and key as PEM files.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string? keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem(certificate));
        if (keyPath is not null)
        {
            File.WriteAllText(keyPath, PrivateKeyPem(certificate));
        }
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, X509Extension san, CertificateTrustPurpose purpose, TimeSpan? lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(purpose == CertificateTrustPurpose.Server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(san);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.Add(lifetime ?? TimeSpan.FromDays(1));
        if (notAfter > authority.NotAfter)
        {
            notAfter = authority.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private enum CertificateTrustPurpose
    {
        Server,
        Client,
    }
}
