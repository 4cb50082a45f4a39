using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;

namespace NremNet.Directory.Api;

/// <summary>Who is calling, from the certificate presented under mutual TLS (already chained to the network CA by then).</summary>
internal sealed record Caller(NetworkIdentity Identity, X509Certificate2 Certificate, string Thumbprint)
{
    /// <summary>The caller as the history records it: identity, certificate holder and thumbprint.</summary>
    public string Description => Describe(Identity, Certificate);

    /// <summary>The caller of a call; UNAUTHENTICATED when its certificate names no network identity.</summary>
    public static Caller Of(ServerCallContext context)
    {
        var certificate = context.ClientCertificate()
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "No client certificate was presented: call the directory with a certificate issued by the network CA ('nremnet pki')."));
        var identity = NetworkIdentity.Read(certificate);
        return identity.Role == NetworkRole.None
            ? throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"The client certificate '{certificate.Subject}' ({NetworkIdentity.Thumbprint(certificate)}) names no NremNet identity (one urn:nremnet:... URI in its subject alternative names): " +
                "call with a node or secretariat certificate issued with 'nremnet pki'."))
            : new Caller(identity, certificate, NetworkIdentity.Thumbprint(certificate));
    }

    /// <summary>Describes whoever presented the call's certificate, for logs, whether or not it names an identity.</summary>
    public static string Describe(ServerCallContext context) =>
        context.ClientCertificate() is { } certificate ? Describe(NetworkIdentity.Read(certificate), certificate) : "a caller without a certificate";

    /// <summary>The caller, when it is the network secretariat; PERMISSION_DENIED otherwise.</summary>
    public Caller RequireSecretariat(string action) => Identity.Role == NetworkRole.Secretariat
        ? this
        : throw new RpcException(new Status(StatusCode.PermissionDenied, $"Only the network secretariat may {action}; this call presents the certificate of {Identity}."));

    /// <summary>The caller, when it is a country node; PERMISSION_DENIED otherwise.</summary>
    public Caller RequireNode(string action) => Identity.Role == NetworkRole.Node
        ? this
        : throw new RpcException(new Status(StatusCode.PermissionDenied, $"Only a country node may {action}, with its own node certificate; this call presents the certificate of {Identity}."));

    private static string Describe(NetworkIdentity identity, X509Certificate2 certificate) =>
        $"{identity} ({certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)}, {NetworkIdentity.Thumbprint(certificate)})";
}
