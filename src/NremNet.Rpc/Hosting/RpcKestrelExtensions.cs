using Microsoft.AspNetCore.Hosting;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace NremNet.Rpc;

/// <summary>TLS settings of a gRPC endpoint.</summary>
public sealed class RpcServerTlsOptions
{
    /// <summary>The server certificate, with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Whether clients must present a certificate (mutual TLS).</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>
    /// Roots that client certificates must chain to (a private network CA). Required when client certificates are
    /// asked for: the system store is never used to trust clients.
    /// </summary>
    public X509Certificate2Collection? TrustedClientRoots { get; init; }

    /// <summary>
    /// A further check of a client certificate that passed the chain check, e.g. pinning it to a registry entry.
    /// Returning false refuses the connection.
    /// </summary>
    public Func<X509Certificate2, bool>? ValidateClientCertificate { get; init; }

    /// <summary>Called with the reason whenever a client certificate is refused.</summary>
    public Action<X509Certificate2?, string>? OnClientCertificateRejected { get; init; }
}

/// <summary>Configures Kestrel endpoints for gRPC.</summary>
public static class RpcKestrelExtensions
{
    /// <summary>
    /// Makes the endpoint a gRPC endpoint: HTTP/2 only, in clear text (h2c, for local work) when <paramref name="tls"/>
    /// is null, otherwise TLS 1.2+ with ALPN h2 and, if asked, mutual TLS against the given roots.
    /// </summary>
    public static ListenOptions UseRpc(this ListenOptions listen, RpcServerTlsOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http2;
        if (tls is null)
        {
            return listen;
        }

        if (tls.ClientCertificateMode != ClientCertificateMode.NoCertificate && tls.TrustedClientRoots is not { Count: > 0 })
        {
            throw new InvalidOperationException("Client certificates are requested but no trusted client roots are set: name the CA that client certificates must chain to.");
        }

        listen.UseHttps(https =>
        {
            https.ServerCertificate = tls.ServerCertificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.ClientCertificateMode = tls.ClientCertificateMode;
            https.ClientCertificateValidation = (certificate, chain, errors) => ValidateClient(tls, certificate, chain);
        });
        return listen;
    }

    private static bool ValidateClient(RpcServerTlsOptions tls, X509Certificate2? certificate, X509Chain? chain)
    {
        if (certificate is null)
        {
            tls.OnClientCertificateRejected?.Invoke(null, "no client certificate was presented");
            return tls.ClientCertificateMode != ClientCertificateMode.RequireCertificate;
        }

        var intermediates = new X509Certificate2Collection();
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                intermediates.Add(element.Certificate);
            }
        }

        if (!CertificateTrust.Validate(certificate, tls.TrustedClientRoots!, CertificateTrust.ClientAuthenticationOid, intermediates, out var problem))
        {
            tls.OnClientCertificateRejected?.Invoke(certificate, problem);
            return false;
        }

        if (tls.ValidateClientCertificate is { } check && !check(certificate))
        {
            tls.OnClientCertificateRejected?.Invoke(certificate, $"certificate '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}) was refused by the endpoint's own check");
            return false;
        }

        return true;
    }
}
