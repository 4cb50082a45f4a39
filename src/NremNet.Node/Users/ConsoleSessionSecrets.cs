using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NremNet.Domain.Users;

namespace NremNet.Node.Users;

/// <summary>
/// The secrets of web console sessions: <c>ncs_&lt;id&gt;_&lt;secret&gt;</c>, carried by the session cookie. Shaped
/// unlike API tokens (<c>nrn_</c>), so neither is ever taken for the other; stored, like tokens, only as a SHA-256 hash.
/// </summary>
internal static partial class ConsoleSessionSecrets
{
    /// <summary>A new session: its id, the secret for the cookie, and the hash to store.</summary>
    public static (string Id, string Secret, string Hash) Create()
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var secret = $"ncs_{id}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        return (id, secret, ApiTokens.HashOf(secret));
    }

    /// <summary>The session id inside a presented secret, or null when it is not shaped like one.</summary>
    public static string? IdOf(string? secret)
    {
        if (secret is null)
        {
            return null;
        }

        var match = SecretPattern().Match(secret);
        return match.Success ? match.Groups["id"].Value : null;
    }

    [GeneratedRegex("^ncs_(?<id>[0-9a-f]{16})_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();
}
