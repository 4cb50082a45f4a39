using Grpc.Core;

namespace NremNet.Testing;

/// <summary>What a client sees when a server refuses its certificate in the TLS handshake.</summary>
public static class HandshakeRefusals
{
    /// <summary>
    /// Whether the call ended because the connection was refused, before any gRPC exchange. The gRPC spec
    /// (doc/statuscodes.md) has a connection that breaks before the server answers end as UNAVAILABLE, and Grpc.Net.Client
    /// says so — except when the server's TLS alert (under TLS 1.3 it comes after the client finished its side of the
    /// handshake) races the HTTP/2 preface: SocketsHttpHandler then reports that the server did not complete the HTTP/2
    /// handshake, or the closed connection with no inner exception, and Grpc.Net.Client maps it to INTERNAL. Either code
    /// means the same here: the request never reached the server.
    /// </summary>
    public static bool IsRefusedInHandshake(RpcException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return refused.StatusCode is StatusCode.Unavailable or StatusCode.Internal
            && refused.Status.Detail.StartsWith("Error starting gRPC call.", StringComparison.Ordinal);
    }
}
