using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NremNet.Contracts.Local.V1;

namespace NremNet.Domain.Users;

/// <summary>Roles, user names and passwords of local accounts.</summary>
public static partial class UserRules
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 12;

    /// <summary>The name of a role as people and the CLI write it.</summary>
    public static string Name(Role role) => role switch
    {
        Role.Rapporteur => "rapporteur",
        Role.ReferralOfficer => "referral_officer",
        Role.Admin => "admin",
        _ => "unspecified",
    };

    /// <summary>A role from its name (<c>rapporteur</c>, <c>referral_officer</c>, <c>admin</c>), or null.</summary>
    public static Role? ParseRole(string? name) => name?.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "rapporteur" => Role.Rapporteur,
        "referral_officer" => Role.ReferralOfficer,
        "admin" => Role.Admin,
        _ => null,
    };

    /// <summary>Every problem with a user name; empty when valid.</summary>
    public static IReadOnlyList<string> CheckUsername(string? username) =>
        username is not null && UsernamePattern().IsMatch(username)
            ? []
            : [$"user name '{username}' must be 3 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter"];

    /// <summary>Every problem with a password; empty when acceptable.</summary>
    public static IReadOnlyList<string> CheckPassword(string? password, string? username)
    {
        var problems = new List<string>();
        if (password is null || password.Length < MinimumPasswordLength)
        {
            problems.Add($"the password must have at least {MinimumPasswordLength} characters");
        }
        else if (username is not null && password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("the password may not contain the user name");
        }

        return problems;
    }

    /// <summary>A random password of 20 characters that avoids look-alike characters.</summary>
    public static string GeneratePassword()
    {
        const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(Alphabet, 20);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{2,63}$")]
    private static partial Regex UsernamePattern();
}

/// <summary>
/// Personal API tokens: <c>nrn_&lt;id&gt;_&lt;secret&gt;</c>. The id is public and looks the token up; only the SHA-256
/// of the whole token is stored, so a database copy yields no usable token.
/// </summary>
public static partial class ApiTokens
{
    private const string Prefix = "nrn_";

    /// <summary>A new token: its id, the full secret to hand to the user once, and the hash to store.</summary>
    public static (string Id, string Secret, string Hash) Create()
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        return (id, secret, HashOf(secret));
    }

    /// <summary>The id inside a presented token, or null when it is not shaped like one.</summary>
    public static string? IdOf(string? secret)
    {
        if (secret is null)
        {
            return null;
        }

        var match = TokenPattern().Match(secret);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The stored form of a token.</summary>
    public static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a presented token with a stored hash in constant time.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(storedHash.ToUpperInvariant()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^nrn_(?<id>[0-9a-f]{12})_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenPattern();
}
