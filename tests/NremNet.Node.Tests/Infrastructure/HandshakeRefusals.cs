using Grpc.Core;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>What a client sees when the peer listener refuses its certificate in the TLS handshake.</summary>
internal static class HandshakeRefusals
{
    /// <summary>
    /// Asserts that the call ended because the connection was refused, before any gRPC exchange. The gRPC spec
    /// (doc/statuscodes.md) has a connection that breaks before the server answers end as UNAVAILABLE, and Grpc.Net.Client
    /// says so — except when the server's TLS alert (under TLS 1.3 it comes after the client finished its side of the
    /// handshake) races the HTTP/2 preface and SocketsHttpHandler reports the closed connection with no inner exception,
    /// which Grpc.Net.Client maps to INTERNAL. Either code means the same here: the request never reached the node.
    /// </summary>
    public static void AssertRefusedInHandshake(RpcException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        Assert.True(
            refused.StatusCode is StatusCode.Unavailable or StatusCode.Internal && refused.Status.Detail.StartsWith("Error starting gRPC call.", StringComparison.Ordinal),
            $"{refused.StatusCode}: {refused.Status.Detail}");
    }
}
