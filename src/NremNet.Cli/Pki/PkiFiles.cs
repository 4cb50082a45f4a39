using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;

namespace NremNet.Cli.Pki;

/// <summary>Where the PKI verbs keep certificates and keys, and how they report what they wrote.</summary>
internal static class PkiFiles
{
    /// <summary>The file name (without extension) of the network CA.</summary>
    public const string AuthorityName = "ca";

    /// <summary>Refuses to replace <c>name.crt</c> or <c>name.key</c> in a folder unless forced, naming the file.</summary>
    public static void EnsureWritable(string folder, string name, bool force, string consequence)
    {
        if (force)
        {
            return;
        }

        foreach (var path in new[] { Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key") })
        {
            if (File.Exists(path))
            {
                throw new CliException(ExitCodes.Conflict, $"{path} already exists; pass --force to replace it ({consequence}).");
            }
        }
    }

    /// <summary>The network CA with its key from a folder, or an error that says how to make one.</summary>
    public static X509Certificate2 LoadAuthority(string folder)
    {
        var certificate = Path.Combine(folder, AuthorityName + ".crt");
        var key = Path.Combine(folder, AuthorityName + ".key");
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            throw new CliException(
                ExitCodes.NotFound,
                $"There is no network CA in {Path.GetFullPath(folder)} ({AuthorityName}.crt and {AuthorityName}.key). Create one with 'nremnet pki init-ca --dir {folder}', or point --ca-dir at the folder that holds it.");
        }

        var authority = PemFiles.LoadWithKey(certificate, key);
        if (authority.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            authority.Dispose();
            throw new CliException(ExitCodes.Failed, $"{certificate} is not a certificate authority; point --ca-dir at the folder made by 'nremnet pki init-ca'.");
        }

        return authority;
    }

    /// <summary>Writes a new certificate and its key (the key readable by its owner only) and reports them.</summary>
    public static void WriteAndReport(ICliOutput output, X509Certificate2 certificate, string folder, string name, bool force)
    {
        var (certificatePath, keyPath) = PemFiles.Write(certificate, folder, name, force);
        var summary = CertificateSummary.Of(certificate);
        if (output.Json)
        {
            output.WriteJson(new { certificateFile = Path.GetFullPath(certificatePath), keyFile = keyPath is null ? null : Path.GetFullPath(keyPath), certificate = summary });
            return;
        }

        output.Success($"Wrote {certificatePath} and {keyPath} (the key is readable by you only).");
        summary.WriteTo(output);
    }
}

/// <summary>What a person needs to know about a network certificate.</summary>
internal sealed record CertificateSummary(
    string Subject,
    string Issuer,
    string Identity,
    string? Country,
    string Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<string> Hosts,
    bool IsAuthority)
{
    public static CertificateSummary Of(X509Certificate2 certificate)
    {
        var identity = NetworkIdentity.Read(certificate);
        var hosts = new List<string>();
        if (certificate.Extensions["2.5.29.17"] is X509SubjectAlternativeNameExtension names)
        {
            hosts.AddRange(names.EnumerateDnsNames());
            hosts.AddRange(names.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return new CertificateSummary(
            certificate.Subject,
            certificate.Issuer,
            identity.ToString(),
            identity.Country,
            NetworkIdentity.Thumbprint(certificate),
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            hosts,
            certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true });
    }

    /// <summary>The summary as aligned lines for people.</summary>
    public void WriteTo(ICliOutput output)
    {
        output.Line($"  subject     {Subject}");
        output.Line($"  identity    {(IsAuthority ? "network CA" : Identity)}");
        output.Line($"  thumbprint  {Thumbprint}");
        output.Line($"  valid       {CliValues.Time(NotBefore)} to {CliValues.Time(NotAfter)}");
        output.Line($"  issuer      {Issuer}");
        if (Hosts.Count > 0)
        {
            output.Line($"  hosts       {string.Join(", ", Hosts)}");
        }
    }
}
