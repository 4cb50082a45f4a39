using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NremNet.Directory.Snapshots;

namespace NremNet.Directory.Health;

/// <summary>Healthy while the snapshot the directory serves is valid and has been re-signed on time.</summary>
internal sealed class SnapshotHealthCheck(SnapshotFeed feed, IOptions<DirectoryOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>The check's name in <c>/healthz</c> and the log.</summary>
    public const string Name = "snapshot";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(time.GetUtcNow()));

    private HealthCheckResult Check(DateTimeOffset now)
    {
        if (feed.Current is not { } current)
        {
            return HealthCheckResult.Unhealthy("no snapshot has been published yet");
        }

        if (current.ExpiresAt <= now)
        {
            return HealthCheckResult.Unhealthy($"snapshot {current.Version} expired at {current.ExpiresAt:u}; nodes no longer trust it. See the warnings about re-signing it.");
        }

        // Renewal is due at expiry minus RenewBefore; past half of that margin it has been failing for a while.
        var margin = options.Value.SnapshotRenewBefore / 2;
        return current.ExpiresAt - now <= margin
            ? HealthCheckResult.Unhealthy($"snapshot {current.Version} expires at {current.ExpiresAt:u} and has not been re-signed; see the warnings about re-signing it")
            : HealthCheckResult.Healthy($"snapshot {current.Version} with {current.Snapshot.Members.Count} active members is valid until {current.ExpiresAt:u}");
    }
}
