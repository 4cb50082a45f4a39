using NremNet.Cli.Cli;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Users;

/// <summary>A personal API token, without its secret, as the CLI shows it.</summary>
internal sealed record TokenView(string Id, string Name, string Status, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, bool InUse)
{
    public static readonly IReadOnlyList<string> Headers = ["id", "name", "status", "created", "expires", "last used"];

    /// <summary>The token as of <paramref name="now"/>; <paramref name="inUse"/> when it is the one this command authenticated with.</summary>
    public static TokenView Of(Token token, DateTimeOffset now, bool inUse)
    {
        var expires = CliValues.At(token.ExpiresAt);
        var status = token.RevokedAt is not null ? "revoked" : expires is { } e && e <= now ? "expired" : "active";
        return new TokenView(token.Id, token.Name, status, CliValues.At(token.CreatedAt), expires, CliValues.At(token.RevokedAt), CliValues.At(token.LastUsedAt), inUse);
    }

    public IReadOnlyList<string> Row() =>
        [InUse ? Id + " (this profile)" : Id, Name, RevokedAt is null ? Status : $"{Status} {CliValues.Time(RevokedAt)}", CliValues.Time(CreatedAt), CliValues.Time(ExpiresAt), CliValues.Time(LastUsedAt, "never")];
}
