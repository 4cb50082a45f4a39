using System.Security.Cryptography.X509Certificates;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;

namespace NremNet.Directory.Tests.Infrastructure;

/// <summary>
/// A network PKI made for one test with <see cref="NetworkCertificates"/>: a CA, the directory's certificate and key as PEM
/// files in a temporary folder (which also holds the data folder), a secretariat and country nodes.
/// </summary>
internal sealed class TestNetwork : IDisposable
{
    private readonly Dictionary<string, X509Certificate2> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NetworkCredentials> _credentials = new(StringComparer.Ordinal);

    private TestNetwork(string folder, X509Certificate2 authority, X509Certificate2 directory, DateTimeOffset now)
    {
        Folder = folder;
        Authority = authority;
        DirectoryCertificate = directory;
        Now = now;
        Secretariat = NetworkCertificates.IssueSecretariat(authority, "Test Secretariat", now, TimeSpan.FromDays(30));
        CaFile = PemFiles.Write(authority, Path.Combine(folder, "pki"), "ca", overwrite: false).Certificate;
        (CertificateFile, var key) = PemFiles.Write(directory, Path.Combine(folder, "pki"), "directory", overwrite: false);
        KeyFile = key!;
    }

    public string Folder { get; }

    public DateTimeOffset Now { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 DirectoryCertificate { get; }

    public X509Certificate2 Secretariat { get; }

    public string CaFile { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>A fresh network; the directory certificate lives <paramref name="directoryLifetime"/> (a year by default).</summary>
    public static TestNetwork Create(TimeSpan? directoryLifetime = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "nremnet-directory-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        var authority = NetworkCertificates.CreateAuthority("NremNet test network CA", now, TimeSpan.FromDays(800));
        var directory = NetworkCertificates.IssueDirectory(authority, ["127.0.0.1", "localhost"], now, directoryLifetime ?? TimeSpan.FromDays(365));
        return new TestNetwork(folder, authority, directory, now);
    }

    /// <summary>The node certificate of a country (the same one each time it is asked for).</summary>
    public X509Certificate2 Node(string country)
    {
        lock (_nodes)
        {
            if (!_nodes.TryGetValue(country, out var certificate))
            {
                certificate = IssueNode(country);
                _nodes[country] = certificate;
            }

            return certificate;
        }
    }

    /// <summary>
    /// The node of a country as it holds its credentials: its certificate and key as PEM files, loaded and checked as a node
    /// loads them (the same each time it is asked for).
    /// </summary>
    public NetworkCredentials NodeCredentials(string country) => Credentials(Node(country), "node-" + country.ToLowerInvariant(), NetworkRole.Node, country);

    /// <summary>The secretariat's credentials, loaded from PEM files as the CLI loads them.</summary>
    public NetworkCredentials SecretariatCredentials() => Credentials(Secretariat, "secretariat", NetworkRole.Secretariat, country: null);

    /// <summary>A new node certificate for a country, as when a node renews its key.</summary>
    public X509Certificate2 IssueNode(string country) =>
        NetworkCertificates.IssueNode(Authority, country, [$"node-{country.ToLowerInvariant()}.example"], Now, TimeSpan.FromDays(30));

    /// <summary>A valid application of <paramref name="country"/> stating <paramref name="certificate"/> (its node certificate by default).</summary>
    public MemberApplication Application(string country, X509Certificate2? certificate = null, string? endpoint = null)
    {
        var application = new MemberApplication
        {
            Country = country,
            MechanismName = $"Synthetic rapporteur {country}",
            MechanismType = MechanismType.NationalRapporteur,
            PeerEndpoint = endpoint ?? $"https://node-{country.ToLowerInvariant()}.example:7443",
            CertificateThumbprint = NetworkIdentity.Thumbprint(certificate ?? Node(country)),
            CatalogueVersion = "2025.1",
        };
        application.Services.Add("nremnet.federation.v1.FederationService");
        application.FocalPoints.Add(new FocalPoint { Name = "Synthetic Person", Role = "technical contact", Email = $"contact@{country.ToLowerInvariant()}.example" });
        return application;
    }

    /// <summary>The directory's configuration: listen on a free port, the PEM files and data folder of this network.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Directory:Listen"] = "127.0.0.1:0",
            ["Directory:DataDirectory"] = DataDirectory,
            ["Directory:CertificateFile"] = CertificateFile,
            ["Directory:KeyFile"] = KeyFile,
            ["Directory:NetworkCaFile"] = CaFile,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private NetworkCredentials Credentials(X509Certificate2 certificate, string name, NetworkRole role, string? country)
    {
        lock (_credentials)
        {
            if (!_credentials.TryGetValue(name, out var credentials))
            {
                var (certificateFile, keyFile) = PemFiles.Write(certificate, Path.Combine(Folder, "holders"), name, overwrite: false);
                credentials = NetworkCredentials.Load(certificateFile, keyFile!, CaFile, role, country, DateTimeOffset.UtcNow);
                _credentials[name] = credentials;
            }

            return credentials;
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing server; the temporary folder is cleaned up eventually.
        }
    }
}
