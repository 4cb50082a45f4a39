using System.Text.Json;
using System.Text.Json.Serialization;
using NremNet.Hosting.Certificates;

namespace NremNet.Cli.Profiles;

/// <summary>How the CLI reaches one node as one user, like a kubectl context.</summary>
internal sealed record Profile
{
    /// <summary>Unique name, e.g. <c>NL-admin</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The node's country.</summary>
    public required string Node { get; init; }

    /// <summary>The node's user API (<c>https://host:port</c>).</summary>
    public required string Url { get; init; }

    /// <summary>The user's roles on that node.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The user name.</summary>
    public required string Username { get; init; }

    /// <summary>The personal API token.</summary>
    public required string Token { get; init; }

    /// <summary>The network CA certificate (PEM) the node's certificate must chain to.</summary>
    public required string CaFile { get; init; }

    /// <summary>Whether the profile was made for a local demo federation.</summary>
    public bool Demo { get; init; }
}

/// <summary>The saved profiles and which one is the default.</summary>
internal sealed record ProfileDocument
{
    /// <summary>The default profile's name.</summary>
    public string? Current { get; init; }

    /// <summary>Every profile.</summary>
    public IReadOnlyList<Profile> Profiles { get; init; } = [];
}

/// <summary>
/// Where profiles are kept: <c>NREMNET_PROFILES</c> when set; else the local federation's state in this checkout
/// (<c>.state/federation/profiles.json</c>) when it exists; else <c>~/.config/nremnet/profiles.json</c>.
/// The file holds tokens, so it is written readable by its owner only.
/// </summary>
internal sealed class ProfileStore(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The store the CLI uses from the current folder.</summary>
    public static ProfileStore Locate()
    {
        if (Environment.GetEnvironmentVariable("NREMNET_PROFILES") is { Length: > 0 } explicitPath)
        {
            return new ProfileStore(explicitPath);
        }

        if (StatePaths.FindCheckout(Environment.CurrentDirectory) is { } checkout)
        {
            var federation = StatePaths.ForCheckout(checkout).Profiles;
            if (File.Exists(federation))
            {
                return new ProfileStore(federation);
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ProfileStore(System.IO.Path.Combine(home, ".config", "nremnet", "profiles.json"));
    }

    public ProfileDocument Load() =>
        File.Exists(Path) ? JsonSerializer.Deserialize<ProfileDocument>(File.ReadAllText(Path), Json) ?? new ProfileDocument() : new ProfileDocument();

    public void Save(ProfileDocument document)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        PemFiles.WriteSecret(Path, JsonSerializer.Serialize(document, Json));
    }

    /// <summary>Adds or replaces a profile; makes it the default when asked or when it is the first.</summary>
    public void Upsert(Profile profile, bool makeCurrent)
    {
        var document = Load();
        var profiles = document.Profiles.Where(p => !string.Equals(p.Name, profile.Name, StringComparison.OrdinalIgnoreCase)).Append(profile).ToList();
        Save(document with { Profiles = profiles, Current = makeCurrent || document.Current is null ? profile.Name : document.Current });
    }

    /// <summary>
    /// The profile to use: by name; else for <paramref name="node"/> with <paramref name="role"/>; else the default when it
    /// fits; else the first profile with the role (demo profiles list the first sample node first).
    /// </summary>
    public Profile Resolve(string? name, string? node, string? role)
    {
        var document = Load();
        if (document.Profiles.Count == 0)
        {
            throw new CliException(Cli.ExitCodes.Unauthenticated, $"No profile is saved in {Path}. Log in with 'nremnet login --node-url https://HOST:PORT --ca-file CA.crt', or bring up the local federation with 'nremnet federation up'.");
        }

        if (name is not null)
        {
            return document.Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException(Cli.ExitCodes.NotFound, $"No profile named '{name}'. Saved: {string.Join(", ", document.Profiles.Select(p => p.Name))}.");
        }

        bool Fits(Profile p) => role is null || p.Roles.Contains(role, StringComparer.OrdinalIgnoreCase);
        var candidates = node is null
            ? document.Profiles
            : document.Profiles.Where(p => string.Equals(p.Node, node, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 0)
        {
            throw new CliException(Cli.ExitCodes.NotFound, $"No profile for node {node}. Saved nodes: {string.Join(", ", document.Profiles.Select(p => p.Node).Distinct())}.");
        }

        var current = candidates.FirstOrDefault(p => string.Equals(p.Name, document.Current, StringComparison.OrdinalIgnoreCase));
        if (current is not null && Fits(current))
        {
            return current;
        }

        return candidates.FirstOrDefault(Fits)
            ?? throw new CliException(Cli.ExitCodes.PermissionDenied, $"No saved profile{(node is null ? string.Empty : " for node " + node)} has the {role} role this command needs. Log in as such a user with 'nremnet login'.");
    }
}

/// <summary>A failure a command reports to the user, with its exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
