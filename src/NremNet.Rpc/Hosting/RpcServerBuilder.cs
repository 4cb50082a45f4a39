using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Rpc.Health;
using NremNet.Rpc.Reflection;
using NremNet.Rpc.Server;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Rpc;

/// <summary>Adds services to the gRPC server.</summary>
public sealed class RpcServerBuilder
{
    internal RpcServerBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Serves a service: <typeparamref name="TService"/> is created once and binds its handlers at start.</summary>
    public RpcServerBuilder AddService<TService>()
        where TService : class, IRpcService
    {
        Services.TryAddSingleton<TService>();
        Services.AddSingleton<IRpcService>(static sp => sp.GetRequiredService<TService>());
        return this;
    }

    /// <summary>Serves <c>grpc.health.v1.Health</c> over the <see cref="HealthStatusRegistry"/>.</summary>
    public RpcServerBuilder AddHealth() => AddService<HealthService>();

    /// <summary>Serves server reflection (v1 and v1alpha) describing every served service.</summary>
    public RpcServerBuilder AddReflection()
    {
        Services.TryAddSingleton<ReflectionMarker>();
        return this;
    }

    internal sealed class ReflectionMarker;
}

/// <summary>Registers and runs the gRPC server.</summary>
public static class RpcServerExtensions
{
    /// <summary>Adds the gRPC server; options bind from <c>Rpc:Server</c> and are validated at start.</summary>
    public static RpcServerBuilder AddNremNetRpc(this IServiceCollection services, Action<RpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RpcServerOptions>().BindConfiguration(RpcServerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcServerOptions>, RpcServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HealthStatusRegistry>();
        services.TryAddSingleton(static sp => CreateDispatcher(sp));
        return new RpcServerBuilder(services);
    }

    /// <summary>
    /// Serves the registered gRPC services from this point of the pipeline. Binds every service now, so a method
    /// without a handler stops the application at start with a message naming it.
    /// </summary>
    public static IApplicationBuilder UseNremNetRpc(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var dispatcher = app.ApplicationServices.GetRequiredService<RpcDispatcher>();
        var health = app.ApplicationServices.GetRequiredService<HealthStatusRegistry>();
        app.ApplicationServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(health.ShutDown);
        return app.Use(dispatcher.CreateMiddleware);
    }

    private static RpcDispatcher CreateDispatcher(IServiceProvider services)
    {
        var definitions = services.GetServices<IRpcService>().Select(s => s.BindService()).ToList();
        if (services.GetService<RpcServerBuilder.ReflectionMarker>() is not null)
        {
            var index = new ReflectionIndex(definitions.Select(d => d.Descriptor).Concat(
                [Reflection.V1.ReflectionReflection.Descriptor.Services[0], Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0]]));
            definitions.AddRange(new ReflectionService(index).BindServices());
        }

        var health = services.GetRequiredService<HealthStatusRegistry>();
        health.SetStatusIfUnset(string.Empty, ServingStatus.Serving);
        foreach (var definition in definitions)
        {
            health.SetStatusIfUnset(definition.Name, ServingStatus.Serving);
        }

        return new RpcDispatcher(
            definitions,
            services.GetRequiredService<IOptions<RpcServerOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("NremNet.Rpc.Server"),
            services.GetRequiredService<TimeProvider>());
    }
}
