using Microsoft.Extensions.Logging;

namespace NremNet.Rpc.Client;

internal static partial class RpcClientLog
{
    [LoggerMessage(101, LogLevel.Debug, "Call to '{Method}' at {Target} ended with {StatusCode}: {Detail}", EventName = "CallFailed")]
    public static partial void CallFailed(ILogger logger, string method, string target, StatusCode statusCode, string detail);

    [LoggerMessage(102, LogLevel.Information, "Retrying '{Method}' at {Target} (attempt {Attempt}) in {Delay}: {Reason}", EventName = "Retrying")]
    public static partial void Retrying(ILogger logger, string method, string target, int attempt, TimeSpan delay, string reason);
}
