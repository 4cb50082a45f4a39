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

    /// <summary>
    /// Serves a group of services of its own from this point of the pipeline — e.g. one group per listener — with options
    /// that start from the configured <see cref="RpcServerOptions"/>. Binds everything now, failing fast like
    /// <see cref="UseNremNetRpc(IApplicationBuilder)"/>.
    /// </summary>
    public static IApplicationBuilder UseNremNetRpc(this IApplicationBuilder app, Action<RpcServiceGroup> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        var services = app.ApplicationServices;
        var defaults = services.GetRequiredService<IOptions<RpcServerOptions>>().Value;
        var group = new RpcServerGroupBuilder(defaults, services.GetRequiredService<HealthStatusRegistry>());
        configure(group);
        var dispatcher = Dispatch(group.Options, group.Services, group.Reflection, services, group.Name);
        return app.Use(dispatcher.CreateMiddleware);
    }

    private static RpcDispatcher CreateDispatcher(IServiceProvider services) =>
        Dispatch(
            services.GetRequiredService<IOptions<RpcServerOptions>>().Value,
            services.GetServices<IRpcService>().ToList(),
            services.GetService<RpcServerBuilder.ReflectionMarker>() is not null,
            services,
            null);

    private static RpcDispatcher Dispatch(RpcServerOptions options, IReadOnlyList<IRpcService> rpcServices, bool reflection, IServiceProvider services, string? name)
    {
        var definitions = rpcServices.Select(s => s.BindService()).ToList();
        if (reflection)
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
            options,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(name is null ? "NremNet.Rpc.Server" : "NremNet.Rpc.Server." + name),
            services.GetRequiredService<TimeProvider>());
    }

    private sealed class RpcServerGroupBuilder(RpcServerOptions defaults, HealthStatusRegistry health) : RpcServiceGroup
    {
        public override RpcServerOptions Options { get; } = defaults.Clone();

        public List<IRpcService> Services { get; } = [];

        public bool Reflection { get; private set; }

        public override RpcServiceGroup Add(IRpcService service)
        {
            Services.Add(service ?? throw new ArgumentNullException(nameof(service)));
            return this;
        }

        public override RpcServiceGroup AddHealth() => Add(new HealthService(health));

        public override RpcServiceGroup AddReflection()
        {
            Reflection = true;
            return this;
        }
    }
}

/// <summary>The services, options and extras of one group of services served together.</summary>
public abstract class RpcServiceGroup
{
    /// <summary>A name for the group's logs (e.g. <c>Peer</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The group's options; a copy of the configured ones, with interceptors of its own.</summary>
    public abstract RpcServerOptions Options { get; }

    /// <summary>Serves a service in this group.</summary>
    public abstract RpcServiceGroup Add(IRpcService service);

    /// <summary>Serves <c>grpc.health.v1.Health</c> in this group.</summary>
    public abstract RpcServiceGroup AddHealth();

    /// <summary>Serves server reflection describing this group's services.</summary>
    public abstract RpcServiceGroup AddReflection();
}
