using System.Text.Json;
using NremNet.Domain.Countries;

namespace NremNet.Cli.Federation;

/// <summary>A demo account of a sample node.</summary>
internal sealed record SampleUser(string Username, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>A contact of a sample node.</summary>
internal sealed record SampleFocalPoint(string Name, string Role, string Email);

/// <summary>A sample country node, as described in <c>nodes/XX/node.json</c> (synthetic).</summary>
internal sealed record SampleNode(string Country, int Order, string MechanismName, string MechanismType, int PeerPort, int ConsolePort, IReadOnlyList<SampleFocalPoint> FocalPoints, IReadOnlyList<SampleUser> DemoUsers)
{
    /// <summary>The node's language (ISO 639-1): what its practice library searches in by default and writes its own practices in.</summary>
    public string Language { get; init; } = "en";
}

/// <summary>Reads and checks the sample nodes.</summary>
internal static class SampleNodes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] MechanismTypes = ["NationalRapporteur", "Coordinator", "EquivalentMechanism"];

    /// <summary>Every sample node under a folder, first node first; throws naming every problem in every file.</summary>
    public static IReadOnlyList<SampleNode> Load(string folder)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            throw new Profiles.CliException(Cli.ExitCodes.NotFound, $"There is no nodes folder at {folder}; run this from the NremNet checkout.");
        }

        var nodes = new List<SampleNode>();
        var problems = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, "node.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            SampleNode? node;
            try
            {
                node = JsonSerializer.Deserialize<SampleNode>(File.ReadAllText(file), Json);
            }
            catch (JsonException ex)
            {
                problems.Add($"{file}: not valid JSON ({ex.Message})");
                continue;
            }

            if (node is null)
            {
                problems.Add($"{file}: empty");
                continue;
            }

            var before = problems.Count;
            if (!Country.IsValidCode(node.Country))
            {
                problems.Add($"{file}: country '{node.Country}' is not an ISO 3166-1 alpha-2 code");
            }
            else if (!string.Equals(Path.GetFileName(Path.GetDirectoryName(file)), node.Country, StringComparison.Ordinal))
            {
                problems.Add($"{file}: country {node.Country} does not match its folder");
            }

            if (string.IsNullOrWhiteSpace(node.MechanismName))
            {
                problems.Add($"{file}: mechanismName is required");
            }

            if (node.Language is not { Length: 2 } || !node.Language.All(char.IsAsciiLetterLower))
            {
                problems.Add($"{file}: language '{node.Language}' is not an ISO 639-1 code of two lower-case letters");
            }

            if (!MechanismTypes.Contains(node.MechanismType))
            {
                problems.Add($"{file}: mechanismType must be one of {string.Join(", ", MechanismTypes)}");
            }

            if (node.PeerPort is < 1 or > 65535 || node.ConsolePort is < 1 or > 65535 || node.PeerPort == node.ConsolePort)
            {
                problems.Add($"{file}: peerPort and consolePort must be two different ports from 1 to 65535");
            }

            if (node.DemoUsers is null || !node.DemoUsers.Any(u => u.Roles.Contains("admin")))
            {
                problems.Add($"{file}: demoUsers needs at least one user with the admin role");
            }

            if (problems.Count == before)
            {
                nodes.Add(node with { FocalPoints = node.FocalPoints ?? [], DemoUsers = node.DemoUsers ?? [] });
            }
        }

        foreach (var clash in nodes.SelectMany(n => new[] { (n.Country, Port: n.PeerPort), (n.Country, Port: n.ConsolePort) }).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            problems.Add($"port {clash.Key} is used by more than one sample node ({string.Join(", ", clash.Select(c => c.Country))})");
        }

        if (problems.Count > 0)
        {
            throw new Profiles.CliException(Cli.ExitCodes.Usage, "The sample nodes have problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        if (nodes.Count == 0)
        {
            throw new Profiles.CliException(Cli.ExitCodes.NotFound, $"No sample node (*/node.json) under {folder}.");
        }

        return nodes.OrderBy(n => n.Order).ThenBy(n => n.Country, StringComparer.Ordinal).ToList();
    }
}
