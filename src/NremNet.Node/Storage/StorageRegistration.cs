using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NremNet.Node.Storage;

/// <summary>Registers the node's database.</summary>
internal static class StorageRegistration
{
    /// <summary><c>node.db</c> in <c>Node:DataDirectory</c>.</summary>
    public static IServiceCollection AddNodeStorage(this IServiceCollection services)
    {
        services.AddSingleton(static sp => new NodeDatabase(sp.GetRequiredService<IOptions<NodeOptions>>().Value.DataDirectory));
        return services;
    }
}
