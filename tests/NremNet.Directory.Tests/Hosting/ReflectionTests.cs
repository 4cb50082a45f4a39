using Grpc.Reflection.V1;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Hosting;

public sealed class ReflectionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reflection_ListsExactlyTheDirectoryService_HealthAndReflection()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel(network.Node("NL")));

        using var call = reflection.ServerReflectionInfo(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, Cancel);
        await call.RequestStream.CompleteAsync();
        Assert.True(await Flows.Soon(call.ResponseStream.MoveNext(Cancel)));
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal);

        // grpc-dotnet serves reflection in both its versions (v1 and the older v1alpha that many tools still ask for).
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "nremnet.directory.v1.DirectoryService"], listed);
    }
}
