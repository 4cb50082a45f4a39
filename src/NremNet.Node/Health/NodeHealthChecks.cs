using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;
using NremNet.Node.Membership;
using NremNet.Node.Storage;

namespace NremNet.Node.Health;

/// <summary>"keys": the node certificate and the network CA are loaded and not about to expire.</summary>
internal sealed class KeysHealthCheck(NetworkCredentials credentials, TimeProvider time) : IHealthCheck
{
    /// <summary>How early an expiring certificate is reported.</summary>
    public static readonly TimeSpan Warning = TimeSpan.FromDays(14);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var certificateExpires = credentials.Certificate.NotAfter.ToUniversalTime();
        var authorityExpires = credentials.Authority.NotAfter.ToUniversalTime();
        return Task.FromResult(certificateExpires - now < Warning || authorityExpires - now < Warning
            ? HealthCheckResult.Unhealthy($"the node certificate expires {certificateExpires:u} and the network CA {authorityExpires:u}; renew before they lapse")
            : HealthCheckResult.Healthy($"node certificate {credentials.Thumbprint[..12]}… for {credentials.Identity.Country} valid until {certificateExpires:u}"));
    }
}

/// <summary>"database": the node's database takes writes.</summary>
internal sealed class DatabaseHealthCheck(NodeDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (writable, reason) = await database.Database.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        return writable ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason);
    }
}

/// <summary>"snapshot": the directory snapshot held vouches for members now; said when it was not refreshed lately.</summary>
internal sealed class SnapshotHealthCheck(SnapshotState snapshots, DirectoryLink directory, IOptions<NodeOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (trusted, trust) = snapshots.Trust;
        var fresh = directory.LastContact is { } contact && time.GetUtcNow() - contact <= options.Value.SnapshotRefreshInterval * 3;
        var reason = trusted && !fresh ? $"{trust}, but not refreshed since {directory.LastContact?.ToString("u") ?? "start"}" : trust;
        return Task.FromResult(trusted ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason));
    }
}

/// <summary>
/// "directory": the directory answered. An unreachable directory is reported, but fails the node only once the cached
/// snapshot can no longer be trusted: until then the node works on, as it should.
/// </summary>
internal sealed class DirectoryHealthCheck(SnapshotState snapshots, DirectoryLink directory, IOptions<NodeOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (directory.Reachable)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{options.Value.DirectoryUrl} answered at {directory.LastContact:u}"));
        }

        var (trusted, trust) = snapshots.Trust;
        var reason = $"{options.Value.DirectoryUrl} is not reachable ({directory.LastError}); working from {trust}";
        return Task.FromResult(trusted ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason));
    }
}
