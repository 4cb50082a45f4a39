using System.Collections.ObjectModel;
using System.Diagnostics;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>
/// The spans a node exports to an in-memory exporter, added from whichever thread ends them and read by the test. The
/// nodes of a test share its process, and an ActivityListener hears every source in the process: each node's list
/// holds the other nodes' spans too. A node's own spans are told apart by the port they were served on or sent to
/// (<c>server.port</c>).
/// </summary>
internal sealed class SpanList : Collection<Activity>
{
    /// <summary>Turns the node's telemetry on (<c>Telemetry:Enabled</c>); the test adds the exporter.</summary>
    public static void Traced(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Telemetry:Enabled"] = "true";
    }

    /// <summary>The spans so far.</summary>
    public List<Activity> Snapshot()
    {
        lock (Items)
        {
            return [.. Items];
        }
    }

    /// <summary>The first span of <paramref name="kind"/> for the gRPC method <paramref name="path"/> at <paramref name="port"/>.</summary>
    public Activity? Find(ActivityKind kind, string path, int port) =>
        Snapshot().FirstOrDefault(a => a.Kind == kind && Path(a) == path && a.GetTagItem("server.port") is int served && served == port);

    /// <summary>
    /// The method a span is about: the request path of a server span; the called method of a gRPC client span
    /// (<c>rpc.method</c> is <c>package.Service/Method</c> in the current semantic conventions, the method alone beside
    /// <c>rpc.service</c> in older ones).
    /// </summary>
    private static string? Path(Activity span) =>
        span.GetTagItem("url.path") as string
        ?? (span.GetTagItem("rpc.method") is string method
            ? method.Contains('/', StringComparison.Ordinal) ? "/" + method : $"/{span.GetTagItem("rpc.service")}/{method}"
            : null);

    protected override void InsertItem(int index, Activity item)
    {
        lock (Items)
        {
            base.InsertItem(index, item);
        }
    }
}
