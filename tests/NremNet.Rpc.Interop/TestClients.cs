using Google.Protobuf.Reflection;
using Grpc.Testing;

namespace NremNet.Rpc.Interop;

/// <summary>A typed client of <c>grpc.testing.TestService</c>.</summary>
internal sealed class TestServiceClient(CallInvoker invoker) : ClientBase(invoker)
{
    private static readonly ServiceDescriptor Service = TestReflection.Descriptor.FindTypeByName<ServiceDescriptor>("TestService");
    private static readonly Method<Empty, Empty> EmptyCallMethod = Method.FromDescriptor<Empty, Empty>(Service, "EmptyCall");
    private static readonly Method<SimpleRequest, SimpleResponse> UnaryCallMethod = Method.FromDescriptor<SimpleRequest, SimpleResponse>(Service, "UnaryCall");
    private static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCallMethod = Method.FromDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse>(Service, "StreamingOutputCall");
    private static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCallMethod = Method.FromDescriptor<StreamingInputCallRequest, StreamingInputCallResponse>(Service, "StreamingInputCall");
    private static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCallMethod = Method.FromDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse>(Service, "FullDuplexCall");
    private static readonly Method<Empty, Empty> UnimplementedCallMethod = Method.FromDescriptor<Empty, Empty>(Service, "UnimplementedCall");

    public AsyncUnaryCall<Empty> EmptyCallAsync(Empty request, CallOptions options = default) => CallInvoker.AsyncUnaryCall(EmptyCallMethod, null, options, request);

    public AsyncUnaryCall<SimpleResponse> UnaryCallAsync(SimpleRequest request, CallOptions options = default) => CallInvoker.AsyncUnaryCall(UnaryCallMethod, null, options, request);

    public AsyncServerStreamingCall<StreamingOutputCallResponse> StreamingOutputCall(StreamingOutputCallRequest request, CallOptions options = default) => CallInvoker.AsyncServerStreamingCall(StreamingOutputCallMethod, null, options, request);

    public AsyncClientStreamingCall<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCall(CallOptions options = default) => CallInvoker.AsyncClientStreamingCall(StreamingInputCallMethod, null, options);

    public AsyncDuplexStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCall(CallOptions options = default) => CallInvoker.AsyncDuplexStreamingCall(FullDuplexCallMethod, null, options);

    public AsyncUnaryCall<Empty> UnimplementedCallAsync(Empty request, CallOptions options = default) => CallInvoker.AsyncUnaryCall(UnimplementedCallMethod, null, options, request);
}

/// <summary>A typed client of <c>grpc.testing.UnimplementedService</c>, which no server implements.</summary>
internal sealed class UnimplementedServiceClient(CallInvoker invoker) : ClientBase(invoker)
{
    private static readonly Method<Empty, Empty> UnimplementedCallMethod = Method.FromDescriptor<Empty, Empty>(
        TestReflection.Descriptor.FindTypeByName<ServiceDescriptor>("UnimplementedService"), "UnimplementedCall");

    public AsyncUnaryCall<Empty> UnimplementedCallAsync(Empty request, CallOptions options = default) => CallInvoker.AsyncUnaryCall(UnimplementedCallMethod, null, options, request);
}
