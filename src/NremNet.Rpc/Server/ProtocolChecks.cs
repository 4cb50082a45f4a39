using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Server;

/// <summary>The HTTP-level requirements of a gRPC request, answered with the HTTP status the protocol prescribes.</summary>
internal static class ProtocolChecks
{
    public static bool Accept(HttpContext http, ILogger logger)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            Reject(http, logger, StatusCodes.Status405MethodNotAllowed, $"Method '{request.Method}' is not allowed: gRPC calls are POST requests.");
            return false;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            Reject(http, logger, StatusCodes.Status426UpgradeRequired, $"Protocol '{request.Protocol}' is not supported: gRPC needs HTTP/2.");
            http.Response.Headers.Upgrade = "h2c";
            return false;
        }

        if (!GrpcProtocol.IsGrpcProtoContentType(request.ContentType))
        {
            var what = string.IsNullOrEmpty(request.ContentType) ? "A request without a content-type" : $"Content-type '{request.ContentType}'";
            Reject(http, logger, StatusCodes.Status415UnsupportedMediaType, $"{what} is not supported: use application/grpc or application/grpc+proto.");
            return false;
        }

        return true;
    }

    private static void Reject(HttpContext http, ILogger logger, int httpStatus, string message)
    {
        RpcServerLog.RequestRejected(logger, http.Request.Path.Value ?? string.Empty, httpStatus, message);
        var response = http.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = HttpServerCallContext.StatusCodeText(StatusCode.Internal);
        response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(message);
    }
}
