using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>Restarting an in-process node as an operator restarts a service: the same configuration, certificate, data folder and ports.</summary>
internal static class NodeRestarts
{
    /// <summary>
    /// Stops <paramref name="node"/> if it still runs, then starts a node on the same settings (its certificate and key
    /// files, its data folder, the ports it listened on), so the directory entry and the peers' snapshots stay valid.
    /// The caller disposes the returned node, before the network.
    /// </summary>
    public static async Task<TestNode> RestartAsync(this TestNetwork network, TestNode node)
    {
        var settings = node.App.Configuration.AsEnumerable()
            .Where(setting => setting.Key.StartsWith("Node:", StringComparison.Ordinal) && setting.Value is not null)
            .ToDictionary(setting => setting.Key, setting => setting.Value);
        settings["Node:PeerListen"] = $"127.0.0.1:{node.Peer.Port}";
        settings["Node:ConsoleListen"] = $"127.0.0.1:{node.Console.Port}";
        await node.StopAsync();
        var app = NodeHost.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), services =>
        {
            services.AddSingleton(network.Time);
            services.AddSingleton<ILoggerProvider>(network.Logs);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestNode(network, node.Country, app, node.CertificateFile, node.KeyFile);
    }
}
