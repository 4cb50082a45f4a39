using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Hosting.Certificates;

namespace NremNet.Node.Membership;

/// <summary>Registers the node's membership: the verified directory snapshot, its cache, and the link to the directory.</summary>
internal static class MembershipRegistration
{
    /// <summary>The snapshot held (cached in the data folder), the node's bound addresses and the directory link.</summary>
    public static IServiceCollection AddMembership(this IServiceCollection services)
    {
        services.AddSingleton(static sp => new SnapshotState(
            sp.GetRequiredService<NetworkCredentials>(),
            Path.Combine(sp.GetRequiredService<IOptions<NodeOptions>>().Value.DataDirectory, "snapshot.bin"),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SnapshotState>>()));
        services.AddSingleton<NodeEndpoints>();
        services.AddSingleton<DirectoryLink>();
        services.AddHostedService(static sp => sp.GetRequiredService<DirectoryLink>());
        return services;
    }
}
