using Microsoft.Extensions.Options;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Storage;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Health;

namespace NremNet.Directory.Health;

/// <summary>
/// The directory is healthy when its database can be written, its certificate has more than
/// <see cref="CertificateWarning"/> to live, and the snapshot it serves is valid and has been renewed on time.
/// </summary>
internal sealed class DirectoryHealth(DirectoryDatabase database, NetworkCredentials credentials, SnapshotFeed feed, IOptions<DirectoryOptions> options, TimeProvider time) : IHealthReporter
{
    /// <summary>How long before its expiry the certificate makes the directory unhealthy, so there is time to renew it.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    public async Task<IReadOnlyList<HealthCheckResult>> CheckAsync(CancellationToken cancellationToken)
    {
        var (writable, reason) = await database.Sqlite.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return [new HealthCheckResult("database", writable, reason), Certificate(now), Snapshot(now)];
    }

    private HealthCheckResult Certificate(DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(credentials.Certificate.NotAfter.ToUniversalTime());
        var left = notAfter - now;
        return left > CertificateWarning
            ? new HealthCheckResult("certificate", true, $"the directory certificate {credentials.Thumbprint} is valid until {notAfter:u}")
            : new HealthCheckResult("certificate", false, left <= TimeSpan.Zero
                ? $"the directory certificate {credentials.Thumbprint} expired at {notAfter:u}; issue a new one with 'nremnet pki' and restart the directory"
                : $"the directory certificate {credentials.Thumbprint} expires at {notAfter:u}, in {left.Days} days; issue a new one with 'nremnet pki' and restart the directory");
    }

    private HealthCheckResult Snapshot(DateTimeOffset now)
    {
        if (feed.Current is not { } current)
        {
            return new HealthCheckResult("snapshot", false, "no snapshot has been published yet");
        }

        if (current.ExpiresAt <= now)
        {
            return new HealthCheckResult("snapshot", false, $"snapshot {current.Version} expired at {current.ExpiresAt:u}; nodes no longer trust it. See the warnings about re-signing it.");
        }

        // Renewal is due at expiry minus RenewBefore; past half of that margin it has been failing for a while.
        var margin = options.Value.SnapshotRenewBefore / 2;
        return current.ExpiresAt - now <= margin
            ? new HealthCheckResult("snapshot", false, $"snapshot {current.Version} expires at {current.ExpiresAt:u} and has not been re-signed; see the warnings about re-signing it")
            : new HealthCheckResult("snapshot", true, $"snapshot {current.Version} with {current.Snapshot.Members.Count} active members is valid until {current.ExpiresAt:u}");
    }
}
