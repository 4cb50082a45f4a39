using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Directory.Storage;

namespace NremNet.Directory.Snapshots;

/// <summary>
/// Keeps a valid snapshot published: issues the first one (version 1, even with no members) and signs the current one
/// again — same version, new issue time and expiry — whenever it comes within <see cref="DirectoryOptions.SnapshotRenewBefore"/>
/// of its expiry. Driven by <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SnapshotRenewal(
    DirectoryDatabase database,
    SnapshotStore store,
    SnapshotFeed feed,
    IOptions<DirectoryOptions> options,
    TimeProvider time,
    ILogger<SnapshotRenewal> logger) : BackgroundService
{
    private PeriodicTimer? _timer;

    /// <summary>
    /// How often the current snapshot is checked: often enough to re-sign well inside the renewal margin, and a plain
    /// periodic check stays right however the clock moves (a fake clock in tests, a suspended machine).
    /// </summary>
    public TimeSpan CheckInterval { get; } = TimeSpan.FromTicks(Math.Clamp(options.Value.SnapshotRenewBefore.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    /// <summary>Loads the latest snapshot at start, issuing the first or re-signing it when due, and publishes it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var (snapshot, action) = await database.WriteAsync<Outcome>(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var latest = await SnapshotStore.LoadLatestAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (latest is null)
            {
                return new Outcome(await store.IssueNextAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false), Action.Issued);
            }

            return store.IsDue(latest, now)
                ? new Outcome(await store.ResignAsync(connection, transaction, latest, now, cancellationToken).ConfigureAwait(false), Action.Renewed)
                : new Outcome(latest, Action.Loaded);
        }, afterCommit: outcome => feed.Publish(outcome.Snapshot), cancellationToken).ConfigureAwait(false);

        Report(snapshot, action);
        DirectoryLog.SnapshotLoaded(logger, snapshot.Version, snapshot.Snapshot.Members.Count, snapshot.ExpiresAt, database.Sqlite.Path);
    }

    /// <summary>Signs the latest snapshot again if it is due; returns the snapshot now current.</summary>
    public async Task<PublishedSnapshot> RenewIfDueAsync(CancellationToken cancellationToken)
    {
        var (snapshot, action) = await database.WriteAsync<Outcome>(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var latest = await SnapshotStore.LoadLatestAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The database holds no snapshot to re-sign.");
            return store.IsDue(latest, now)
                ? new Outcome(await store.ResignAsync(connection, transaction, latest, now, cancellationToken).ConfigureAwait(false), Action.Renewed)
                : new Outcome(latest, Action.Loaded);
        }, afterCommit: outcome => feed.Publish(outcome.Snapshot), cancellationToken).ConfigureAwait(false);

        Report(snapshot, action);
        return snapshot;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Created here rather than in ExecuteAsync, which runs in the background: no tick is missed after start.
        _timer = new PeriodicTimer(CheckInterval, time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("The renewal service was not started.");
        try
        {
            do
            {
                if (feed.Current is { } current && store.DueAt(current) <= time.GetUtcNow())
                {
                    try
                    {
                        await RenewIfDueAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        // The database or the key may come back; until then the health check reports it.
                        DirectoryLog.SnapshotRenewalFailed(logger, current.Version, current.ExpiresAt, CheckInterval, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    private void Report(PublishedSnapshot snapshot, Action action)
    {
        switch (action)
        {
            case Action.Issued:
                DirectoryLog.SnapshotIssued(logger, snapshot.Version, snapshot.Snapshot.Members.Count, snapshot.ExpiresAt);
                break;
            case Action.Renewed:
                DirectoryLog.SnapshotRenewed(logger, snapshot.Version, snapshot.ExpiresAt);
                break;
        }
    }

    private sealed record Outcome(PublishedSnapshot Snapshot, Action Action);

    private enum Action
    {
        Loaded,
        Issued,
        Renewed,
    }
}
