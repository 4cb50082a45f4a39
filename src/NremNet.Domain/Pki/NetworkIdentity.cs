using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NremNet.Domain.Pki;

/// <summary>What a network certificate says its holder is.</summary>
public enum NetworkRole
{
    /// <summary>Not a network identity.</summary>
    None,
    /// <summary>A country node; <see cref="NetworkIdentity.Country"/> names the country.</summary>
    Node,
    /// <summary>The directory.</summary>
    Directory,
    /// <summary>The network secretariat, which runs the directory.</summary>
    Secretariat,
}

/// <summary>
/// The identity a network certificate carries in its subject alternative name, as a URI:
/// <c>urn:nremnet:country:NL</c>, <c>urn:nremnet:directory</c> or <c>urn:nremnet:secretariat</c>.
/// </summary>
public sealed record NetworkIdentity(NetworkRole Role, string? Country)
{
    /// <summary>The URI prefix of a node's identity.</summary>
    public const string CountryUriPrefix = "urn:nremnet:country:";

    /// <summary>The URI of the directory's identity.</summary>
    public const string DirectoryUri = "urn:nremnet:directory";

    /// <summary>The URI of the secretariat's identity.</summary>
    public const string SecretariatUri = "urn:nremnet:secretariat";

    /// <summary>No network identity.</summary>
    public static readonly NetworkIdentity None = new(NetworkRole.None, null);

    /// <summary>The identity of a country node.</summary>
    public static NetworkIdentity ForCountry(string country) => new(NetworkRole.Node, Countries.Country.Get(country).Code);

    /// <summary>The directory's identity.</summary>
    public static NetworkIdentity Directory { get; } = new(NetworkRole.Directory, null);

    /// <summary>The secretariat's identity.</summary>
    public static NetworkIdentity Secretariat { get; } = new(NetworkRole.Secretariat, null);

    /// <summary>The URI that names this identity in a certificate.</summary>
    public Uri ToUri() => Role switch
    {
        NetworkRole.Node => new Uri(CountryUriPrefix + Country),
        NetworkRole.Directory => new Uri(DirectoryUri),
        NetworkRole.Secretariat => new Uri(SecretariatUri),
        _ => throw new InvalidOperationException("No network identity has no URI."),
    };

    /// <summary>
    /// The identity in a certificate's subject alternative names. A certificate naming no NremNet URI, an unknown
    /// one, or more than one identity carries none.
    /// </summary>
    public static NetworkIdentity Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var found = new List<NetworkIdentity>();
        foreach (var uri in SubjectAlternativeUris(certificate))
        {
            if (uri.StartsWith(CountryUriPrefix, StringComparison.Ordinal) && Countries.Country.IsValidCode(uri[CountryUriPrefix.Length..]))
            {
                found.Add(new NetworkIdentity(NetworkRole.Node, uri[CountryUriPrefix.Length..]));
            }
            else if (uri == DirectoryUri)
            {
                found.Add(Directory);
            }
            else if (uri == SecretariatUri)
            {
                found.Add(Secretariat);
            }
        }

        return found.Count == 1 ? found[0] : None;
    }

    /// <summary>The SHA-256 thumbprint of a certificate, upper-case hex: how the directory pins it.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <inheritdoc />
    public override string ToString() => Role switch
    {
        NetworkRole.Node => $"node {Country}",
        NetworkRole.Directory => "directory",
        NetworkRole.Secretariat => "secretariat",
        _ => "no network identity",
    };

    private static IEnumerable<string> SubjectAlternativeUris(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions["2.5.29.17"];
        if (extension is null)
        {
            yield break;
        }

        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (reader.HasData)
        {
            var tag = reader.PeekTag();
            // uniformResourceIdentifier [6] IA5String
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6)
            {
                yield return reader.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
            }
            else
            {
                reader.ReadEncodedValue();
            }
        }
    }
}
