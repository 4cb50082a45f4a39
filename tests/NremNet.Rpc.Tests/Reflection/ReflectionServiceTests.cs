using Google.Protobuf.Reflection;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Reflection.V1;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Reflection;

public sealed class ReflectionServiceTests
{
    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> V1 =
        Method.FromDescriptor<ServerReflectionRequest, ServerReflectionResponse>(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");

    private static readonly Method<NremNet.Rpc.Reflection.V1Alpha.ServerReflectionRequest, NremNet.Rpc.Reflection.V1Alpha.ServerReflectionResponse> V1Alpha =
        Method.FromDescriptor<NremNet.Rpc.Reflection.V1Alpha.ServerReflectionRequest, NremNet.Rpc.Reflection.V1Alpha.ServerReflectionResponse>(NremNet.Rpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");

    [Fact]
    public async Task ListServices_NamesEveryServedService()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddHealth().AddReflection());
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, new ServerReflectionRequest { ListServices = "*" });

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "grpc.testing.TestService"],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task FileContainingSymbol_ReturnsTheFileAndItsDependencies_ThatDescribeTheMethod()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddReflection());
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, new ServerReflectionRequest { FileContainingSymbol = "grpc.testing.TestService.UnaryCall" });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("grpc/testing/test.proto", files[0].Name);
        Assert.Contains(files, f => f.Name == "grpc/testing/messages.proto");
        Assert.Contains(files, f => f.Name == "grpc/testing/empty.proto");
        var method = files[0].Service.Single(s => s.Name == "TestService").Method.Single(m => m.Name == "UnaryCall");
        Assert.Equal(".grpc.testing.SimpleRequest", method.InputType);

        var message = await AskAsync(channel, new ServerReflectionRequest { FileContainingSymbol = "grpc.testing.ResponseParameters" });
        Assert.Equal("grpc/testing/messages.proto", FileDescriptorProto.Parser.ParseFrom(message.FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task UnknownSymbolOrFile_IsAnErrorResponseNotAFailedCall()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddReflection());
        using var channel = server.CreateChannel();

        var symbol = await AskAsync(channel, new ServerReflectionRequest { FileContainingSymbol = "nremnet.nothing.v1.Nothing" });
        Assert.Equal((int)StatusCode.NotFound, symbol.ErrorResponse.ErrorCode);
        var file = await AskAsync(channel, new ServerReflectionRequest { FileByFilename = "nothing.proto" });
        Assert.Equal((int)StatusCode.NotFound, file.ErrorResponse.ErrorCode);
        var byName = await AskAsync(channel, new ServerReflectionRequest { FileByFilename = "grpc/testing/empty.proto" });
        Assert.Single(byName.FileDescriptorResponse.FileDescriptorProto);
    }

    [Fact]
    public async Task V1Alpha_AnswersLikeV1()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddReflection());
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(V1Alpha, null, default);
        await call.RequestStream.WriteAsync(new NremNet.Rpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "grpc.testing.TestService");
    }

    private static async Task<ServerReflectionResponse> AskAsync(RpcChannel channel, ServerReflectionRequest request)
    {
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(V1, null, default);
        await call.RequestStream.WriteAsync(request, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var response = call.ResponseStream.Current;
        Assert.Equal(request, response.OriginalRequest);
        Assert.False(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        return response;
    }
}
