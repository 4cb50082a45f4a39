using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Directory.Members;

/// <summary>A member as the directory stores it.</summary>
internal sealed record MemberRecord(
    string Country,
    MemberStatus Status,
    MemberApplication Application,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastHeartbeat,
    string StatusReason)
{
    /// <summary>The member as the API shows it.</summary>
    public Member ToMessage()
    {
        var member = new Member
        {
            Application = Application.Clone(),
            Status = Status,
            RegisteredAt = Timestamp.FromDateTimeOffset(RegisteredAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(UpdatedAt),
            StatusReason = StatusReason,
        };
        if (LastHeartbeat is { } heartbeat)
        {
            member.LastHeartbeat = Timestamp.FromDateTimeOffset(heartbeat);
        }

        return member;
    }
}

/// <summary>How statuses are written in the database and in messages for people.</summary>
internal static class MemberStatusNames
{
    public static string Name(MemberStatus status) => status switch
    {
        MemberStatus.Pending => "PENDING",
        MemberStatus.Active => "ACTIVE",
        MemberStatus.Suspended => "SUSPENDED",
        MemberStatus.Removed => "REMOVED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A stored member has a status."),
    };

    public static MemberStatus Parse(string name) => name switch
    {
        "PENDING" => MemberStatus.Pending,
        "ACTIVE" => MemberStatus.Active,
        "SUSPENDED" => MemberStatus.Suspended,
        "REMOVED" => MemberStatus.Removed,
        _ => throw new InvalidOperationException($"The database holds an unknown member status '{name}'."),
    };
}
