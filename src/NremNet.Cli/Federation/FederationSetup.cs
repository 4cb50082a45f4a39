using System.Text.Json;
using System.Text.Json.Nodes;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Data;
using NremNet.Hosting.Certificates;
using NremNet.Node;

namespace NremNet.Cli.Federation;

/// <summary>
/// Prepares the local federation's state: the network PKI, the directory's and every node's configuration, the demo
/// accounts and the CLI profiles. Everything already there is kept, so running it again resumes the same federation.
/// </summary>
internal sealed class FederationSetup(StatePaths paths, IReadOnlyList<SampleNode> nodes, int directoryPort, TimeProvider time, (int First, int Last) sampleYears)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string DirectoryUrl => $"https://127.0.0.1:{directoryPort}";

    public string DirectoryConfig => Path.Combine(paths.Directory, "directory.json");

    public string NodeConfig(string country) => Path.Combine(paths.Node(country), "node.json");

    /// <summary>The years of the sample data.</summary>
    public const int FirstSampleYear = 2015;

    /// <summary>The last year of the sample data.</summary>
    public const int LastSampleYear = 2024;

    /// <summary>
    /// Writes the node's SYNTHETIC sample data (fixed seed per country) and imports it, unless it is there already:
    /// case records where the country's profile holds them, published statistics tables always.
    /// </summary>
    private async Task LoadSampleDataAsync(NodeSetup setup, string country, string folder, Action<string> step, CancellationToken cancellationToken)
    {
        var (first, last) = sampleYears;
        var years = first == FirstSampleYear && last == LastSampleYear ? string.Empty : FormattableString.Invariant($"-{first}-{last}");
        var samples = Path.Combine(folder, "samples");
        System.IO.Directory.CreateDirectory(samples);
        // Published tables first: the case import then protects each year once, with everything in it.
        // Written every time (small, and the same from the fixed seed), so a federation made before a table was added
        // to the sample data gets it too; importing unchanged values changes nothing.
        var statistics = Path.Combine(samples, $"{country}-statistics{years}.synthetic.csv");
        if (!File.Exists(statistics))
        {
            step($"generating SYNTHETIC published statistics for {country}");
        }

        await using (var file = File.Create(statistics))
        {
            await SyntheticData.WriteStatisticsAsync(file, country, first, last, cancellationToken).ConfigureAwait(false);
        }

        await setup.ImportDataAsync(statistics, caseRecords: false, cancellationToken).ConfigureAwait(false);

        if (SyntheticData.HoldsCaseRecords(country))
        {
            var cases = Path.Combine(samples, $"{country}-cases{years}.synthetic.csv");
            if (!File.Exists(cases))
            {
                step($"generating SYNTHETIC case records for {country}");
                await using (var file = File.Create(cases))
                {
                    await SyntheticData.WriteCasesAsync(file, country, first, last, null, cancellationToken).ConfigureAwait(false);
                }
            }

            // Importing the same file again changes nothing, so a resumed federation only checks it.
            var (changed, _) = await setup.ImportDataAsync(cases, caseRecords: true, cancellationToken).ConfigureAwait(false);
            if (changed > 0)
            {
                step($"imported {changed} SYNTHETIC case records into {country} and protected its figures");
            }
        }
    }

    /// <summary>
    /// The demo agreements: every sample node lets every other one ask for every breakdown (the population by sex and
    /// age included, for rates per 100,000), FI with cell-key perturbation; AR shares only its population by sex and
    /// age beyond the baseline (yearly totals), so a query for a breakdown of another indicator that includes it shows a
    /// refusal.
    /// </summary>
    private async Task SetSampleAgreementsAsync(Action<string> step, CancellationToken cancellationToken)
    {
        step("setting the demo sharing agreements");
        foreach (var node in nodes)
        {
            var setup = await NodeSetup.OpenAsync(Path.Combine(paths.Node(node.Country), "data"), Path.Combine(paths.Pki, node.Country + ".crt"), Path.Combine(paths.Pki, node.Country + ".key"), cancellationToken).ConfigureAwait(false);
            (string Indicator, IEnumerable<string> Dimensions)[] grants = node.Country == "AR"
                ? [(StatisticsCatalogue.Population.Id, StatisticsCatalogue.Population.Dimensions)]
                : [("*", ["*"])];
            foreach (var peer in nodes.Where(n => n != node))
            {
                await setup.SetAgreementAsync(peer.Country, grants, node.Country == "FI" ? "perturbation" : "suppression", "demo agreement of the local federation (synthetic)", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes whatever is missing; reports each step.</summary>
    public async Task<FederationState> PrepareAsync(Action<string> step, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(paths.Root);
        var now = time.GetUtcNow();
        if (!File.Exists(paths.Authority))
        {
            step("creating the network CA");
            var authority = NetworkCertificates.CreateAuthority("NremNet demo network CA (synthetic)", now, TimeSpan.FromDays(3650));
            PemFiles.Write(authority, paths.Pki, "ca", overwrite: false);
        }

        var ca = PemFiles.LoadWithKey(paths.Authority, paths.AuthorityKey);
        string[] hosts = ["localhost", "127.0.0.1"];
        IssueIfMissing("directory", () => NetworkCertificates.IssueDirectory(ca, hosts, now, TimeSpan.FromDays(825)), step);
        IssueIfMissing("secretariat", () => NetworkCertificates.IssueSecretariat(ca, "demo secretariat (synthetic)", now, TimeSpan.FromDays(825)), step);
        foreach (var node in nodes)
        {
            IssueIfMissing(node.Country, () => NetworkCertificates.IssueNode(ca, node.Country, hosts, now, TimeSpan.FromDays(825)), step);
        }

        WriteJson(DirectoryConfig, new
        {
            Directory = new
            {
                Listen = $"127.0.0.1:{directoryPort}",
                DataDirectory = Path.Combine(paths.Directory, "data"),
                CertificateFile = Path.Combine(paths.Pki, "directory.crt"),
                KeyFile = Path.Combine(paths.Pki, "directory.key"),
                NetworkCaFile = paths.Authority,
            },
        });

        var logins = LoadLogins();
        var store = new ProfileStore(paths.Profiles);
        var profiles = store.Load();
        var federationNodes = new List<FederationNode>();
        var samples = new List<(NodeSetup Setup, string Country, string Folder)>();
        foreach (var node in nodes)
        {
            var folder = paths.Node(node.Country);
            var data = Path.Combine(folder, "data");
            var certificate = Path.Combine(paths.Pki, node.Country + ".crt");
            var key = Path.Combine(paths.Pki, node.Country + ".key");
            WriteJson(NodeConfig(node.Country), new
            {
                Node = new
                {
                    node.Country,
                    node.MechanismName,
                    node.MechanismType,
                    DataDirectory = data,
                    PeerListen = $"127.0.0.1:{node.PeerPort}",
                    ConsoleListen = $"127.0.0.1:{node.ConsolePort}",
                    CertificateFile = certificate,
                    KeyFile = key,
                    NetworkCaFile = paths.Authority,
                    DirectoryUrl,
                    SnapshotRefreshInterval = "00:00:30",
                    PeerCheckInterval = "00:00:30",
                    node.FocalPoints,
                    Referrals = new { Partners = new[] { "*" } },
                    Practices = new { node.Language },
                },
            });

            var setup = await NodeSetup.OpenAsync(data, certificate, key, cancellationToken).ConfigureAwait(false);
            foreach (var user in node.DemoUsers)
            {
                if (!await setup.UserExistsAsync(user.Username, cancellationToken).ConfigureAwait(false))
                {
                    step($"creating demo account {user.Username} on {node.Country}");
                    logins[user.Username] = await setup.AddUserAsync(user.Username, user.DisplayName, user.Roles, null, cancellationToken).ConfigureAwait(false);
                }

                var name = $"{node.Country}-{user.Roles[0]}";
                if (!profiles.Profiles.Any(p => p.Name == name))
                {
                    var token = await setup.CreateTokenAsync(user.Username, "demo profile (federation up)", TimeSpan.FromDays(365), cancellationToken).ConfigureAwait(false);
                    store.Upsert(
                        new Profile
                        {
                            Name = name,
                            Node = node.Country,
                            Url = $"https://127.0.0.1:{node.ConsolePort}",
                            Roles = user.Roles,
                            Username = user.Username,
                            Token = token,
                            CaFile = paths.Authority,
                            Demo = true,
                        },
                        makeCurrent: node == nodes[0] && user.Roles.Contains("admin"));
                    profiles = store.Load();
                }
            }

            samples.Add((setup, node.Country, folder));
            federationNodes.Add(new FederationNode
            {
                Country = node.Country,
                MechanismName = node.MechanismName,
                PeerUrl = $"https://127.0.0.1:{node.PeerPort}",
                ConsoleUrl = $"https://127.0.0.1:{node.ConsolePort}",
                ConfigFile = NodeConfig(node.Country),
            });
        }

        // Protecting a year of case records keeps one core busy for seconds: the nodes' sample data is loaded side by
        // side, one node per core (each node has its own database; the progress lines are written one at a time).
        var progress = new Lock();
        await Parallel.ForEachAsync(
            samples,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (sample, ct) => await LoadSampleDataAsync(sample.Setup, sample.Country, sample.Folder, text => { lock (progress) { step(text); } }, ct).ConfigureAwait(false)).ConfigureAwait(false);
        await SetSampleAgreementsAsync(step, cancellationToken).ConfigureAwait(false);
        PemFiles.WriteSecret(paths.Credentials, JsonSerializer.Serialize(new JsonObject
        {
            ["$comment"] = "SYNTHETIC demo accounts of the local federation; generated passwords, never for real use.",
            ["logins"] = JsonSerializer.SerializeToNode(logins, Json),
        }, Json));

        return new FederationState
        {
            DirectoryUrl = DirectoryUrl,
            DirectoryConfigFile = DirectoryConfig,
            Nodes = federationNodes,
        };
    }

    /// <summary>
    /// Once the nodes run and see each other: publishes every node's SYNTHETIC sample practices as its demo rapporteur,
    /// asks the two sample network questions and answers them from the other nodes (see <see cref="SampleDocumentsLoader"/>).
    /// </summary>
    public Task LoadSampleDocumentsAsync(Action<string> step, CancellationToken cancellationToken) =>
        new SampleDocumentsLoader(new ProfileStore(paths.Profiles), [.. nodes.Select(n => n.Country)], time).LoadAsync(step, cancellationToken);

    /// <summary>The demo passwords created so far, by user name.</summary>
    public Dictionary<string, string> LoadLogins()
    {
        if (!File.Exists(paths.Credentials))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var document = JsonNode.Parse(File.ReadAllText(paths.Credentials));
        return document?["logins"]?.Deserialize<Dictionary<string, string>>(Json) ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private void IssueIfMissing(string name, Func<System.Security.Cryptography.X509Certificates.X509Certificate2> issue, Action<string> step)
    {
        if (File.Exists(Path.Combine(paths.Pki, name + ".crt")))
        {
            return;
        }

        step($"issuing the {name} certificate");
        using var certificate = issue();
        PemFiles.Write(certificate, paths.Pki, name, overwrite: false);
    }

    private static void WriteJson(string path, object content)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(content, Json));
    }
}
