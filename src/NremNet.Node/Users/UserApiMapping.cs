using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Local.V1;
using User = NremNet.Contracts.Local.V1.User;

namespace NremNet.Node.Users;

/// <summary>Maps stored accounts and tokens to the contract.</summary>
internal static class UserApiMapping
{
    public static User ToContract(this NodeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = new User
        {
            Username = user.Username,
            DisplayName = user.DisplayName,
            Disabled = user.Disabled,
            CreatedAt = Timestamp.FromDateTimeOffset(user.CreatedAt),
        };
        result.Roles.AddRange(user.RoleList);
        return result;
    }

    public static Token ToContract(this NodeToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new()
        {
            Id = token.Id,
            Name = token.Name,
            CreatedAt = Timestamp.FromDateTimeOffset(token.CreatedAt),
            ExpiresAt = Timestamp.FromDateTimeOffset(token.ExpiresAt),
            RevokedAt = token.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
            LastUsedAt = token.LastUsedAt is { } used ? Timestamp.FromDateTimeOffset(used) : null,
        };
    }

    public static TimeSpan LifetimeOr(Duration? requested, TimeSpan fallback) => requested is null ? fallback : requested.ToTimeSpan();
}
