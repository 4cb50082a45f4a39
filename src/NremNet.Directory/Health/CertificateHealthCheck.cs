using Microsoft.Extensions.Diagnostics.HealthChecks;
using NremNet.Hosting.Certificates;

namespace NremNet.Directory.Health;

/// <summary>
/// Healthy while the directory's certificate has more than <see cref="Warning"/> to live, so there is time to issue a new
/// one before callers and snapshot verifiers stop trusting it.
/// </summary>
internal sealed class CertificateHealthCheck(NetworkCredentials credentials, TimeProvider time) : IHealthCheck
{
    /// <summary>The check's name in <c>/healthz</c> and the log.</summary>
    public const string Name = "certificate";

    /// <summary>How long before its expiry the certificate makes the directory unhealthy.</summary>
    public static readonly TimeSpan Warning = TimeSpan.FromDays(14);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var notAfter = new DateTimeOffset(credentials.Certificate.NotAfter.ToUniversalTime());
        var left = notAfter - time.GetUtcNow();
        return Task.FromResult(left > Warning
            ? HealthCheckResult.Healthy($"the directory certificate {credentials.Thumbprint} is valid until {notAfter:u}")
            : HealthCheckResult.Unhealthy(left <= TimeSpan.Zero
                ? $"the directory certificate {credentials.Thumbprint} expired at {notAfter:u}; issue a new one with 'nremnet pki' and restart the directory"
                : $"the directory certificate {credentials.Thumbprint} expires at {notAfter:u}, in {left.Days} days; issue a new one with 'nremnet pki' and restart the directory"));
    }
}
