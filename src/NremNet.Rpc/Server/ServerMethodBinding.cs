using System.Buffers;
using Google.Protobuf.Reflection;

namespace NremNet.Rpc.Server;

/// <summary>A method and what serves it; turned into a call handler with the server's interceptors at start.</summary>
internal abstract class ServerMethodBinding
{
    /// <summary>The HTTP/2 path of the method.</summary>
    public abstract string Path { get; }

    public abstract ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors);

    public static ServerMethodBinding Unary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new Binding<UnaryServerMethod<TRequest, TResponse>>(
            method.FullName,
            handler,
            static (interceptor, next) => (request, context) => interceptor.UnaryServerHandler(request, context, next),
            (environment, pipeline) => new UnaryCallHandler<TRequest, TResponse>(method, environment, pipeline));

    public static ServerMethodBinding ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new Binding<ClientStreamingServerMethod<TRequest, TResponse>>(
            method.FullName,
            handler,
            static (interceptor, next) => (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next),
            (environment, pipeline) => new ClientStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline));

    public static ServerMethodBinding ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new Binding<ServerStreamingServerMethod<TRequest, TResponse>>(
            method.FullName,
            handler,
            static (interceptor, next) => (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next),
            (environment, pipeline) => new ServerStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline));

    public static ServerMethodBinding DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new Binding<DuplexStreamingServerMethod<TRequest, TResponse>>(
            method.FullName,
            handler,
            static (interceptor, next) => (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next),
            (environment, pipeline) => new DuplexStreamingCallHandler<TRequest, TResponse>(method, environment, pipeline));

    /// <summary>A handler wrapped once, at start, by every interceptor (the first one outermost).</summary>
    private sealed class Binding<THandler>(string path, THandler handler, Func<Interceptor, THandler, THandler> intercept, Func<ServerCallEnvironment, THandler, ServerCallHandler> create) : ServerMethodBinding
        where THandler : Delegate
    {
        public override string Path => path;

        public override ServerCallHandler CreateHandler(ServerCallEnvironment environment, IReadOnlyList<Interceptor> interceptors)
        {
            var pipeline = handler;
            for (var i = interceptors.Count - 1; i >= 0; i--)
            {
                pipeline = intercept(interceptors[i], pipeline);
            }

            return create(environment, pipeline);
        }
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
