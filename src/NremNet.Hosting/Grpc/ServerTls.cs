using System.Net.Security;
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
    /// <exception cref="InvalidOperationException">Client certificates are asked for but no roots are named, or asked for late (DelayCertificate).</exception>
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

        if (tls.ClientCertificateMode == ClientCertificateMode.DelayCertificate)
        {
            throw new InvalidOperationException("A gRPC endpoint cannot delay asking for a client certificate: HTTP/2 cannot renegotiate. Require or allow one.");
        }

        // The handshake is configured whole (not through HttpsConnectionAdapterOptions) so that every refusal goes through
        // ValidateClient: Kestrel's own check refuses a missing certificate without calling a validation callback, and
        // OnClientCertificateRejected must hear of that refusal too.
        var context = SslStreamCertificateContext.Create(tls.ServerCertificate, additionalCertificates: null, offline: true);
        var asksForCertificate = tls.ClientCertificateMode != ClientCertificateMode.NoCertificate;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateRequired = asksForCertificate,
                RemoteCertificateValidationCallback = asksForCertificate ? (_, certificate, chain, _) => ValidateClient(tls, certificate, chain) : null,
            }),
        });
        return listen;
    }

    private static bool ValidateClient(ServerTlsOptions tls, X509Certificate? presented, X509Chain? chain)
    {
        if (presented is null)
        {
            if (tls.ClientCertificateMode == ClientCertificateMode.RequireCertificate)
            {
                tls.OnClientCertificateRejected?.Invoke(null, "no client certificate was presented");
                return false;
            }

            return true;
        }

        var certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
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
