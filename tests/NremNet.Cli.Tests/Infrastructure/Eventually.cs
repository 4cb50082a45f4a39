using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>Waiting for a condition with a bound, and other helpers for hosts the tests start.</summary>
internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = Stopwatch.StartNew();
        var bound = timeout ?? TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (limit.Elapsed > bound)
            {
                Assert.Fail($"Waited {bound.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
