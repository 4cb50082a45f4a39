using Microsoft.Extensions.Logging;

namespace NremNet.Node.Console;

/// <summary>The web console's log messages (event ids 700–799).</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(700, LogLevel.Information, "Refused a console session on {Path}: {Problem}.", EventName = "ConsoleSessionRefused")]
    public static partial void SessionRefused(ILogger logger, string path, string problem);

    [LoggerMessage(701, LogLevel.Information, "Refused a console form without a valid antiforgery token on {Path}.", EventName = "ConsoleAntiforgeryRefused")]
    public static partial void AntiforgeryRefused(ILogger logger, string path);

    [LoggerMessage(702, LogLevel.Error, "The console failed on {Method} {Path}; the error page was shown.", EventName = "ConsolePageFailed")]
    public static partial void PageFailed(ILogger logger, string method, string path, Exception exception);
}
