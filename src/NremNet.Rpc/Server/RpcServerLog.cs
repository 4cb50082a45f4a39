using Microsoft.Extensions.Logging;

namespace NremNet.Rpc.Server;

internal static partial class RpcServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Rejected request to '{Path}' with HTTP {HttpStatus}: {Reason}", EventName = "RequestRejected")]
    public static partial void RequestRejected(ILogger logger, string path, int httpStatus, string reason);

    [LoggerMessage(2, LogLevel.Information, "Call to unknown method '{Path}': {Reason}", EventName = "UnknownMethod")]
    public static partial void UnknownMethod(ILogger logger, string path, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Deadline exceeded for call to '{Method}'.", EventName = "DeadlineExceeded")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(4, LogLevel.Warning, "Handler for '{Method}' kept running past its deadline and grace period; the stream was reset.", EventName = "ResetAfterDeadline")]
    public static partial void ResetAfterDeadline(ILogger logger, string method);

    [LoggerMessage(5, LogLevel.Debug, "Call to '{Method}' was cancelled by the client.", EventName = "CallCancelled")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(6, LogLevel.Information, "Call to '{Method}' ended with {StatusCode}: {Detail}", EventName = "CallRejected")]
    public static partial void CallRejected(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(7, LogLevel.Error, "Handler for '{Method}' threw an unexpected exception.", EventName = "HandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(8, LogLevel.Debug, "Could not complete the call to '{Method}'; the stream is gone.", EventName = "CompleteFailed")]
    public static partial void CompleteFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Serving {MethodCount} gRPC methods of {ServiceCount} services: {Services}", EventName = "ServicesBound")]
    public static partial void ServicesBound(ILogger logger, int methodCount, int serviceCount, string services);
}
