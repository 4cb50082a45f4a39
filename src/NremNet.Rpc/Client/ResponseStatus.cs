using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Client;

/// <summary>Derives a call's status from what the HTTP layer saw.</summary>
internal static class ResponseStatus
{
    /// <summary>The status in headers or trailers, or null when there is no grpc-status.</summary>
    public static Status? FromHeaders(HttpHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return null;
        }

        var text = statusValues.ToString();
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return new Status(StatusCode.Unknown, $"The server sent an unreadable grpc-status '{text}'.");
        }

        var message = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues)
            ? PercentEncoding.Decode(messageValues.ToString())
            : string.Empty;
        return new Status((StatusCode)code, message);
    }

    /// <summary>The status for a response that is not HTTP 200, per the gRPC HTTP-to-status mapping.</summary>
    public static Status FromHttpStatus(HttpStatusCode httpStatus, HttpHeaders headers)
    {
        var code = httpStatus switch
        {
            HttpStatusCode.BadRequest => StatusCode.Internal,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        var detail = $"The server answered with HTTP {(int)httpStatus} instead of a gRPC response.";
        if (FromHeaders(headers) is { Detail.Length: > 0 } sent)
        {
            detail += " It said: " + sent.Detail;
        }

        return new Status(code, detail);
    }

    /// <summary>The status for a failure of the HTTP exchange itself.</summary>
    public static Status FromTransportException(Exception ex, string target)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case RpcException rpc:
                    return rpc.Status;
                case HttpProtocolException protocol:
                    return FromResetCode(protocol.ErrorCode, ex);
                case AuthenticationException:
                    return new Status(StatusCode.Unavailable, $"The TLS handshake with {target} failed: {inner.Message}", ex);
                case SocketException socket:
                    return new Status(StatusCode.Unavailable, $"Could not reach {target}: {socket.Message}", ex);
            }
        }

        return new Status(StatusCode.Unavailable, $"The connection to {target} failed: {ex.Message}", ex);
    }

    /// <summary>Maps an RST_STREAM / GOAWAY error code to a status, per the protocol's table.</summary>
    private static Status FromResetCode(long errorCode, Exception ex) => errorCode switch
    {
        0x7 => new Status(StatusCode.Unavailable, "The server refused the stream (REFUSED_STREAM); the call was not processed.", ex),
        0x8 => new Status(StatusCode.Cancelled, "The server cancelled the call (RST_STREAM CANCEL).", ex),
        0xb => new Status(StatusCode.ResourceExhausted, "The server asked the client to calm down (ENHANCE_YOUR_CALM): bandwidth exhausted.", ex),
        0xc => new Status(StatusCode.PermissionDenied, "The connection is not secure enough for this call (INADEQUATE_SECURITY).", ex),
        _ => new Status(StatusCode.Internal, $"The server reset the stream with HTTP/2 error 0x{errorCode:x}.", ex),
    };
}
