using System.IO.Compression;
using System.Text;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NremNet.Hosting.Grpc;

/// <summary>How every NremNet process serves gRPC (Grpc.AspNetCore), with the same limits everywhere.</summary>
public static class GrpcServer
{
    /// <summary>Largest request message a server accepts (4 MiB).</summary>
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Registers gRPC with NremNet's defaults: 4 MiB requests, no exception details to callers, gzip accepted, and
    /// server reflection. <paramref name="configure"/> may change them. Every gRPC request first passes the
    /// <see cref="GrpcRequestGuard"/>, and Kestrel reads request header bytes as Latin-1, so that no byte a client
    /// puts in metadata fails the connection (the guard then drops what is not printable ASCII).
    /// </summary>
    public static IGrpcServerBuilder AddNremNetGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxReceiveMessageSize;
            o.EnableDetailedErrors = false;
            o.ResponseCompressionLevel = CompressionLevel.Fastest;
            configure?.Invoke(o);
        });
        services.AddGrpcReflection();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, GrpcRequestGuard.StartupFilter>());
        // Kestrel's default (strict UTF-8) answers a header byte that is not UTF-8 with GOAWAY, ending every call on the
        // connection; the gRPC protocol asks that such a value, valid in HTTP (obs-text), fail nothing.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1);
        return builder;
    }
}
