namespace NremNet.Directory;

/// <summary>Settings of the directory (configuration section <c>Directory</c>).</summary>
/// <remarks>Relative paths are resolved against the current directory when the host is built.</remarks>
public sealed class DirectoryOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Directory";

    /// <summary>
    /// The address to listen on, <c>host:port</c>: an IP address (<c>127.0.0.1</c>, <c>[::1]</c>), <c>localhost</c> or
    /// <c>*</c> for every address. Port 0 picks any free port (not with <c>localhost</c>).
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:7400";

    /// <summary>The folder holding the directory's database, <c>directory.db</c> (SQLite).</summary>
    public string DataDirectory { get; set; } = "data/directory";

    /// <summary>The directory's certificate (PEM), issued by the network CA for the directory role.</summary>
    public string CertificateFile { get; set; } = "pki/directory.crt";

    /// <summary>The private key of <see cref="CertificateFile"/> (PEM); it also signs the snapshots.</summary>
    public string KeyFile { get; set; } = "pki/directory.key";

    /// <summary>The network CA's certificate (PEM): every caller's certificate must chain to it.</summary>
    public string NetworkCaFile { get; set; } = "pki/ca.crt";

    /// <summary>How long a signed snapshot is valid after it is issued.</summary>
    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// When the current snapshot expires within this, the directory signs it again: the same version and members, a new
    /// issue time and expiry. Must be shorter than <see cref="SnapshotLifetime"/>.
    /// </summary>
    public TimeSpan SnapshotRenewBefore { get; set; } = TimeSpan.FromHours(12);
}
