using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace NremNet.Hosting.Grpc;

/// <summary>TLS of a server endpoint: its certificate and, for mutual TLS, the roots client certificates must chain to.</summary>
public sealed class ServerTlsOptions
{
    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Whether clients must present a certificate.</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>The roots a client certificate must chain to (a private CA, never the system store).</summary>
    public X509Certificate2Collection? TrustedClientRoots { get; init; }

    /// <summary>A further check of a client certificate after the chain check (pinning, membership); false refuses the handshake.</summary>
    public Func<X509Certificate2, bool>? ValidateClientCertificate { get; init; }

    /// <summary>Hears of every refused client certificate, with the reason, outside the handshake's own error.</summary>
    public Action<X509Certificate2?, string>? OnClientCertificateRejected { get; init; }
}

/// <summary>Kestrel endpoints for gRPC with the network's TLS.</summary>
public static class ServerTls
{
    /// <summary>
    /// Makes the endpoint a gRPC endpoint: HTTP/2 only; in clear text (h2c, for local tests and interop) when
    /// <paramref name="tls"/> is null, otherwise TLS 1.2+ with ALPN h2 and, if asked, mutual TLS against the given roots.
    /// </summary>
    /// <exception cref="InvalidOperationException">Client certificates are asked for but no roots are named.</exception>
    public static ListenOptions UseGrpcTls(this ListenOptions listen, ServerTlsOptions? tls = null)
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
            https.ClientCertificateValidation = (certificate, chain, _) => ValidateClient(tls, certificate, chain);
        });
        return listen;
    }

    private static bool ValidateClient(ServerTlsOptions tls, X509Certificate2? certificate, X509Chain? chain)
    {
        if (certificate is null)
        {
            tls.OnClientCertificateRejected?.Invoke(null, "no client certificate was presented");
            return tls.ClientCertificateMode != ClientCertificateMode.RequireCertificate;
        }

        if (!CertificateTrust.Validate(certificate, tls.TrustedClientRoots!, CertificateTrust.ClientAuthenticationOid, CertificateTrust.Intermediates(chain), out var problem))
        {
            tls.OnClientCertificateRejected?.Invoke(certificate, problem);
            return false;
        }

        if (tls.ValidateClientCertificate is { } check && !check(certificate))
        {
            tls.OnClientCertificateRejected?.Invoke(certificate, $"certificate '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}) was refused by the endpoint's own check");
            return false;
        }

        return true;
    }
}
