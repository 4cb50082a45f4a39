using System.Security.Cryptography.X509Certificates;
using NremNet.Domain.Pki;

namespace NremNet.Hosting.Certificates;

/// <summary>
/// Certificates and private keys as PEM files. Keys are written readable by their owner only; nothing is overwritten
/// unless asked.
/// </summary>
public static class PemFiles
{
    /// <summary>Writes a certificate (and, when it has one, its private key) as <c>name.crt</c> and <c>name.key</c> in a folder.</summary>
    /// <returns>The paths written.</returns>
    /// <exception cref="IOException">A file exists and <paramref name="overwrite"/> is false.</exception>
    public static (string Certificate, string? Key) Write(X509Certificate2 certificate, string folder, string name, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, name + ".crt");
        var keyPath = certificate.HasPrivateKey ? Path.Combine(folder, name + ".key") : null;
        foreach (var path in new[] { certificatePath, keyPath }.OfType<string>())
        {
            if (File.Exists(path) && !overwrite)
            {
                throw new IOException($"{path} already exists; pass --force to replace it (the old key and certificate will stop working).");
            }
        }

        if (keyPath is not null)
        {
            WriteSecret(keyPath, NetworkCertificates.PrivateKeyPem(certificate));
        }

        File.WriteAllText(certificatePath, NetworkCertificates.CertificatePem(certificate));
        return (certificatePath, keyPath);
    }

    /// <summary>Writes a secret file readable and writable by its owner only (0600).</summary>
    public static void WriteSecret(string path, string content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a certificate with its private key.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable; the message names it.</exception>
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        RequireFile(certificatePath, "certificate");
        RequireFile(keyPath, "private key");
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Cannot read the certificate {certificatePath} with key {keyPath}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads a certificate without a key (e.g. the network CA).</summary>
    public static X509Certificate2 Load(string certificatePath)
    {
        RequireFile(certificatePath, "certificate");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"Cannot read the certificate {certificatePath}: {ex.Message}", ex);
        }
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The {what} file {path} does not exist.");
        }
    }
}
