using NremNet.Contracts.Referrals.V1;

namespace NremNet.Domain.Referrals;

/// <summary>
/// When a referral's personal data, attachments and notes are purged: a retention period after it became final (closed,
/// declined or withdrawn), and never later than the end of the retention date its header states. The history stays.
/// </summary>
public static class ReferralRetentionRules
{
    /// <summary>The end of the day (UTC) of the header's retention date: personal data is gone by then at the latest; null when it states none.</summary>
    public static DateTimeOffset? End(ReferralHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return ReferralForms.TryDate(header.RetentionUntil, out var until) ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1) : null;
    }

    /// <summary>When a referral in <paramref name="status"/> became final (null while it is not) and when it is purged.</summary>
    /// <param name="status">Its status now.</param>
    /// <param name="finalSince">When it became final, as recorded (null if it was not before).</param>
    /// <param name="now">Now: the time it becomes final if it just did.</param>
    /// <param name="retentionEnd">The end of its retention date (<see cref="End"/>).</param>
    /// <param name="retentionPeriod">How long personal data is kept once final.</param>
    public static (DateTimeOffset? FinalAt, DateTimeOffset? PurgeAt) Dates(
        ReferralStatus status, DateTimeOffset? finalSince, DateTimeOffset now, DateTimeOffset? retentionEnd, TimeSpan retentionPeriod)
    {
        if (!ReferralStateMachine.IsFinal(status))
        {
            return (null, retentionEnd);
        }

        var finalAt = finalSince ?? now;
        var afterPeriod = finalAt + retentionPeriod;
        return (finalAt, retentionEnd is { } end && end < afterPeriod ? end : afterPeriod);
    }
}
