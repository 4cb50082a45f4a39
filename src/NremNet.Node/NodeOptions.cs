using NremNet.Contracts.Directory.V1;

namespace NremNet.Node;

/// <summary>A node's configuration (section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node";

    /// <summary>ISO 3166-1 alpha-2 code of the node's country; its certificate must name it.</summary>
    public string Country { get; set; } = string.Empty;

    /// <summary>Name of the mechanism the node belongs to.</summary>
    public string MechanismName { get; set; } = string.Empty;

    /// <summary><c>NationalRapporteur</c>, <c>Coordinator</c> or <c>EquivalentMechanism</c>.</summary>
    public string MechanismType { get; set; } = "NationalRapporteur";

    /// <summary>Where the node keeps its database and its cached directory snapshot.</summary>
    public string DataDirectory { get; set; } = "data/node";

    /// <summary>Address the peer API binds (<c>host:port</c>; port 0 for any free port).</summary>
    public string PeerListen { get; set; } = "127.0.0.1:7443";

    /// <summary>The peer API address other members use (<c>https://host:port</c>); derived from <see cref="PeerListen"/> when empty.</summary>
    public string PeerEndpoint { get; set; } = string.Empty;

    /// <summary>Address the user API and console bind (<c>host:port</c>).</summary>
    public string ConsoleListen { get; set; } = "127.0.0.1:8443";

    /// <summary>The node certificate (PEM), issued by the network CA, naming the country.</summary>
    public string CertificateFile { get; set; } = "pki/node.crt";

    /// <summary>Its private key (PEM).</summary>
    public string KeyFile { get; set; } = "pki/node.key";

    /// <summary>The network CA certificate (PEM).</summary>
    public string NetworkCaFile { get; set; } = "pki/ca.crt";

    /// <summary>The directory's address (<c>https://host:port</c>).</summary>
    public string DirectoryUrl { get; set; } = "https://127.0.0.1:7400";

    /// <summary>How often the node refreshes its snapshot and tells the directory it is alive.</summary>
    public TimeSpan SnapshotRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the node checks that it can reach each peer.</summary>
    public TimeSpan PeerCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long opening a connection to a peer (TCP and TLS handshake) may take before the call fails as unreachable;
    /// a peer that takes connections and never answers is given up on after this much.
    /// </summary>
    public TimeSpan PeerConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a personal API token lives unless asked otherwise.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Version of the indicator catalogue the node answers with.</summary>
    public string CatalogueVersion { get; set; } = "2024.1";

    /// <summary>People to contact at the mechanism.</summary>
    public IList<FocalPointOptions> FocalPoints { get; } = [];

    /// <summary>Disclosure control of the statistics this node gives out.</summary>
    public DisclosureOptions Disclosure { get; set; } = new();

    /// <summary>Federated statistics queries this node makes for its rapporteurs.</summary>
    public StatisticsOptions Statistics { get; set; } = new();

    /// <summary>Transnational referrals (section <c>Node:Referrals</c>).</summary>
    public ReferralOptions Referrals { get; set; } = new();

    /// <summary>Good practices and network questions (section <c>Node:Practices</c>).</summary>
    public PracticeOptions Practices { get; set; } = new();

    /// <summary>The web console (section <c>Node:Console</c>).</summary>
    public ConsoleOptions Console { get; set; } = new();

    /// <summary>The peer endpoint others should use.</summary>
    public string AdvertisedPeerEndpoint => string.IsNullOrWhiteSpace(PeerEndpoint) ? $"https://{PeerListen}" : PeerEndpoint;

    /// <summary>The mechanism type as the contract names it.</summary>
    public MechanismType ParsedMechanismType => MechanismType switch
    {
        "NationalRapporteur" => Contracts.Directory.V1.MechanismType.NationalRapporteur,
        "Coordinator" => Contracts.Directory.V1.MechanismType.Coordinator,
        "EquivalentMechanism" => Contracts.Directory.V1.MechanismType.EquivalentMechanism,
        _ => Contracts.Directory.V1.MechanismType.Unspecified,
    };
}

/// <summary>A person to contact.</summary>
public sealed class FocalPointOptions
{
    /// <summary>Full name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Role at the mechanism.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>E-mail address.</summary>
    public string Email { get; set; } = string.Empty;
}

/// <summary>Disclosure control at the source (section <c>Node:Disclosure</c>).</summary>
public sealed class DisclosureOptions
{
    /// <summary>The threshold k: non-zero counts below it are withheld (default 5).</summary>
    public int Threshold { get; set; } = 5;

    /// <summary>Whether every answer gets consistent cell-key perturbation, with or without an agreement asking for it.</summary>
    public bool CellKeyPerturbation { get; set; }

    /// <summary>The node-wide yearly cap on differential-privacy epsilon, across all peers.</summary>
    public double EpsilonCap { get; set; } = 10;
}

/// <summary>Federated statistics queries (section <c>Node:Statistics</c>).</summary>
public sealed class StatisticsOptions
{
    /// <summary>How long to wait for each peer when the asker names no deadline.</summary>
    public TimeSpan PeerDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a peer's answer is reused before it is asked again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Transnational referrals (section <c>Node:Referrals</c>).</summary>
public sealed class ReferralOptions
{
    /// <summary>
    /// The countries this node exchanges referrals with (ISO 3166-1 alpha-2), or "*" for every active member. Referrals
    /// from or to any other country are refused. Empty: none.
    /// </summary>
    public IList<string> Partners { get; } = [];

    /// <summary>How long personal data, attachments and notes are kept after a referral is closed, declined or withdrawn.</summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the retention job looks for referrals to purge.</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many attachments per referral.</summary>
    public int MaxAttachments { get; set; } = 5;

    /// <summary>Each attachment at most this many bytes.</summary>
    public int MaxAttachmentBytes { get; set; } = 1024 * 1024;

    /// <summary>All attachments of a referral together at most this many bytes (they travel in one message, under the 4 MiB limit).</summary>
    public int MaxTotalAttachmentBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>How many delivery calls go to one peer at the same time (each referral's messages still go one after another).</summary>
    public int DeliveryConcurrency { get; set; } = 4;

    /// <summary>At most this many messages go to a peer in one call (1 to 256; fewer when they would exceed 3 MiB).</summary>
    public int DeliveryBatchSize { get; set; } = 64;

    /// <summary>How long one delivery attempt may take.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts to deliver a message (jittered exponential back-off up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a peer's circuit stays open after repeated failures before one probe is let through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Whether <paramref name="country"/> is a referral partner.</summary>
    public bool IsPartner(string country) => Partners.Contains("*") || Partners.Contains(country);
}

/// <summary>Good practices and network questions (section <c>Node:Practices</c>).</summary>
public sealed class PracticeOptions
{
    /// <summary>The node's language (ISO 639-1): searches without a language are in it.</summary>
    public string Language { get; set; } = "en";

    /// <summary>Each attachment of a practice at most this many bytes.</summary>
    public long MaxAttachmentBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How often every peer's change feed is pulled even without a hint.</summary>
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many changes per page of a feed (1 to 1,000).</summary>
    public int PageSize { get; set; } = 250;

    /// <summary>How long one pull call to a peer may take.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>The web console's sessions (section <c>Node:Console</c>).</summary>
public sealed class ConsoleOptions
{
    /// <summary>A console session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A console session ends this long after the login, however busy.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
