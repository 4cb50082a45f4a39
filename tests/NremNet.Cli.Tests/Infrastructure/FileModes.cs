namespace NremNet.Cli.Tests.Infrastructure;

/// <summary>Unix permissions of files the CLI writes.</summary>
internal static class FileModes
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static UnixFileMode Of(string path) =>
        OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("These tests check Unix file permissions; run them on Linux or macOS.")
            : File.GetUnixFileMode(path);
}
