using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Hosting;
using NremNet.Node.Users;

namespace NremNet.Node.Tests.Hosting;

/// <summary>The start-up check of what the node serves: a method left out stops the node, named.</summary>
public sealed class NodeApisTests
{
    [Fact]
    public async Task EnsureComplete_ServicesNotMapped_FailsNamingEachOfTheirMethods()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<SessionService>().On(NodeListener.Console);
        // On the wrong listener it counts as not served.
        app.MapGrpcService<TokenService>().On(NodeListener.Peer);

        var ex = Assert.Throws<InvalidOperationException>(() => NodeApis.EnsureComplete(app));

        Assert.StartsWith("These gRPC methods are not served on their listener", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/nremnet.federation.v1.FederationService/Hello", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/nremnet.referrals.v1.ReferralService/Exchange", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/nremnet.local.v1.TokenService/CreateToken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/nremnet.local.v1.ReferralService/ListOutbox", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/nremnet.local.v1.SessionService/", ex.Message, StringComparison.Ordinal);
    }
}
