using Microsoft.Extensions.DependencyInjection;
using NremNet.Hosting.Health;

namespace NremNet.Node.Health;

/// <summary>Registers the node's health: one check per thing checked, feeding grpc.health.v1, /healthz and <c>NodeService</c>.</summary>
internal static class HealthRegistration
{
    /// <summary>The checks "keys", "database", "snapshot" and "directory", and <c>NodeService</c>.</summary>
    public static IServiceCollection AddNodeHealth(this IServiceCollection services)
    {
        services.AddNremNetHealth()
            .AddCheck<KeysHealthCheck>("keys")
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<SnapshotHealthCheck>("snapshot")
            .AddCheck<DirectoryHealthCheck>("directory");
        services.AddSingleton<NodeService>();
        return services;
    }
}
