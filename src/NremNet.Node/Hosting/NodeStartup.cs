using Microsoft.Extensions.Hosting;
using NremNet.Node.Membership;
using NremNet.Node.Statistics;
using NremNet.Node.Storage;

namespace NremNet.Node.Hosting;

/// <summary>
/// Before anything starts (the listeners, the directory link, referral delivery): brings the database up to date, loads
/// the cached snapshot and makes sure the disclosure threshold the statistics were protected with is the configured one.
/// </summary>
internal sealed class NodeStartup(NodeDatabase database, SnapshotState snapshots, StatisticsStore statistics) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        snapshots.LoadCache();
        await statistics.EnsureThresholdAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
