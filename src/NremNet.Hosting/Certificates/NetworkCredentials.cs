using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using Grpc.Core;
using NremNet.Hosting.Grpc;

namespace NremNet.Hosting.Certificates;

/// <summary>A process's place in the network PKI: its certificate and key, the identity it names, and the network CA.</summary>
public sealed class NetworkCredentials
{
    private NetworkCredentials(X509Certificate2 certificate, X509Certificate2 authority, NetworkIdentity identity)
    {
        Certificate = certificate;
        Authority = authority;
        Identity = identity;
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The network CA.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Who the certificate says this process is.</summary>
    public NetworkIdentity Identity { get; }

    /// <summary>The certificate's SHA-256 thumbprint.</summary>
    public string Thumbprint => NetworkIdentity.Thumbprint(Certificate);

    /// <summary>
    /// Loads and checks credentials: the certificate must chain to the CA, be valid now and name
    /// <paramref name="expectedRole"/> (and <paramref name="expectedCountry"/> for a node).
    /// </summary>
    /// <exception cref="InvalidOperationException">The files are missing or unreadable, or the certificate does not fit; the message says which.</exception>
    public static NetworkCredentials Load(string certificateFile, string keyFile, string authorityFile, NetworkRole expectedRole, string? expectedCountry, DateTimeOffset now)
    {
        var certificate = PemFiles.LoadWithKey(certificateFile, keyFile);
        var authority = PemFiles.Load(authorityFile);
        var identity = NetworkIdentity.Read(certificate);
        if (identity.Role != expectedRole || (expectedCountry is not null && identity.Country != expectedCountry))
        {
            var wanted = expectedRole == NetworkRole.Node ? $"node {expectedCountry}" : expectedRole.ToString().ToLowerInvariant();
            throw new InvalidOperationException($"The certificate {certificateFile} names {identity}, not {wanted}. Issue one with 'nremnet pki'.");
        }

        if (!SnapshotSigning.ChainsTo(certificate, authority, now, out var problem))
        {
            throw new InvalidOperationException($"The certificate {certificateFile} is not valid under the network CA {authorityFile}: {problem}");
        }

        return new NetworkCredentials(certificate, authority, identity);
    }

    /// <summary>
    /// TLS for a server endpoint of the network: this certificate, and client certificates required and checked against the
    /// network CA; <paramref name="accept"/> may refuse more, and <paramref name="onRejected"/> hears of every refusal.
    /// </summary>
    public ServerTlsOptions ServerTls(Func<X509Certificate2, bool>? accept, Action<X509Certificate2?, string>? onRejected) => new()
    {
        ServerCertificate = Certificate,
        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        TrustedClientRoots = [Authority],
        ValidateClientCertificate = accept,
        OnClientCertificateRejected = onRejected,
    };

    /// <summary>TLS for a server endpoint used by people (no client certificate asked).</summary>
    public ServerTlsOptions ServerTlsWithoutClientCertificates() => new() { ServerCertificate = Certificate };

    /// <summary>
    /// Channel options to call another member or the directory: present this certificate, trust only the network CA,
    /// and, when given, accept only a server certificate that <paramref name="pin"/> accepts; <paramref name="wrapHttpHandler"/>
    /// puts a handler of the caller's around the channel's HTTP handler (e.g. to count attempts).
    /// </summary>
    public NetworkChannelOptions ClientOptions(
        Func<X509Certificate2, bool>? pin = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null,
        Func<HttpMessageHandler, HttpMessageHandler>? wrapHttpHandler = null,
        TimeSpan? connectTimeout = null) => new()
    {
        ConnectTimeout = connectTimeout ?? NetworkChannelOptions.DefaultConnectTimeout,
        ClientCertificates = [Certificate],
        TrustedServerRoots = [Authority],
        ValidateServerCertificate = pin,
        LoggerFactory = loggerFactory,
        WrapHttpHandler = wrapHttpHandler,
    };
}

/// <summary>Who called, from the certificate presented under mutual TLS.</summary>
public static class CallerIdentity
{
    /// <summary>The network identity of the caller, or <see cref="NetworkIdentity.None"/> when it presented none.</summary>
    public static NetworkIdentity NetworkIdentityOf(this ServerCallContext context) =>
        context.ClientCertificate() is { } certificate ? NetworkIdentity.Read(certificate) : NetworkIdentity.None;

    /// <summary>The certificate the caller presented under mutual TLS, or null.</summary>
    public static X509Certificate2? ClientCertificate(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Connection.ClientCertificate;
    }
}
