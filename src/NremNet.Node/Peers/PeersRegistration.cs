using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Federation;

namespace NremNet.Node.Peers;

/// <summary>Registers the node's side of the federation: who may call the peer API, and how the node calls its peers.</summary>
internal static class PeersRegistration
{
    /// <summary>
    /// The peer gate and its interceptor, the TLS refusals' audit, the pinned channels to peers, the peers' presence and
    /// the hello monitor, and <c>FederationService</c>.
    /// </summary>
    public static IServiceCollection AddPeers(this IServiceCollection services)
    {
        services.AddSingleton<PeerGate>();
        services.AddSingleton<PeerCallInterceptor>();
        services.AddSingleton<PeerRefusals>();
        services.AddHostedService<PeerRefusalRecorder>();
        services.AddSingleton<PeerCertificates>();
        services.AddSingleton<PeerChannels>();
        services.AddSingleton<PeerPresence>();
        services.AddSingleton<PeerMonitor>();
        services.AddHostedService(static sp => sp.GetRequiredService<PeerMonitor>());
        services.AddPeerService<FederationService>();
        return services;
    }

    /// <summary>Registers a service of the peer API: one instance, and every call through the <see cref="PeerCallInterceptor"/>.</summary>
    public static IServiceCollection AddPeerService<TService>(this IServiceCollection services)
        where TService : class
    {
        services.AddSingleton<TService>();
        services.AddGrpc().AddServiceOptions<TService>(static o => o.Interceptors.Add<PeerCallInterceptor>());
        return services;
    }
}
