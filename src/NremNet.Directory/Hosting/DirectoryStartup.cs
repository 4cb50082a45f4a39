using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Storage;
using NremNet.Hosting.Certificates;

namespace NremNet.Directory.Hosting;

/// <summary>
/// Before anything is served: brings the database up to date and publishes a valid snapshot. When the directory stops:
/// ends every WatchSnapshot stream, so shutdown does not wait for watchers.
/// </summary>
internal sealed class DirectoryStartup(DirectoryDatabase database, SnapshotRenewal renewal, SnapshotFeed feed, NetworkCredentials credentials, IServer server, ILogger<DirectoryStartup> logger)
    : IHostedLifecycleService
{
    /// <summary>The address the directory listens on, <c>host:port</c>, once started.</summary>
    public string? ListeningOn { get; private set; }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            DirectoryLog.DatabaseMigrated(logger, database.Sqlite.Path, applied[^1]);
        }

        await renewal.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
        {
            var uri = new Uri(address);
            ListeningOn = $"{uri.Host}:{uri.Port}";
            DirectoryLog.Listening(logger, ListeningOn, credentials.Identity.ToString(), credentials.Thumbprint, credentials.Certificate.NotAfter.ToUniversalTime());
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        feed.Complete();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
