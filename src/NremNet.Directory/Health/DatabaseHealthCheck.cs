using Microsoft.Extensions.Diagnostics.HealthChecks;
using NremNet.Directory.Storage;

namespace NremNet.Directory.Health;

/// <summary>Healthy while the directory's database can be written: membership changes and snapshot renewals need it.</summary>
internal sealed class DatabaseHealthCheck(DirectoryDatabase database) : IHealthCheck
{
    /// <summary>The check's name in <c>/healthz</c> and the log.</summary>
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (writable, reason) = await database.Sqlite.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        return writable ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason);
    }
}
