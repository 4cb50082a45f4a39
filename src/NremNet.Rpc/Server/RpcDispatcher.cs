using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NremNet.Rpc.Compression;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Server;

/// <summary>
/// Routes gRPC requests to method handlers by path. Requests for unknown methods get UNIMPLEMENTED when they
/// are gRPC requests, and go on to the rest of the pipeline otherwise.
/// </summary>
internal sealed class RpcDispatcher
{
    private readonly FrozenDictionary<string, ServerCallHandler> _handlers;
    private readonly FrozenSet<string> _services;
    private readonly ILogger _logger;

    public RpcDispatcher(IReadOnlyList<ServiceDefinition> services, RpcServerOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _logger = logger;
        Services = services;
        var environment = new ServerCallEnvironment(options, new CompressionProviders(options.CompressionProviders), logger, timeProvider);
        var interceptors = options.Interceptors.ToList();
        var handlers = new Dictionary<string, ServerCallHandler>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        foreach (var service in services)
        {
            foreach (var binding in service.Methods)
            {
                if (!handlers.TryAdd(binding.Path, binding.CreateHandler(environment, interceptors)))
                {
                    duplicates.Add(binding.Path);
                }
            }
        }

        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"These gRPC methods are registered more than once: {string.Join(", ", duplicates)}. Register each service once.");
        }

        _handlers = handlers.ToFrozenDictionary(StringComparer.Ordinal);
        _services = services.Select(s => s.Name).ToFrozenSet(StringComparer.Ordinal);
        RpcServerLog.ServicesBound(logger, _handlers.Count, _services.Count, string.Join(", ", _services.Order(StringComparer.Ordinal)));
    }

    /// <summary>The services served, in registration order.</summary>
    public IReadOnlyList<ServiceDefinition> Services { get; }

    public RequestDelegate CreateMiddleware(RequestDelegate next) => http =>
    {
        var path = http.Request.Path.Value;
        if (path is not null && _handlers.TryGetValue(path, out var handler))
        {
            return handler.HandleAsync(http);
        }

        if (GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            RespondUnimplemented(http, path ?? string.Empty);
            return Task.CompletedTask;
        }

        return next(http);
    };

    private void RespondUnimplemented(HttpContext http, string path)
    {
        var slash = path.LastIndexOf('/');
        var service = slash > 1 ? path[1..slash] : path.TrimStart('/');
        var method = slash >= 0 ? path[(slash + 1)..] : string.Empty;
        var reason = _services.Contains(service)
            ? $"Method '{method}' is not part of service '{service}'."
            : $"Service '{service}' is not served here.";
        RpcServerLog.UnknownMethod(_logger, path, reason);

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = HttpServerCallContext.StatusCodeText(StatusCode.Unimplemented);
        response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(reason);
    }
}
