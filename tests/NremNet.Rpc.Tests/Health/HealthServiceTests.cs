using Microsoft.Extensions.DependencyInjection;
using NremNet.Rpc.Health;
using NremNet.Rpc.Health.V1;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Rpc.Tests.Health;

public sealed class HealthServiceTests
{
    [Fact]
    public async Task Check_ReportsTheServerAndEachService_AndNotFoundForUnknown()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddHealth());
        using var channel = server.CreateChannel();
        var health = new HealthClient(channel);

        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "grpc.testing.TestService" })).Status);
        var ex = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nremnet.nothing.v1.Nothing" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);

        var all = await health.ListAsync(new HealthListRequest());
        Assert.Contains("grpc.testing.TestService", all.Statuses.Keys);
        Assert.Contains("grpc.health.v1.Health", all.Statuses.Keys);
    }

    [Fact]
    public async Task Watch_SendsTheCurrentStatusThenEveryChange()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>().AddHealth());
        var registry = server.Services.GetRequiredService<HealthStatusRegistry>();
        using var channel = server.CreateChannel();
        var health = new HealthClient(channel);
        var ct = TestContext.Current.CancellationToken;

        using var watch = health.Watch(new HealthCheckRequest { Service = "nremnet.node.v1.Later" });
        Assert.True(await watch.ResponseStream.MoveNext(ct));
        Assert.Equal(ServingStatus.ServiceUnknown, watch.ResponseStream.Current.Status);

        registry.SetStatus("nremnet.node.v1.Later", ServingStatus.NotServing);
        Assert.True(await watch.ResponseStream.MoveNext(ct));
        Assert.Equal(ServingStatus.NotServing, watch.ResponseStream.Current.Status);

        registry.SetStatus("nremnet.node.v1.Later", ServingStatus.Serving);
        Assert.True(await watch.ResponseStream.MoveNext(ct));
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);

        registry.ShutDown();
        Assert.True(await watch.ResponseStream.MoveNext(ct));
        Assert.Equal(ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        Assert.False(await watch.ResponseStream.MoveNext(ct));
    }
}
