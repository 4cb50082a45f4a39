using Microsoft.Extensions.Logging;

namespace NremNet.Node;

internal static partial class NodeLog
{
    [LoggerMessage(1, LogLevel.Information, "Accepted directory snapshot {Version} with {Members} active members, valid until {ExpiresAt:u}.", EventName = "SnapshotAccepted")]
    public static partial void SnapshotAccepted(ILogger logger, ulong version, int members, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Warning, "Rejected a directory snapshot: {Problem}.", EventName = "SnapshotRejected")]
    public static partial void SnapshotRejected(ILogger logger, string problem);

    [LoggerMessage(3, LogLevel.Warning, "Ignored the cached snapshot {File}: {Problem}.", EventName = "SnapshotCacheIgnored")]
    public static partial void SnapshotCacheIgnored(ILogger logger, string file, string problem);

    [LoggerMessage(4, LogLevel.Information, "Registered {Country} with the directory; membership is {Status}.", EventName = "Registered")]
    public static partial void Registered(ILogger logger, string country, string status);

    [LoggerMessage(5, LogLevel.Warning, "The directory at {Url} is not reachable: {Error}. Working from {Snapshot}.", EventName = "DirectoryUnreachable")]
    public static partial void DirectoryUnreachable(ILogger logger, string url, string error, string snapshot);

    [LoggerMessage(6, LogLevel.Information, "The directory at {Url} is reachable again.", EventName = "DirectoryReachable")]
    public static partial void DirectoryReachable(ILogger logger, string url);

    [LoggerMessage(7, LogLevel.Warning, "Refused {Actor} calling {Method}: {Reason}.", EventName = "PeerRefused")]
    public static partial void PeerRefused(ILogger logger, string actor, string method, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Refused a TLS connection to the peer API: {Reason}.", EventName = "PeerCertificateRefused")]
    public static partial void PeerCertificateRefused(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Information, "Peer {Country} at {Endpoint} is reachable.", EventName = "PeerReachable")]
    public static partial void PeerReachable(ILogger logger, string country, string endpoint);

    [LoggerMessage(10, LogLevel.Information, "Peer {Country} at {Endpoint} is not reachable: {Error}.", EventName = "PeerUnreachable")]
    public static partial void PeerUnreachable(ILogger logger, string country, string endpoint, string error);

    [LoggerMessage(11, LogLevel.Information, "Refused a token on {Method}: {Problem}.", EventName = "TokenRefused")]
    public static partial void TokenRefused(ILogger logger, string method, string problem);

    [LoggerMessage(12, LogLevel.Information, "Node {Country} serving: peer API {PeerAddress}, user API and console {ConsoleAddress}.", EventName = "Serving")]
    public static partial void Serving(ILogger logger, string country, string peerAddress, string consoleAddress);
}
