using System.Text.Json;
using System.Text.Json.Serialization;
using NremNet.Cli.Profiles;

namespace NremNet.Cli.Federation;

/// <summary>A node of the local federation, as <c>federation up</c> set it up.</summary>
internal sealed record FederationNode
{
    /// <summary>ISO 3166-1 alpha-2 country.</summary>
    public required string Country { get; init; }

    /// <summary>Name of the mechanism.</summary>
    public required string MechanismName { get; init; }

    /// <summary>Its peer API.</summary>
    public required string PeerUrl { get; init; }

    /// <summary>Its user API and console.</summary>
    public required string ConsoleUrl { get; init; }

    /// <summary>Its configuration file.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The process running it, while the federation is up.</summary>
    public int? ProcessId { get; init; }
}

/// <summary>The local federation in a checkout: where the directory and the nodes answer and which processes run them.</summary>
internal sealed record FederationState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The directory's address.</summary>
    public required string DirectoryUrl { get; init; }

    /// <summary>The directory's configuration file.</summary>
    public required string DirectoryConfigFile { get; init; }

    /// <summary>The process running the directory, while the federation is up.</summary>
    public int? DirectoryProcessId { get; init; }

    /// <summary>The process running <c>federation up</c>, while it runs.</summary>
    public int? SupervisorProcessId { get; init; }

    /// <summary>The nodes, first sample node first.</summary>
    public IReadOnlyList<FederationNode> Nodes { get; init; } = [];

    /// <summary>The state saved in a checkout, or null when there is none.</summary>
    public static FederationState? Load(StatePaths paths) =>
        File.Exists(paths.Federation) ? JsonSerializer.Deserialize<FederationState>(File.ReadAllText(paths.Federation), Json) : null;

    /// <summary>Saves the state.</summary>
    public void Save(StatePaths paths)
    {
        System.IO.Directory.CreateDirectory(paths.Root);
        var temporary = paths.Federation + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, paths.Federation, overwrite: true);
    }
}
