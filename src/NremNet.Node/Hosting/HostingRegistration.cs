using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Node.Audit;

namespace NremNet.Node.Hosting;

/// <summary>Registers what the node's features stand on: its options, clock and credentials, its listeners, its start.</summary>
internal static class HostingRegistration
{
    /// <summary>
    /// <see cref="NodeOptions"/> bound from section <c>Node</c> (unknown keys refused) and validated at start by
    /// <see cref="NodeOptionsValidator"/>; the system clock unless another <see cref="TimeProvider"/> is registered; the
    /// node's credentials, checked against the network CA; the two listeners and the routing that keeps each API on its
    /// own; and <see cref="NodeStartup"/>, before any other hosted service.
    /// </summary>
    public static IServiceCollection AddNodeHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>()
            // A misspelt key would otherwise be ignored and its default used without a word.
            .Bind(configuration.GetSection(NodeOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static sp => LoadCredentials(sp.GetRequiredService<IOptions<NodeOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(static sp => new AuditKey(sp.GetRequiredService<NetworkCredentials>().Certificate));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, NodeKestrelSetup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, NodeListenerMatcherPolicy>());
        services.AddHostedService<NodeStartup>();
        return services;
    }

    private static NetworkCredentials LoadCredentials(NodeOptions options, TimeProvider time) =>
        NetworkCredentials.Load(options.CertificateFile, options.KeyFile, options.NetworkCaFile, NetworkRole.Node, options.Country, time.GetUtcNow());
}
