using NremNet.Hosting.Certificates;
using NremNet.Hosting.Health;
using NremNet.Node.Membership;
using NremNet.Node.Storage;

namespace NremNet.Node.Health;

/// <summary>
/// The node's health, each check with its reason: keys loaded and not expiring soon, database writable, snapshot valid
/// and fresh, directory reachable.
/// </summary>
internal sealed class NodeHealth(NetworkCredentials credentials, NodeDatabase database, SnapshotState snapshots, DirectoryLink directory, TimeProvider time, Microsoft.Extensions.Options.IOptions<NodeOptions> options) : IHealthReporter
{
    /// <summary>How early an expiring certificate is reported.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    public async Task<IReadOnlyList<HealthCheckResult>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new List<HealthCheckResult>();

        var certificateLeft = credentials.Certificate.NotAfter.ToUniversalTime() - now.UtcDateTime;
        var authorityLeft = credentials.Authority.NotAfter.ToUniversalTime() - now.UtcDateTime;
        results.Add(certificateLeft < CertificateWarning || authorityLeft < CertificateWarning
            ? new HealthCheckResult("keys", false, $"the node certificate expires {credentials.Certificate.NotAfter.ToUniversalTime():u} and the network CA {credentials.Authority.NotAfter.ToUniversalTime():u}; renew before they lapse")
            : new HealthCheckResult("keys", true, $"node certificate {credentials.Thumbprint[..12]}… for {credentials.Identity.Country} valid until {credentials.Certificate.NotAfter.ToUniversalTime():u}"));

        var (writable, reason) = await database.Database.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        results.Add(new HealthCheckResult("database", writable, reason));

        var (trusted, trust) = snapshots.Trust;
        var fresh = directory.LastContact is { } contact && now - contact <= options.Value.SnapshotRefreshInterval * 3;
        results.Add(new HealthCheckResult("snapshot", trusted, trusted && !fresh ? $"{trust}, but not refreshed since {directory.LastContact?.ToString("u") ?? "start"}" : trust));

        // An unreachable directory is reported, but fails the node only once the cached snapshot can no longer be trusted:
        // until then the node works on, as it should.
        results.Add(directory.Reachable
            ? new HealthCheckResult("directory", true, $"{options.Value.DirectoryUrl} answered at {directory.LastContact:u}")
            : new HealthCheckResult("directory", trusted, $"{options.Value.DirectoryUrl} is not reachable ({directory.LastError}); working from {trust}"));
        return results;
    }
}
