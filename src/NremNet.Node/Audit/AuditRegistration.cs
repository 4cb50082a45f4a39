using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Storage;

namespace NremNet.Node.Audit;

/// <summary>The certificate whose private key signs the audit log's head: the node's own.</summary>
/// <param name="Certificate">The node certificate, with its private key.</param>
internal sealed record AuditKey(X509Certificate2 Certificate);

/// <summary>Registers the audit log and its user API.</summary>
internal static class AuditRegistration
{
    /// <summary>The audit log (signed with the <see cref="AuditKey"/> the host registers) and <c>AuditService</c>.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton(static sp => new AuditLog(sp.GetRequiredService<NodeDatabase>(), sp.GetRequiredService<AuditKey>().Certificate, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AuditService>();
        return services;
    }
}
