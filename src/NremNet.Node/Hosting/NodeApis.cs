using Grpc.AspNetCore.Server;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Health;
using NremNet.Node.Audit;
using NremNet.Node.Federation;
using NremNet.Node.Health;
using NremNet.Node.Peers;
using NremNet.Node.Practices;
using NremNet.Node.Referrals;
using NremNet.Node.Statistics;
using NremNet.Node.Users;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace NremNet.Node.Hosting;

/// <summary>
/// What the node serves on each listener. The peer API — its services, grpc.health.v1 and reflection listing only the
/// peer services — on the peer listener only; the user API — its services, grpc.health.v1, reflection listing only the
/// user services, and <c>/healthz</c> — on the console listener only.
/// </summary>
internal static class NodeApis
{
    /// <summary>The services reflection lists on the peer listener.</summary>
    public static IReadOnlyList<ServiceDescriptor> PeerReflected { get; } = Reflected(ContractServices.Peer);

    /// <summary>The services reflection lists on the console listener.</summary>
    public static IReadOnlyList<ServiceDescriptor> UserReflected { get; } = Reflected(ContractServices.User);

    /// <summary>The reflection services of both listeners (the peer ones through the peer gate, as every peer service).</summary>
    public static IServiceCollection AddNodeReflection(this IServiceCollection services)
    {
        services.AddPeerService<PeerReflection>();
        services.AddPeerService<PeerReflectionV1Alpha>();
        services.AddSingleton<UserReflection>();
        services.AddSingleton<UserReflectionV1Alpha>();
        return services;
    }

    /// <summary>Maps the peer API on the peer listener.</summary>
    public static void MapPeerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FederationService>().On(NodeListener.Peer);
        endpoints.MapGrpcService<AggregateService>().On(NodeListener.Peer);
        endpoints.MapGrpcService<ReferralPeerService>().On(NodeListener.Peer);
        endpoints.MapGrpcService<DocumentPeerService>().On(NodeListener.Peer);
        endpoints.MapGrpcService<PeerReflection>().On(NodeListener.Peer);
        endpoints.MapGrpcService<PeerReflectionV1Alpha>().On(NodeListener.Peer);
        endpoints.MapGrpcHealth().On(NodeListener.Peer);
    }

    /// <summary>Maps the user API on the console listener: reflection for any of the node's people, health and /healthz for anyone.</summary>
    public static void MapUserApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<SessionService>().On(NodeListener.Console);
        endpoints.MapGrpcService<UserService>().On(NodeListener.Console);
        endpoints.MapGrpcService<TokenService>().On(NodeListener.Console);
        endpoints.MapGrpcService<AuditService>().On(NodeListener.Console);
        endpoints.MapGrpcService<NodeService>().On(NodeListener.Console);
        endpoints.MapGrpcService<StatisticsService>().On(NodeListener.Console);
        endpoints.MapGrpcService<AgreementService>().On(NodeListener.Console);
        endpoints.MapGrpcService<ReferralUserService>().On(NodeListener.Console);
        endpoints.MapGrpcService<PracticeUserService>().On(NodeListener.Console);
        endpoints.MapGrpcService<QuestionUserService>().On(NodeListener.Console);
        endpoints.MapGrpcService<UserReflection>().On(NodeListener.Console).RequireAuthorization(UserApiAccess.AnyRole);
        endpoints.MapGrpcService<UserReflectionV1Alpha>().On(NodeListener.Console).RequireAuthorization(UserApiAccess.AnyRole);
        endpoints.MapGrpcHealth().On(NodeListener.Console).AllowAnonymous();
        endpoints.MapHealthz().On(NodeListener.Console);
    }

    /// <summary>
    /// The start-up check of what is mapped: every method of the peer API is served on the peer listener and every method of
    /// the user API on the console listener, by a service that implements it (<see cref="ServiceCoverage"/>), and every
    /// gRPC method on the console listener declares who may call it (<see cref="UserApiAccess"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A method is not served, not implemented or has no access rule; the message names it.</exception>
    public static void EnsureComplete(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var all = endpoints.DataSources.SelectMany(s => s.Endpoints).ToList();
        List<Endpoint> On(NodeListener listener) => [.. all.Where(e => e.Metadata.GetMetadata<NodeListenerMetadata>()?.Listener == listener && e.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)];
        var peer = On(NodeListener.Peer);
        var console = On(NodeListener.Console);

        var missing = Unserved(ContractServices.Peer, peer).Concat(Unserved(ContractServices.User, console)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("These gRPC methods are not served on their listener (map their service in NodeApis): " + string.Join(", ", missing));
        }

        var contract = ContractServices.All.Select(s => s.FullName).ToHashSet(StringComparer.Ordinal);
        ServiceCoverage.EnsureImplemented(peer.Concat(console)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()!)
            .Where(m => contract.Contains(m.Method.ServiceName))
            .Select(m => m.ServiceType)
            .Distinct());
        UserApiAccess.EnsureCovered(console);
    }

    private static IEnumerable<string> Unserved(IEnumerable<ServiceDescriptor> services, IEnumerable<Endpoint> endpoints)
    {
        var served = endpoints.Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()!.Method.FullName).ToHashSet(StringComparer.Ordinal);
        return services.SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}")).Where(path => !served.Contains(path));
    }

    private static ServiceDescriptor[] Reflected(IEnumerable<ServiceDescriptor> api) =>
        [.. api, Grpc.Health.V1.Health.Descriptor, Grpc.Reflection.V1.ServerReflection.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor];
}

/// <summary>grpc.reflection.v1 on the peer listener: the peer API only.</summary>
internal sealed class PeerReflection() : ReflectionV1ServiceImpl(NodeApis.PeerReflected);

/// <summary>grpc.reflection.v1alpha on the peer listener, for older tools: the peer API only.</summary>
internal sealed class PeerReflectionV1Alpha() : ReflectionServiceImpl(NodeApis.PeerReflected);

/// <summary>grpc.reflection.v1 on the console listener: the user API only.</summary>
internal sealed class UserReflection() : ReflectionV1ServiceImpl(NodeApis.UserReflected);

/// <summary>grpc.reflection.v1alpha on the console listener, for older tools: the user API only.</summary>
internal sealed class UserReflectionV1Alpha() : ReflectionServiceImpl(NodeApis.UserReflected);
