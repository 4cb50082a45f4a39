using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace NremNet.Rpc;

/// <summary>The shape of a method: how many messages go each way.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
    /// <summary>Streams both ways.</summary>
    DuplexStreaming,
}

/// <summary>A method of a service, independent of its message types.</summary>
public abstract class Method
{
    private protected Method(MethodType type, string serviceName, string name, bool idempotent)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = "/" + serviceName + "/" + name;
        IsIdempotent = idempotent;
    }

    /// <summary>The method's shape.</summary>
    public MethodType Type { get; }

    /// <summary>Fully-qualified service name, e.g. <c>grpc.health.v1.Health</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name, e.g. <c>Check</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path: <c>/service/method</c>.</summary>
    public string FullName { get; }

    /// <summary>
    /// Whether calling the method twice has the effect of calling it once, so a client may retry it
    /// when the server was unavailable. Taken from the proto option <c>idempotency_level</c>.
    /// </summary>
    public bool IsIdempotent { get; }

    /// <summary>
    /// The method named <paramref name="name"/> of a protobuf service, checked against its descriptor:
    /// the method must exist and its request and response types must be <typeparamref name="TRequest"/> and <typeparamref name="TResponse"/>.
    /// </summary>
    public static Method<TRequest, TResponse> FromDescriptor<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        var descriptor = service.FindMethodByName(name)
            ?? throw new ArgumentException($"Service '{service.FullName}' has no method '{name}'. It has: {string.Join(", ", service.Methods.Select(m => m.Name))}.", nameof(name));
        var problems = DescribeMismatch(descriptor, typeof(TRequest), new TRequest().Descriptor, typeof(TResponse), new TResponse().Descriptor);
        if (problems is not null)
        {
            throw new ArgumentException(problems, nameof(name));
        }

        return new Method<TRequest, TResponse>(
            TypeOf(descriptor),
            service.FullName,
            descriptor.Name,
            Marshallers.Protobuf<TRequest>(),
            Marshallers.Protobuf<TResponse>(),
            IsIdempotentInProto(descriptor));
    }

    internal static MethodType TypeOf(MethodDescriptor descriptor) => (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };

    internal static string? DescribeMismatch(MethodDescriptor descriptor, Type requestType, MessageDescriptor request, Type responseType, MessageDescriptor response)
    {
        var problems = new List<string>();
        if (request.FullName != descriptor.InputType.FullName)
        {
            problems.Add($"its request type is {descriptor.InputType.FullName}, not {request.FullName} ({requestType.Name})");
        }

        if (response.FullName != descriptor.OutputType.FullName)
        {
            problems.Add($"its response type is {descriptor.OutputType.FullName}, not {response.FullName} ({responseType.Name})");
        }

        return problems.Count == 0 ? null : $"Method '{descriptor.Service.FullName}/{descriptor.Name}': {string.Join("; ", problems)}.";
    }

    private static bool IsIdempotentInProto(MethodDescriptor descriptor)
    {
        var level = descriptor.GetOptions()?.IdempotencyLevel;
        return level is MethodOptions.Types.IdempotencyLevel.Idempotent or MethodOptions.Types.IdempotencyLevel.NoSideEffects;
    }
}

/// <summary>A method with its message types and marshallers.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class Method<TRequest, TResponse> : Method
    where TRequest : class
    where TResponse : class
{
    /// <summary>Creates a method description.</summary>
    public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller, bool idempotent = false)
        : base(type, serviceName, name, idempotent)
    {
        RequestMarshaller = requestMarshaller ?? throw new ArgumentNullException(nameof(requestMarshaller));
        ResponseMarshaller = responseMarshaller ?? throw new ArgumentNullException(nameof(responseMarshaller));
    }

    /// <summary>Serializes requests.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>Serializes responses.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }
}
