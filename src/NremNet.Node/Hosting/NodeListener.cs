using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NremNet.Node.Hosting;

/// <summary>The node's two listeners.</summary>
internal enum NodeListener
{
    /// <summary>The peer API: other members, over mutual TLS.</summary>
    Peer,

    /// <summary>The user API and console: the node's own people.</summary>
    Console,
}

/// <summary>The listener a connection came in on; Kestrel sets it as the connection is accepted.</summary>
/// <param name="Listener">The listener.</param>
internal sealed record NodeListenerFeature(NodeListener Listener);

/// <summary>Endpoint metadata: the endpoint answers only on this listener.</summary>
/// <param name="Listener">The listener.</param>
internal sealed record NodeListenerMetadata(NodeListener Listener);

/// <summary>
/// Binds endpoints to one listener. The connection says which listener accepted it — not the Host header, which the
/// caller writes, and not the local port, which two listeners on different addresses may share — and routing matches an
/// endpoint only on its own listener. A gRPC method of the other API is then no endpoint at all: the caller gets the
/// UNIMPLEMENTED of an unknown service, as from a server that does not have it.
/// </summary>
internal static class NodeListeners
{
    /// <summary>Marks every connection the listener accepts with <paramref name="listener"/>.</summary>
    public static ListenOptions Mark(this ListenOptions listen, NodeListener listener)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var feature = new NodeListenerFeature(listener);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        return listen;
    }

    /// <summary>The listener a request came in on, or null outside Kestrel.</summary>
    public static NodeListener? ListenerOf(HttpContext http) => http.Features.Get<NodeListenerFeature>()?.Listener;

    /// <summary>
    /// Serves the endpoints of <paramref name="builder"/> on <paramref name="listener"/> only — except the application-wide
    /// fallback that answers UNIMPLEMENTED for an unknown service (Grpc.AspNetCore adds it with the first service
    /// mapped), which must answer on both.
    /// </summary>
    public static TBuilder On<TBuilder>(this TBuilder builder, NodeListener listener)
        where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new NodeListenerMetadata(listener);
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.GetParameter("unimplementedService") is not null)
            {
                return;
            }

            endpoint.Metadata.Add(metadata);
        });
        return builder;
    }
}

/// <summary>Routing's side of <see cref="NodeListeners"/>: an endpoint bound to a listener is no candidate on the other one.</summary>
internal sealed class NodeListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<NodeListenerMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var listener = NodeListeners.ListenerOf(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<NodeListenerMetadata>() is { } bound && bound.Listener != listener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
