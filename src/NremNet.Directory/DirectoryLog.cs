using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace NremNet.Directory;

/// <summary>Everything the directory logs. Caller mistakes and refusals are information, never errors.</summary>
internal static partial class DirectoryLog
{
    [LoggerMessage(1, LogLevel.Information, "{Country} applied to join the network ({Actor}); it is {Status} until the secretariat approves it.", EventName = "MemberRegistered")]
    public static partial void MemberRegistered(ILogger logger, string country, string actor, string status);

    [LoggerMessage(2, LogLevel.Information, "{Country} updated its application ({Actor}); it stays {Status}.", EventName = "ApplicationUpdated")]
    public static partial void ApplicationUpdated(ILogger logger, string country, string actor, string status);

    [LoggerMessage(3, LogLevel.Information, "{Country} went from {From} to {To} ({Event} by {Actor}); reason: {Reason}", EventName = "MemberStatusChanged")]
    public static partial void MemberStatusChanged(ILogger logger, string country, string from, string to, string @event, string actor, string reason);

    [LoggerMessage(4, LogLevel.Information, "Published snapshot {Version} ({MemberCount} active), valid until {ExpiresAt:u}.", EventName = "SnapshotIssued")]
    public static partial void SnapshotIssued(ILogger logger, ulong version, int memberCount, DateTimeOffset expiresAt);

    [LoggerMessage(5, LogLevel.Information, "Re-signed snapshot {Version}; now valid until {ExpiresAt:u}.", EventName = "SnapshotRenewed")]
    public static partial void SnapshotRenewed(ILogger logger, ulong version, DateTimeOffset expiresAt);

    [LoggerMessage(6, LogLevel.Warning, "Could not re-sign snapshot {Version}, which expires at {ExpiresAt:u}; trying again in {RetryIn}. Nodes stop trusting it when it expires.", EventName = "SnapshotRenewalFailed")]
    public static partial void SnapshotRenewalFailed(ILogger logger, ulong version, DateTimeOffset expiresAt, TimeSpan retryIn, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Refused {Method} for {Caller}: {StatusCode} {Reason}", EventName = "CallRefused")]
    public static partial void CallRefused(ILogger logger, string method, string caller, StatusCode statusCode, string reason);

    [LoggerMessage(8, LogLevel.Information, "Refused a TLS connection: {Reason}", EventName = "ClientCertificateRefused")]
    public static partial void ClientCertificateRefused(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Information, "The directory serves snapshot {Version} ({MemberCount} active, valid until {ExpiresAt:u}) from {Database}.", EventName = "SnapshotLoaded")]
    public static partial void SnapshotLoaded(ILogger logger, ulong version, int memberCount, DateTimeOffset expiresAt, string database);

    [LoggerMessage(10, LogLevel.Information, "Database {Database} brought to schema version {SchemaVersion}.", EventName = "DatabaseMigrated")]
    public static partial void DatabaseMigrated(ILogger logger, string database, int schemaVersion);

    [LoggerMessage(11, LogLevel.Debug, "Heartbeat from {Country}, which holds snapshot {HeldVersion} (current {CurrentVersion}).", EventName = "Heartbeat")]
    public static partial void Heartbeat(ILogger logger, string country, ulong heldVersion, ulong currentVersion);

    [LoggerMessage(12, LogLevel.Information, "The directory serves on {Address} as {Identity} (certificate {Thumbprint}, valid until {NotAfter:u}).", EventName = "Listening")]
    public static partial void Listening(ILogger logger, string address, string identity, string thumbprint, DateTime notAfter);
}
