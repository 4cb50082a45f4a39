using System.IO.Compression;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;

namespace NremNet.Hosting.Grpc;

/// <summary>How every NremNet process serves gRPC (Grpc.AspNetCore), with the same limits everywhere.</summary>
public static class GrpcServer
{
    /// <summary>Largest request message a server accepts (4 MiB).</summary>
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Registers gRPC with NremNet's defaults: 4 MiB requests, no exception details to callers, gzip accepted, and
    /// server reflection. <paramref name="configure"/> may change them.
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
        return builder;
    }
}
