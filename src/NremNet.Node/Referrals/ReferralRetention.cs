using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NremNet.Node.Referrals;

/// <summary>
/// Purges the personal data, attachments and notes of referrals whose retention has ended (closed, declined or
/// withdrawn plus Node:Referrals:RetentionPeriod, and never later than the referral's own retention date). The history
/// stays, marked purged. Runs on the node's <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal sealed partial class ReferralRetention(ReferralDatabase database, IOptions<NodeOptions> options, TimeProvider time, ILogger<ReferralRetention> logger) : BackgroundService
{
    /// <summary>The most referrals purged in one transaction.</summary>
    private const int PurgeBatch = 500;

    /// <summary>Purges what is due now; returns how many referrals were purged.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int purged;
        do
        {
            purged = await PurgeDueAsync(cancellationToken).ConfigureAwait(false);
            total += purged;
        }
        while (purged > 0);

        if (total > 0)
        {
            Purged(logger, total);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Referrals.RetentionCheckInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                PurgeFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Purges the personal data, attachments and notes of referrals due (at most a batch) in one transaction with their audit records.</summary>
    private async Task<int> PurgeDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await database.InTransactionAsync(async tx =>
        {
            var due = await database.DueForPurgeAsync(tx, now, PurgeBatch).ConfigureAwait(false);
            foreach (var referralId in due)
            {
                var notes = await database.PurgeAsync(tx, referralId, now).ConfigureAwait(false);
                await database.AuditAsync(tx, "system", "referral.purged", referralId, "ok", new { notes }).ConfigureAwait(false);
            }

            return due.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Retention: purged the personal data of {Count} referrals.")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "Retention: the purge failed ({Error}); trying again at the next check.")]
    private static partial void PurgeFailed(ILogger logger, string error);
}
