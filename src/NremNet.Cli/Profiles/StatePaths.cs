namespace NremNet.Cli.Profiles;

/// <summary>Where the local federation keeps its state in a checkout (<c>.state/federation</c>, ignored by git).</summary>
internal sealed record StatePaths(string Root)
{
    public string Pki => Path.Combine(Root, "pki");

    public string Authority => Path.Combine(Pki, "ca.crt");

    public string AuthorityKey => Path.Combine(Pki, "ca.key");

    public string Directory => Path.Combine(Root, "directory");

    public string Nodes => Path.Combine(Root, "nodes");

    public string Profiles => Path.Combine(Root, "profiles.json");

    public string Federation => Path.Combine(Root, "federation.json");

    public string Credentials => Path.Combine(Root, "demo-logins.json");

    public string Logs => Path.Combine(Root, "logs");

    public string Node(string country) => Path.Combine(Nodes, country);

    /// <summary>The state of the federation of a checkout.</summary>
    public static StatePaths ForCheckout(string checkout) => new(Path.Combine(checkout, ".state", "federation"));

    /// <summary>The checkout (the folder holding NremNet.sln) at or above a folder, or null.</summary>
    public static string? FindCheckout(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NremNet.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
