namespace NremNet.Testing;

/// <summary>Where things are in the repository, found from the test's working folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root (the folder holding NremNet.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NremNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No NremNet.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
