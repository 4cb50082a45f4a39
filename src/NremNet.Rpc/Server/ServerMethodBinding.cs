using System.Buffers;
using Google.Protobuf.Reflection;

namespace NremNet.Rpc.Server;

/// <summary>A method and what serves it; turned into a call handler with the server's interceptors at start.</summary>
internal abstract class ServerMethodBinding
{
    /// <summary>The HTTP/2 path of the method.</summary>
    public abstract string Path { get; }

    public abstract ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors);
}

internal sealed class UnaryBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler) : ServerMethodBinding
    where TRequest : class
    where TResponse : class
{
    public override string Path => method.FullName;

    public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
    {
        var pipeline = handler;
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = pipeline;
            pipeline = (request, context) => interceptor.UnaryServerHandler(request, context, next);
        }

        return new UnaryCallHandler<TRequest, TResponse>(method, environment, pipeline);
    }
}

internal sealed class ClientStreamingBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler) : ServerMethodBinding
    where TRequest : class
    where TResponse : class
{
    public override string Path => method.FullName;

    public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
    {
        var pipeline = handler;
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = pipeline;
            pipeline = (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next);
        }

        return new ClientStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline);
    }
}

internal sealed class ServerStreamingBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler) : ServerMethodBinding
    where TRequest : class
    where TResponse : class
{
    public override string Path => method.FullName;

    public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
    {
        var pipeline = handler;
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = pipeline;
            pipeline = (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next);
        }

        return new ServerStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline);
    }
}

internal sealed class DuplexStreamingBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler) : ServerMethodBinding
    where TRequest : class
    where TResponse : class
{
    public override string Path => method.FullName;

    public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
    {
        var pipeline = handler;
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = pipeline;
            pipeline = (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next);
        }

        return new DuplexStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline);
    }
}

/// <summary>A method deliberately left unimplemented: every call gets UNIMPLEMENTED with the reason.</summary>
internal sealed class UnimplementedBinding(MethodDescriptor descriptor, string reason) : ServerMethodBinding
{
    public override string Path => "/" + descriptor.Service.FullName + "/" + descriptor.Name;

    public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
    {
        var method = new Method<byte[], byte[]>(Method.TypeOf(descriptor), descriptor.Service.FullName, descriptor.Name, RawMarshaller.Instance, RawMarshaller.Instance);
        var status = new Status(StatusCode.Unimplemented, $"Method '{descriptor.Name}' of service '{descriptor.Service.FullName}' is not implemented: {reason}");
        return new DuplexStreamingCallHandler<byte[], byte[]>(method, environment, (_, _, _) => throw new RpcException(status));
    }

    private sealed class RawMarshaller : Marshaller<byte[]>
    {
        public static readonly RawMarshaller Instance = new();

        public override int GetSerializedSize(byte[] message) => message.Length;

        public override void Serialize(byte[] message, int serializedSize, IBufferWriter<byte> destination) => destination.Write(message);

        public override byte[] Deserialize(ReadOnlySequence<byte> payload) => payload.ToArray();
    }
}
