using NremNet.Cli.Profiles;

namespace NremNet.Cli.Cli;

/// <summary>How <c>directory serve</c> and <c>node run</c> hand their configuration to a host running in this process.</summary>
internal static class HostLaunch
{
    /// <summary>
    /// Makes the configuration file's folder the working folder, so that the relative paths in it (as <c>node init</c>
    /// writes them) mean the same wherever the command is run from; returns the file's full path. Null stays null; a missing file is an error ending with <paramref name="hint"/>.
    /// </summary>
    public static string? EnterConfigurationFolder(string? configFile, string hint)
    {
        if (configFile is null)
        {
            return null;
        }

        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.NotFound, $"The configuration file {path} does not exist. {hint}");
        }

        Environment.CurrentDirectory = Path.GetDirectoryName(path)!;
        return path;
    }
}
