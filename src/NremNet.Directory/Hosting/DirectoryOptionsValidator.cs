using Microsoft.Extensions.Options;

namespace NremNet.Directory.Hosting;

/// <summary>Checks <see cref="DirectoryOptions"/> at start and names every problem with its configuration key.</summary>
internal sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var errors = new List<string>();
        if (!ListenAddress.TryParse(options.Listen, out _, out var listenProblem))
        {
            errors.Add($"{Key(nameof(DirectoryOptions.Listen))} {listenProblem}.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{Key(nameof(DirectoryOptions.DataDirectory))} is empty; name the folder that holds directory.db.");
        }
        else if (File.Exists(options.DataDirectory))
        {
            errors.Add($"{Key(nameof(DirectoryOptions.DataDirectory))} '{options.DataDirectory}' is a file; name a folder.");
        }

        RequireFile(errors, nameof(DirectoryOptions.CertificateFile), options.CertificateFile, "the directory's certificate");
        RequireFile(errors, nameof(DirectoryOptions.KeyFile), options.KeyFile, "the directory's private key");
        RequireFile(errors, nameof(DirectoryOptions.NetworkCaFile), options.NetworkCaFile, "the network CA's certificate");

        var lifetimeValid = options.SnapshotLifetime > TimeSpan.Zero;
        if (!lifetimeValid)
        {
            errors.Add($"{Key(nameof(DirectoryOptions.SnapshotLifetime))} must be positive, e.g. 1.00:00:00 for a day (got {options.SnapshotLifetime}).");
        }

        if (options.SnapshotRenewBefore <= TimeSpan.Zero)
        {
            errors.Add($"{Key(nameof(DirectoryOptions.SnapshotRenewBefore))} must be positive, e.g. 12:00:00 (got {options.SnapshotRenewBefore}).");
        }
        else if (lifetimeValid && options.SnapshotRenewBefore >= options.SnapshotLifetime)
        {
            errors.Add($"{Key(nameof(DirectoryOptions.SnapshotRenewBefore))} ({options.SnapshotRenewBefore}) must be shorter than {Key(nameof(DirectoryOptions.SnapshotLifetime))} ({options.SnapshotLifetime}), or every snapshot would be re-signed as soon as it is issued.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Makes the paths absolute against the current directory, so logs and messages name the real files.</summary>
    public static void ResolvePaths(DirectoryOptions options)
    {
        options.DataDirectory = Absolute(options.DataDirectory);
        options.CertificateFile = Absolute(options.CertificateFile);
        options.KeyFile = Absolute(options.KeyFile);
        options.NetworkCaFile = Absolute(options.NetworkCaFile);
    }

    private static string Absolute(string path) => string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path);

    private static void RequireFile(List<string> errors, string property, string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{Key(property)} is empty; name the PEM file with {what}.");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{Key(property)}: {what} file '{path}' does not exist. Issue it with 'nremnet pki', or point {Key(property)} at it.");
        }
    }

    private static string Key(string property) => $"{DirectoryOptions.SectionName}:{property}";
}
