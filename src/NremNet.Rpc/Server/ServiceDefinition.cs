using Google.Protobuf;
using Google.Protobuf.Reflection;
using NremNet.Rpc.Server;

namespace NremNet.Rpc;

/// <summary>A service implementation that binds its handlers to the methods of its proto service.</summary>
public interface IRpcService
{
    /// <summary>Binds every method of the service; called once at start.</summary>
    ServiceDefinition BindService();
}

/// <summary>A proto service with a handler (or an explicit "unimplemented" mark) for every method.</summary>
public sealed class ServiceDefinition
{
    internal ServiceDefinition(ServiceDescriptor descriptor, IReadOnlyList<ServerMethodBinding> methods)
    {
        Descriptor = descriptor;
        Methods = methods;
    }

    /// <summary>The service's descriptor.</summary>
    public ServiceDescriptor Descriptor { get; }

    /// <summary>The fully-qualified service name.</summary>
    public string Name => Descriptor.FullName;

    internal IReadOnlyList<ServerMethodBinding> Methods { get; }
}

/// <summary>
/// Binds handlers to the methods of a proto service. Every method must get a handler or be marked
/// <see cref="Unimplemented"/>; <see cref="Build"/> names every method left out and every type mismatch.
/// </summary>
public sealed class ServiceBuilder
{
    private readonly ServiceDescriptor _descriptor;
    private readonly Dictionary<string, ServerMethodBinding> _bindings = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    private ServiceBuilder(ServiceDescriptor descriptor)
    {
        _descriptor = descriptor;
    }

    /// <summary>Starts binding the methods of a service.</summary>
    public static ServiceBuilder For(ServiceDescriptor descriptor) => new(descriptor ?? throw new ArgumentNullException(nameof(descriptor)));

    /// <summary>Binds a unary method by name.</summary>
    public ServiceBuilder Unary<TRequest, TResponse>(string name, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Bind<TRequest, TResponse>(name, MethodType.Unary, handler, m => ServerMethodBinding.Unary(m, handler));

    /// <summary>Binds a client-streaming method by name.</summary>
    public ServiceBuilder ClientStreaming<TRequest, TResponse>(string name, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Bind<TRequest, TResponse>(name, MethodType.ClientStreaming, handler, m => ServerMethodBinding.ClientStreaming(m, handler));

    /// <summary>Binds a server-streaming method by name.</summary>
    public ServiceBuilder ServerStreaming<TRequest, TResponse>(string name, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Bind<TRequest, TResponse>(name, MethodType.ServerStreaming, handler, m => ServerMethodBinding.ServerStreaming(m, handler));

    /// <summary>Binds a bidirectional-streaming method by name.</summary>
    public ServiceBuilder DuplexStreaming<TRequest, TResponse>(string name, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Bind<TRequest, TResponse>(name, MethodType.DuplexStreaming, handler, m => ServerMethodBinding.DuplexStreaming(m, handler));

    /// <summary>Binds a unary method described by a shared method object.</summary>
    public ServiceBuilder Unary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Unary(NameOf(method), handler);

    /// <summary>Binds a client-streaming method described by a shared method object.</summary>
    public ServiceBuilder ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        ClientStreaming(NameOf(method), handler);

    /// <summary>Binds a server-streaming method described by a shared method object.</summary>
    public ServiceBuilder ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        ServerStreaming(NameOf(method), handler);

    /// <summary>Binds a bidirectional-streaming method described by a shared method object.</summary>
    public ServiceBuilder DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        DuplexStreaming(NameOf(method), handler);

    /// <summary>Marks a method as deliberately not implemented: calls get UNIMPLEMENTED with the reason.</summary>
    public ServiceBuilder Unimplemented(string name, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var descriptor = _descriptor.FindMethodByName(name);
        if (descriptor is null)
        {
            _errors.Add($"'{name}' is marked unimplemented, but the service has no such method.");
        }
        else if (!_bindings.TryAdd(name, new UnimplementedBinding(descriptor, reason)))
        {
            _errors.Add($"'{name}' is bound twice.");
        }

        return this;
    }

    /// <summary>Checks that every method is bound and returns the service definition.</summary>
    /// <exception cref="InvalidOperationException">A method has no handler, or a binding does not match the proto.</exception>
    public ServiceDefinition Build()
    {
        var errors = new List<string>(_errors);
        foreach (var method in _descriptor.Methods)
        {
            if (!_bindings.ContainsKey(method.Name))
            {
                errors.Add($"'{method.Name}' has no handler: bind it with {KindName(Method.TypeOf(method))}(\"{method.Name}\", ...) or mark it Unimplemented(\"{method.Name}\", reason).");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Service '{_descriptor.FullName}' cannot be served:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}");
        }

        return new ServiceDefinition(_descriptor, _descriptor.Methods.Select(m => _bindings[m.Name]).ToList());
    }

    private string NameOf(Method method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.ServiceName != _descriptor.FullName)
        {
            _errors.Add($"'{method.Name}' belongs to service '{method.ServiceName}', not to this one.");
        }

        return method.Name;
    }

    private ServiceBuilder Bind<TRequest, TResponse>(string name, MethodType kind, Delegate handler, Func<Method<TRequest, TResponse>, ServerMethodBinding> create)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var descriptor = _descriptor.FindMethodByName(name);
        if (descriptor is null)
        {
            _errors.Add($"A handler is bound to '{name}', but the service has no such method.");
            return this;
        }

        var actual = Method.TypeOf(descriptor);
        if (actual != kind)
        {
            _errors.Add($"'{name}' is {KindName(actual)} in the proto but is bound as {KindName(kind)}.");
            return this;
        }

        var mismatch = Method.DescribeMismatch(descriptor, typeof(TRequest), new TRequest().Descriptor, typeof(TResponse), new TResponse().Descriptor);
        if (mismatch is not null)
        {
            _errors.Add(mismatch);
            return this;
        }

        if (!_bindings.TryAdd(name, create(Method.FromDescriptor<TRequest, TResponse>(_descriptor, name))))
        {
            _errors.Add($"'{name}' is bound twice.");
        }

        return this;
    }

    private static string KindName(MethodType type) => type switch
    {
        MethodType.Unary => nameof(Unary),
        MethodType.ClientStreaming => nameof(ClientStreaming),
        MethodType.ServerStreaming => nameof(ServerStreaming),
        _ => nameof(DuplexStreaming),
    };
}
