using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Directory;
using NremNet.Domain.Countries;
using NremNet.Hosting.Startup;
using NremNet.Node;
using NremNet.Testing;
using YamlDotNet.RepresentationModel;

namespace NremNet.Cli.Tests.Deploy;

/// <summary>
/// The files under <c>deploy/</c> checked against the code's defaults (ports, paths, option names, commands), so they
/// cannot drift from it. The checks run on file content, so the tests at the end can feed them deliberately wrong files.
/// </summary>
public sealed class DeployFilesTests
{
    private const string NodeDockerfile = "deploy/node.Dockerfile";
    private const string DirectoryDockerfile = "deploy/directory.Dockerfile";
    private const string ComposeFile = "deploy/compose.yaml";
    private const string NodeUnit = "deploy/systemd/nremnet-node.service";

    [Fact]
    public void NodeDockerfile_AsCommitted_AgreesWithNodeOptionsAndTheCli() =>
        AssertNoProblems(NodeDockerfile, DeployChecks.CheckDockerfile(Dockerfile.Parse(NodeDockerfile, Read(NodeDockerfile)), DeployRole.Node));

    [Fact]
    public void DirectoryDockerfile_AsCommitted_AgreesWithDirectoryOptionsAndTheCli() =>
        AssertNoProblems(DirectoryDockerfile, DeployChecks.CheckDockerfile(Dockerfile.Parse(DirectoryDockerfile, Read(DirectoryDockerfile)), DeployRole.Directory));

    [Fact]
    public void Compose_AsCommitted_AgreesWithTheDockerfilesTheOptionsAndEachOther() =>
        AssertNoProblems(ComposeFile, CheckCompose(Read(ComposeFile)));

    [Fact]
    public void SystemdNodeUnit_AsCommitted_AgreesWithNodeOptionsAndTheCli() =>
        AssertNoProblems(NodeUnit, DeployChecks.CheckSystemdUnit(NodeUnit, Read(NodeUnit)));

    [Fact]
    public void Compose_AsCommitted_NodesGetTheirBuildFromTheMergedTemplate()
    {
        // The node services name no build of their own: it comes from 'x-node' through the '<<: *node' merge key.
        var services = ComposeServices.Parse(ComposeFile, Read(ComposeFile), KnownDockerfiles());

        Assert.Equal(["directory"], services.Where(s => s.Role == DeployRole.Directory).Select(s => s.Name));
        var nodes = services.Where(s => s.Name.StartsWith("node-", StringComparison.Ordinal)).ToList();
        Assert.True(nodes.Count >= 3, $"Expected at least three node-* services; found {string.Join(", ", nodes.Select(n => n.Name))}.");
        Assert.All(nodes, n => Assert.Equal((NodeDockerfile, DeployRole.Node), (n.BuildsFrom, n.Role)));
    }

    [Theory]
    [InlineData(NodeDockerfile, "NREMNET_Node__DataDirectory=data/node", "NREMNET_Node__DataDir=data/node", "line {line}: NREMNET_Node__DataDir names no property of NodeOptions")]
    [InlineData(NodeDockerfile, "NREMNET_Node__PeerListen=0.0.0.0:7443", "NREMNET_Directory__PeerListen=0.0.0.0:7443", "line {line}: NREMNET_Directory__PeerListen is in section 'Directory', but the node reads section 'Node'")]
    [InlineData(NodeDockerfile, "NREMNET_Node__PeerListen=0.0.0.0:7443", "NREMNET_Node__AdvertisedPeerEndpoint=https://x:7443", "line {line}: NREMNET_Node__AdvertisedPeerEndpoint names no property of NodeOptions that configuration can set")]
    [InlineData(NodeDockerfile, "EXPOSE 7443 8443", "EXPOSE 7444 8443", "line {line}: EXPOSE 7444 is no port the node listens on")]
    [InlineData(NodeDockerfile, "EXPOSE 7443 8443", "EXPOSE 7443", "port 8443 (ConsoleListen) is not exposed")]
    [InlineData(NodeDockerfile, "NREMNET_Node__ConsoleListen=0.0.0.0:8443", "NREMNET_Node__ConsoleListen=0.0.0.0:9443", "line {line}: ConsoleListen is 0.0.0.0:9443, port 9443; NodeOptions.ConsoleListen defaults to 127.0.0.1:8443, so the port must be 8443")]
    [InlineData(NodeDockerfile, "NREMNET_Node__PeerListen=0.0.0.0:7443", "NREMNET_Node__PeerListen=127.0.0.1:7443", "listens on the loopback address inside the container")]
    [InlineData(NodeDockerfile, "NREMNET_Node__KeyFile=pki/node.key", "NREMNET_Node__KeyFile=pki/private.key", "line {line}: KeyFile is 'pki/private.key'; NodeOptions.KeyFile defaults to 'pki/node.key'")]
    [InlineData(NodeDockerfile, "mkdir -p /srv/nremnet/pki /srv/nremnet/data/node", "mkdir -p /srv/nremnet/pki", "DataDirectory: the folder /srv/nremnet/data/node is not created by a 'mkdir -p'")]
    [InlineData(NodeDockerfile, "mkdir -p /srv/nremnet/pki /srv/nremnet/data/node", "mkdir -p /srv/nremnet/data/node", "CertificateFile: the folder /srv/nremnet/pki is not created by a 'mkdir -p'")]
    [InlineData(NodeDockerfile, "chown -R nremnet:nremnet /srv/nremnet", "chown -R root /srv/nremnet", "is not given to the user 'nremnet' by a 'chown -R'")]
    [InlineData(NodeDockerfile, "VOLUME [\"/srv/nremnet/data\"]", "VOLUME [\"/srv/nremnet/state\"]", "no VOLUME holds the data folder /srv/nremnet/data/node")]
    [InlineData(NodeDockerfile, "[\"/opt/nremnet/nremnet\", \"node\", \"run\"]", "[\"/opt/nremnet/nremnet\", \"node\", \"start\"]", "line {line}: ENTRYPOINT arguments 'node start' do not parse with the nremnet command line")]
    [InlineData(NodeDockerfile, "[\"/opt/nremnet/nremnet\", \"node\", \"run\"]", "[\"/opt/nremnet/nremnet\", \"directory\", \"serve\"]", "line {line}: ENTRYPOINT runs 'nremnet directory serve'; the node image must run 'nremnet node run'")]
    [InlineData(NodeDockerfile, "[\"/opt/nremnet/nremnet\", \"node\", \"run\"]", "[\"/opt/nremnet/NremNet.Cli\", \"node\", \"run\"]", "line {line}: ENTRYPOINT runs '/opt/nremnet/NremNet.Cli', but the published program is 'nremnet'")]
    [InlineData(NodeDockerfile, "ENTRYPOINT [\"/opt/nremnet/nremnet\", \"node\", \"run\"]", "ENTRYPOINT /opt/nremnet/nremnet node run", "line {line}: ENTRYPOINT is in shell form")]
    [InlineData(DirectoryDockerfile, "EXPOSE 7400", "EXPOSE 7401", "line {line}: EXPOSE 7401 is no port the directory listens on")]
    [InlineData(DirectoryDockerfile, "NREMNET_Directory__Listen=0.0.0.0:7400", "NREMNET_Directory__Listen=0.0.0.0:7401", "line {line}: Listen is 0.0.0.0:7401, port 7401; DirectoryOptions.Listen defaults to 127.0.0.1:7400, so the port must be 7400")]
    [InlineData(DirectoryDockerfile, "NREMNET_Directory__DataDirectory=data/directory", "NREMNET_Node__DataDirectory=data/directory", "NREMNET_Node__DataDirectory is in section 'Node', but the directory reads section 'Directory'")]
    [InlineData(DirectoryDockerfile, "\"directory\", \"serve\"]", "\"directory\", \"serve\", \"--parent-pid\", \"one\"]", "ENTRYPOINT arguments 'directory serve --parent-pid one' do not parse")]
    public void Dockerfile_DeliberatelyWrong_IsReportedWithLineAndExpectation(string file, string find, string replace, string expected)
    {
        var (wrong, line) = Mutate(file, find, replace);
        var role = file == NodeDockerfile ? DeployRole.Node : DeployRole.Directory;

        AssertReported(expected, line, DeployChecks.CheckDockerfile(Dockerfile.Parse(file, wrong), role));
    }

    [Theory]
    [InlineData("NREMNET_Node__MechanismType: \"NationalRapporteur\"\n      NREMNET_Node__PeerListen: \"0.0.0.0:7443\"\n      NREMNET_Node__PeerEndpoint: \"https://node-se", "NREMNET_Node__Mechanism: \"NationalRapporteur\"\n      NREMNET_Node__PeerListen: \"0.0.0.0:7443\"\n      NREMNET_Node__PeerEndpoint: \"https://node-se", "line {line} (services.node-se.environment): NREMNET_Node__Mechanism names no property of NodeOptions")]
    [InlineData("NREMNET_Directory__SnapshotLifetime: \"1.00:00:00\"", "NREMNET_Directory__SnapshotLifetime: \"one day\"", "line {line} (services.directory.environment): NREMNET_Directory__SnapshotLifetime=one day does not bind to DirectoryOptions")]
    [InlineData("NREMNET_Node__DirectoryUrl: \"https://directory:7400\"\n    ports:\n      - \"8442:8443\"", "NREMNET_Node__DirectoryUrl: \"https://registry:7400\"\n    ports:\n      - \"8442:8443\"", "line {line} (services.node-se.environment): NREMNET_Node__DirectoryUrl is https://registry:7400; its host must be the directory service 'directory'")]
    [InlineData("NREMNET_Node__DirectoryUrl: \"https://directory:7400\"\n    ports:\n      - \"8443:8443\"", "NREMNET_Node__DirectoryUrl: \"https://directory:7401\"\n    ports:\n      - \"8443:8443\"", "(services.node-fi.environment): NREMNET_Node__DirectoryUrl is https://directory:7401; its port must be 7400, the port the directory listens on")]
    [InlineData("NREMNET_Node__PeerEndpoint: \"https://node-se:7443\"", "NREMNET_Node__PeerEndpoint: \"https://node-nl:7443\"", "line {line} (services.node-se.environment): NREMNET_Node__PeerEndpoint is https://node-nl:7443; its host must be the service's own name 'node-se'")]
    [InlineData("NREMNET_Node__PeerEndpoint: \"https://node-fi:7443\"", "NREMNET_Node__PeerEndpoint: \"https://node-fi:8443\"", "NREMNET_Node__PeerEndpoint is https://node-fi:8443; its port must be 7443, the PeerListen port")]
    [InlineData("NREMNET_Node__PeerEndpoint: \"https://node-fi:7443\"\n", "\n", "services.node-fi: PeerEndpoint is not set, so the node advertises https://0.0.0.0:7443")]
    [InlineData("- \"8441:8443\"", "- \"8441:8444\"", "line {line} (services.node-nl.ports): 8441:8444 maps to container port 8444, which node-nl does not listen on (7443, 8443)")]
    [InlineData("- \"8442:8443\"", "- \"8441:8443\"", "host port 8441 is published by more than one service (node-nl, node-se)")]
    [InlineData("./pki/SE/node.key:/srv/nremnet/pki/node.key:ro", "./pki/SE/node.key:/srv/nremnet/pki/private.key:ro", "line {line} (services.node-se.volumes): /srv/nremnet/pki/private.key is no file the node reads; under /srv/nremnet/pki it reads /srv/nremnet/pki/node.crt, /srv/nremnet/pki/node.key, /srv/nremnet/pki/ca.crt")]
    [InlineData("./pki/SE/node.key:/srv/nremnet/pki/node.key:ro", "./pki/SE/node.key:/srv/nremnet/pki/node.key.pem:ro", "services.node-se: KeyFile (/srv/nremnet/pki/node.key) is not mounted")]
    [InlineData("./pki/directory/directory.crt:/srv/nremnet/pki/directory.crt:ro", "./pki/directory/directory.crt:/srv/nremnet/pki/node.crt:ro", "(services.directory.volumes): /srv/nremnet/pki/node.crt is no file the directory reads")]
    [InlineData("- se-data:/srv/nremnet/data", "- se-data:/srv/nremnet/cache", "services.node-se: no volume holds the data folder /srv/nremnet/data/node")]
    [InlineData("NREMNET_Node__Country: \"SE\"", "NREMNET_Node__Country: \"NL\"", "line {line} (services.node-se.environment): country NL is also the country of node-nl")]
    [InlineData("NREMNET_Node__Country: \"FI\"", "NREMNET_Node__Country: \"UK\"", "(services.node-fi.environment): NREMNET_Node__Country is 'UK', not an ISO 3166-1 alpha-2 code")]
    [InlineData("NREMNET_Node__MechanismType: \"NationalRapporteur\"\n      NREMNET_Node__PeerListen: \"0.0.0.0:7443\"\n      NREMNET_Node__PeerEndpoint: \"https://node-fi", "NREMNET_Node__MechanismType: \"Rapporteur\"\n      NREMNET_Node__PeerListen: \"0.0.0.0:7443\"\n      NREMNET_Node__PeerEndpoint: \"https://node-fi", "(services.node-fi.environment): NREMNET_Node__MechanismType is 'Rapporteur'; NodeOptions accepts NationalRapporteur, Coordinator, EquivalentMechanism")]
    [InlineData("NREMNET_Node__PeerListen: \"0.0.0.0:7443\"\n      NREMNET_Node__PeerEndpoint: \"https://node-nl:7443\"", "NREMNET_Node__PeerListen: \"0.0.0.0:7444\"\n      NREMNET_Node__PeerEndpoint: \"https://node-nl:7444\"", "line {line} (services.node-nl.environment): PeerListen is 0.0.0.0:7444, port 7444; NodeOptions.PeerListen defaults to 127.0.0.1:7443, so the port must be 7443")]
    [InlineData("dockerfile: deploy/node.Dockerfile", "dockerfile: deploy/directory.Dockerfile", "has 4 directory services (directory, node-nl, node-se, node-fi); it must have exactly one")]
    [InlineData("  <<: *node\n    environment:\n      NREMNET_Node__Country: \"FI\"", "  environment:\n      NREMNET_Node__Country: \"FI\"", "services.node-fi sets NREMNET_ variables but builds neither deploy/node.Dockerfile nor deploy/directory.Dockerfile")]
    public void Compose_DeliberatelyWrong_IsReportedWithKeyAndExpectation(string find, string replace, string expected)
    {
        var (wrong, line) = Mutate(ComposeFile, find, replace);

        AssertReported(expected, line, CheckCompose(wrong));
    }

    [Theory]
    [InlineData("ExecStart=/usr/local/bin/nremnet node run", "ExecStart=/usr/local/bin/nremnet node start", "line {line}: ExecStart arguments 'node start --config /srv/nremnet/node.json' do not parse with the nremnet command line")]
    [InlineData("ExecStart=/usr/local/bin/nremnet node run", "ExecStart=/usr/local/bin/nremnet directory serve", "line {line}: ExecStart runs 'nremnet directory serve'; the node unit must run 'nremnet node run'")]
    [InlineData("ExecStart=/usr/local/bin/nremnet node run", "ExecStart=/usr/local/bin/nremnet-node node run", "line {line}: ExecStart runs '/usr/local/bin/nremnet-node', but the published program is 'nremnet'")]
    [InlineData("Environment=NREMNET_Node__DataDirectory=data/node", "Environment=NREMNET_Node__Data=data/node", "line {line}: NREMNET_Node__Data names no property of NodeOptions")]
    [InlineData("Environment=NREMNET_Node__DataDirectory=data/node", "Environment=\"NREMNET_Node__DataDirectory=data/node\" NREMNET_Node__PeerCheckInterval=often", "line {line}: NREMNET_Node__PeerCheckInterval=often does not bind to NodeOptions")]
    [InlineData("ReadWritePaths=/srv/nremnet/data", "ReadWritePaths=/srv/nremnet/db", "DataDirectory is /srv/nremnet/data/node, which is not under ReadWritePaths (/srv/nremnet/db): the node writes there (set at line ")]
    [InlineData("Environment=NREMNET_Node__DataDirectory=data/node", "Environment=NREMNET_Node__DataDirectory=/var/lib/nremnet", "DataDirectory is /var/lib/nremnet, which is not under ReadWritePaths (/srv/nremnet/data): the node writes there (set at line {line};")]
    [InlineData("ReadOnlyPaths=/srv/nremnet/pki /srv/nremnet/node.json", "ReadOnlyPaths=/srv/nremnet/node.json", "CertificateFile is /srv/nremnet/pki/node.crt, which is not under ReadOnlyPaths (/srv/nremnet/node.json): the node only reads it (the default of NodeOptions.CertificateFile; relative paths are from /srv/nremnet)")]
    [InlineData("ExecStart=/usr/local/bin/nremnet node run --config /srv/nremnet/node.json", "ExecStart=/usr/local/bin/nremnet node run --config /etc/nremnet/node.json", "the configuration file /etc/nremnet/node.json is under neither ReadOnlyPaths nor ReadWritePaths")]
    public void SystemdUnit_DeliberatelyWrong_IsReportedWithLineAndExpectation(string find, string replace, string expected)
    {
        var (wrong, line) = Mutate(NodeUnit, find, replace);

        AssertReported(expected, line, DeployChecks.CheckSystemdUnit(NodeUnit, wrong));
    }

    private static IReadOnlyList<string> CheckCompose(string text) => DeployChecks.CheckCompose(ComposeServices.Parse(ComposeFile, text, KnownDockerfiles()));

    private static Dictionary<string, (Dockerfile File, DeployRole Role)> KnownDockerfiles() => new(StringComparer.Ordinal)
    {
        [NodeDockerfile] = (Dockerfile.Parse(NodeDockerfile, Read(NodeDockerfile)), DeployRole.Node),
        [DirectoryDockerfile] = (Dockerfile.Parse(DirectoryDockerfile, Read(DirectoryDockerfile)), DeployRole.Directory),
    };

    private static string Read(string file) => File.ReadAllText(RepositoryPaths.Combine(file.Split('/')));

    /// <summary>
    /// The file with one deliberate mistake, and the first line it changed (what <c>{line}</c> in an expected message means);
    /// fails when the text to change is not there (the file changed).
    /// </summary>
    private static (string Text, int Line) Mutate(string file, string find, string replace)
    {
        var text = Read(file);
        Assert.True(text.Contains(find, StringComparison.Ordinal), $"{file} no longer contains '{find}'; update this test's deliberate mistake.");
        var wrong = text.Replace(find, replace, StringComparison.Ordinal);
        var (before, after) = (text.Split('\n'), wrong.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(before.Length, after.Length)).First(i => before[i] != after[i]) + 1;
        return (wrong, line);
    }

    private static void AssertNoProblems(string file, IReadOnlyList<string> problems) =>
        Assert.True(problems.Count == 0, $"{file} disagrees with the code:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}");

    private static void AssertReported(string expected, int line, IReadOnlyList<string> problems)
    {
        expected = expected.Replace("{line}", line.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.True(
            problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"Expected a problem containing '{expected}'; got:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}");
    }
}

/// <summary>What a deploy file runs: which CLI verb, and which options section configures it.</summary>
internal sealed record DeployRole(string Name, string Section, Type OptionsType, IReadOnlyList<string> Command)
{
    public static readonly DeployRole Node = new("node", NodeOptions.SectionName, typeof(NodeOptions), ["node", "run"]);

    public static readonly DeployRole Directory = new("directory", DirectoryOptions.SectionName, typeof(DirectoryOptions), ["directory", "serve"]);

    /// <summary>The options with nothing set.</summary>
    public object Defaults() => Activator.CreateInstance(OptionsType)!;

    /// <summary>The <c>host:port</c> addresses the process binds (<c>PeerListen</c>, <c>ConsoleListen</c>, <c>Listen</c>).</summary>
    public IReadOnlyList<PropertyInfo> ListenProperties =>
        [.. OptionsType.GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name.EndsWith("Listen", StringComparison.Ordinal))];

    /// <summary>The folders and files the process uses (<c>DataDirectory</c>, <c>CertificateFile</c>, ...).</summary>
    public IReadOnlyList<PropertyInfo> PathProperties =>
        [.. OptionsType.GetProperties().Where(p => p.PropertyType == typeof(string) && (p.Name.EndsWith("File", StringComparison.Ordinal) || p.Name.EndsWith("Directory", StringComparison.Ordinal)))];

    /// <summary>The properties configuration can set, as the configuration binder sees them.</summary>
    public IReadOnlyList<PropertyInfo> BindableProperties =>
        [.. OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } || (p.SetMethod is null && !p.PropertyType.IsValueType && p.PropertyType != typeof(string)))];

    public static bool IsFolder(PropertyInfo path) => path.Name.EndsWith("Directory", StringComparison.Ordinal);

    public static int Port(string listen) => int.Parse(listen[(listen.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    public static string Host(string listen) => listen[..listen.LastIndexOf(':')].Trim('[', ']');
}

/// <summary>A configuration value a deploy file sets, and where.</summary>
internal sealed record Setting(string Name, string? Value, string Where);

/// <summary>Options bound from the settings of a deploy file on top of the defaults, remembering which setting gave each property.</summary>
internal sealed record BoundOptions(DeployRole Role, object Options, IReadOnlyDictionary<string, Setting> Sources)
{
    public string Value(PropertyInfo property) => (string)property.GetValue(Options)!;

    /// <summary>Where a property's value comes from, for messages.</summary>
    public string Where(string property) =>
        Sources.TryGetValue(property, out var setting) ? setting.Where : $"the default of {Role.OptionsType.Name}.{property}";

    /// <summary>
    /// Checks that every <c>NREMNET_</c> name is <c>NREMNET_&lt;Section&gt;__&lt;Key&gt;</c> of the role's section with a
    /// property configuration can set, and that each value binds (with the real configuration binder); returns the options
    /// bound from every usable setting, later settings winning.
    /// </summary>
    public static BoundOptions Bind(DeployRole role, IEnumerable<Setting> settings, List<string> problems)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var sources = new Dictionary<string, Setting>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings.Where(s => s.Name.StartsWith(NremNetHost.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            var segments = setting.Name[NremNetHost.EnvironmentPrefix.Length..].Split("__");
            if (segments.Length < 2 || segments.Any(string.IsNullOrEmpty))
            {
                problems.Add($"{setting.Where}: {setting.Name} is not of the form {NremNetHost.EnvironmentPrefix}<Section>__<Key>; the {role.Name} reads {NremNetHost.EnvironmentPrefix}{role.Section}__<Key>.");
                continue;
            }

            if (!string.Equals(segments[0], role.Section, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{setting.Where}: {setting.Name} is in section '{segments[0]}', but the {role.Name} reads section '{role.Section}' ({role.OptionsType.Name}); the name must start with {NremNetHost.EnvironmentPrefix}{role.Section}__.");
                continue;
            }

            var property = role.BindableProperties.FirstOrDefault(p => string.Equals(p.Name, segments[1], StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"{setting.Where}: {setting.Name} names no property of {role.OptionsType.Name} that configuration can set; it has {string.Join(", ", role.BindableProperties.Select(p => p.Name))}.");
                continue;
            }

            var key = string.Join(':', segments);
            try
            {
                Configure(role, new Dictionary<string, string?> { [key] = setting.Value });
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"{setting.Where}: {setting.Name}={setting.Value} does not bind to {role.OptionsType.Name}: {ex.Message}");
                continue;
            }

            values[key] = setting.Value;
            sources[property.Name] = setting;
        }

        return new BoundOptions(role, Configure(role, values), sources);
    }

    private static object Configure(DeployRole role, IDictionary<string, string?> values)
    {
        var options = role.Defaults();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(role.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        return options;
    }
}

/// <summary>One instruction of a Dockerfile; a word's line is where it is written, continuation lines included.</summary>
internal sealed record DockerInstruction(int Line, string Keyword, string Arguments, IReadOnlyList<(int Line, string Word)> Words);

/// <summary>The final stage of a Dockerfile (the image that runs), read as far as these checks need.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(string name, IReadOnlyList<DockerInstruction> stage)
    {
        Name = name;
        Stage = stage;
    }

    public string Name { get; }

    public IReadOnlyList<DockerInstruction> Stage { get; }

    public string? WorkDir => Stage.LastOrDefault(i => i.Keyword == "WORKDIR")?.Arguments;

    public string? User => Stage.LastOrDefault(i => i.Keyword == "USER")?.Arguments.Split(':')[0];

    /// <summary><c>ENV</c> variables, <c>KEY=value</c> pairs or the old <c>ENV KEY value</c> form.</summary>
    public IReadOnlyList<Setting> Environment =>
    [
        .. Stage.Where(i => i.Keyword == "ENV").SelectMany(i => i.Words.Count > 0 && !i.Words[0].Word.Contains('=', StringComparison.Ordinal)
            ? [new Setting(i.Words[0].Word, string.Join(' ', i.Words.Skip(1).Select(w => w.Word)), At(i.Words[0].Line))]
            : i.Words.Select(w => new Setting(w.Word[..Math.Max(w.Word.IndexOf('=', StringComparison.Ordinal), 0)], w.Word[(w.Word.IndexOf('=', StringComparison.Ordinal) + 1)..], At(w.Line)))),
    ];

    public IReadOnlyList<(int Line, string Port)> Exposed =>
        [.. Stage.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Words.Select(w => (w.Line, w.Word.Split('/')[0])))];

    public IReadOnlyList<(int Line, string Path)> Volumes =>
    [
        .. Stage.Where(i => i.Keyword == "VOLUME").SelectMany(i => i.Arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<string[]>(i.Arguments)!.Select(p => (i.Line, p))
            : i.Words.Select(w => (w.Line, w.Word))),
    ];

    /// <summary>The folders <c>RUN mkdir</c> creates.</summary>
    public IReadOnlyList<(int Line, string Path)> Created =>
    [
        .. Stage.Where(i => i.Keyword == "RUN").SelectMany(i => Commands(i.Words)
            .Where(c => c.Count > 0 && c[0].Word == "mkdir")
            .SelectMany(c => c.Skip(1).Where(w => !w.Word.StartsWith('-')))),
    ];

    /// <summary>The paths <c>RUN chown -R OWNER</c> gives away, with the owner.</summary>
    public IReadOnlyList<(int Line, string Owner, string Path)> Chowned =>
    [
        .. Stage.Where(i => i.Keyword == "RUN").SelectMany(i => Commands(i.Words)
            .Where(c => c.Count > 0 && c[0].Word == "chown" && c.Skip(1).Any(w => w.Word is "-R" or "--recursive"))
            .SelectMany(c =>
            {
                var operands = c.Skip(1).Where(w => !w.Word.StartsWith('-')).ToList();
                return operands.Skip(1).Select(w => (w.Line, Owner: operands[0].Word.Split(':')[0], Path: w.Word));
            })),
    ];

    /// <summary>Where files from another stage are copied to (<c>COPY --from=...</c>).</summary>
    public IReadOnlyList<string> CopiedFromStages =>
        [.. Stage.Where(i => i.Keyword == "COPY" && i.Words.Any(w => w.Word.StartsWith("--from=", StringComparison.Ordinal))).Select(i => i.Words[^1].Word)];

    public DockerInstruction? Entrypoint => Stage.LastOrDefault(i => i.Keyword == "ENTRYPOINT");

    public string At(int line) => $"{Name} line {line.ToString(CultureInfo.InvariantCulture)}";

    public static Dockerfile Parse(string name, string text)
    {
        var instructions = new List<DockerInstruction>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            var fragments = new List<(int Line, string Text)>();
            var current = line;
            while (current.EndsWith('\\') && i + 1 < lines.Length)
            {
                fragments.Add((i + 1, current[..^1]));
                current = lines[++i].TrimEnd('\r').Trim();
                while (current.StartsWith('#') && i + 1 < lines.Length)
                {
                    current = lines[++i].TrimEnd('\r').Trim();
                }
            }

            fragments.Add((i + 1, current));
            var keyword = fragments[0].Text.Split(' ', 2)[0].ToUpperInvariant();
            fragments[0] = (fragments[0].Line, fragments[0].Text[keyword.Length..]);
            var words = fragments.SelectMany(f => ShellWords.Split(f.Text).Select(w => (f.Line, w))).ToList();
            instructions.Add(new DockerInstruction(start, keyword, string.Join(' ', fragments.Select(f => f.Text.Trim())).Trim(), words));
        }

        var final = instructions.FindLastIndex(i => i.Keyword == "FROM");
        return new Dockerfile(name, instructions.Skip(final + 1).ToList());
    }

    /// <summary>A shell line split into its commands at <c>&amp;&amp;</c>, <c>||</c>, <c>;</c> and <c>|</c>.</summary>
    private static List<List<(int Line, string Word)>> Commands(IReadOnlyList<(int Line, string Word)> words)
    {
        var commands = new List<List<(int Line, string Word)>> { new() };
        foreach (var (line, word) in words)
        {
            if (word is "&&" or "||" or ";" or "|")
            {
                commands.Add([]);
                continue;
            }

            commands[^1].Add((line, word.TrimEnd(';')));
            if (word.EndsWith(';'))
            {
                commands.Add([]);
            }
        }

        return commands;
    }
}

/// <summary>Splits a line into words as a shell or systemd does: at white space, with "double" and 'single' quotes.</summary>
internal static class ShellWords
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}

/// <summary>Absolute POSIX paths, as they are inside a container or on the server (not on the machine running the tests).</summary>
internal static class PosixPath
{
    public static string Resolve(string folder, string path) =>
        Normalize(path.StartsWith('/') ? path : folder.TrimEnd('/') + "/" + path);

    public static string Parent(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "/";

    public static bool IsAtOrUnder(string path, string folder) =>
        Normalize(path) == Normalize(folder) || Normalize(path).StartsWith(Normalize(folder).TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }
}

/// <summary>The <c>nremnet</c> command tree, for checking the command lines deploy files run.</summary>
internal static class NremnetCommandLine
{
    /// <summary>The name of the program <c>dotnet publish</c> makes of the CLI (its assembly name).</summary>
    public static string Program => typeof(CliApplication).Assembly.GetName().Name!;

    public static ParseResult Parse(IReadOnlyList<string> args) =>
        CliApplication.Create(new CliContext(new RecordingOutput(), TimeProvider.System)).Parse(args);

    /// <summary>The verbs that were parsed, e.g. <c>node run</c>.</summary>
    public static string Verbs(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Checks a program and its arguments: the published program, arguments that parse, and the role's verbs.</summary>
    public static ParseResult? Check(string where, string what, DeployRole role, IReadOnlyList<string> commandLine, List<string> problems)
    {
        if (commandLine.Count == 0)
        {
            problems.Add($"{where}: {what} is empty; it must run '{Program} {string.Join(' ', role.Command)}'.");
            return null;
        }

        if (commandLine[0].Split('/')[^1] != Program)
        {
            problems.Add($"{where}: {what} runs '{commandLine[0]}', but the published program is '{Program}' (the CLI's assembly name).");
        }

        var args = commandLine.Skip(1).ToList();
        var parse = Parse(args);
        if (parse.Errors.Count > 0)
        {
            problems.Add($"{where}: {what} arguments '{string.Join(' ', args)}' do not parse with the {Program} command line: {string.Join(" ", parse.Errors.Select(e => e.Message))}");
            return null;
        }

        if (Verbs(parse) != string.Join(' ', role.Command))
        {
            problems.Add($"{where}: {what} runs '{Program} {Verbs(parse)}'; the {role.Name} {(what == "ENTRYPOINT" ? "image" : "unit")} must run '{Program} {string.Join(' ', role.Command)}'.");
        }

        return parse;
    }
}

/// <summary>A service of compose.yaml with its <c>x-</c> template merged in (the <c>&lt;&lt;: *anchor</c> merge key).</summary>
internal sealed record ComposeService(
    string Name,
    int Line,
    DeployRole? Role,
    Dockerfile? Dockerfile,
    string? BuildsFrom,
    IReadOnlyList<Setting> Environment,
    IReadOnlyList<(string Where, string Text, YamlMappingNode? Long)> Ports,
    IReadOnlyList<(string Where, string Text, YamlMappingNode? Long)> Volumes);

/// <summary>Reads compose.yaml's services.</summary>
internal static class ComposeServices
{
    /// <summary>The services; <paramref name="dockerfiles"/> gives, by path from the repository root, the Dockerfiles a service may build.</summary>
    public static IReadOnlyList<ComposeService> Parse(string file, string text, IReadOnlyDictionary<string, (Dockerfile File, DeployRole Role)> dockerfiles)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var folder = PosixPath.Parent("/" + file);
        var result = new List<ComposeService>();
        foreach (var (key, value) in services.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var service = Merged((YamlMappingNode)value);
            string At(YamlNode node, string field) => $"{file} line {node.Start.Line.ToString(CultureInfo.InvariantCulture)} (services.{name}.{field})";

            string? buildsFrom = null;
            if (service.GetValueOrDefault("build") is { } build)
            {
                var (context, dockerfile) = build is YamlMappingNode b
                    ? (Scalar(b, "context") ?? ".", Scalar(b, "dockerfile") ?? "Dockerfile")
                    : (((YamlScalarNode)build).Value!, "Dockerfile");
                buildsFrom = PosixPath.Resolve(PosixPath.Resolve(folder, context), dockerfile).TrimStart('/');
            }

            var known = buildsFrom is not null && dockerfiles.TryGetValue(buildsFrom, out var d) ? d : default;
            var environment = service.GetValueOrDefault("environment") switch
            {
                YamlMappingNode map => map.Children.Select(e => new Setting(((YamlScalarNode)e.Key).Value!, (e.Value as YamlScalarNode)?.Value, At(e.Key, "environment"))).ToList(),
                YamlSequenceNode list => list.Children.Cast<YamlScalarNode>().Select(e => new Setting(e.Value!.Split('=', 2)[0], e.Value.Contains('=', StringComparison.Ordinal) ? e.Value.Split('=', 2)[1] : null, At(e, "environment"))).ToList(),
                _ => [],
            };

            List<(string, string, YamlMappingNode?)> Entries(string field) =>
                service.GetValueOrDefault(field) is YamlSequenceNode list
                    ? [.. list.Children.Select(e => (At(e, field), (e as YamlScalarNode)?.Value ?? string.Empty, e as YamlMappingNode))]
                    : [];

            result.Add(new ComposeService(name, (int)key.Start.Line, known.Role, known.File, buildsFrom, environment, Entries("ports"), Entries("volumes")));
        }

        return result;
    }

    /// <summary>A mapping's entries over those of the mappings its <c>&lt;&lt;</c> key merges in (the loader resolves the aliases).</summary>
    private static Dictionary<string, YamlNode> Merged(YamlMappingNode mapping)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merge))
        {
            var sources = merge is YamlSequenceNode many ? many.Children.Cast<YamlMappingNode>() : [(YamlMappingNode)merge];
            foreach (var source in sources)
            {
                foreach (var (key, value) in Merged(source))
                {
                    entries.TryAdd(key, value);
                }
            }
        }

        foreach (var (key, value) in mapping.Children.Where(e => ((YamlScalarNode)e.Key).Value != "<<"))
        {
            entries[((YamlScalarNode)key).Value!] = value;
        }

        return entries;
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}

/// <summary>The checks of each kind of deploy file; each returns every problem it finds, naming the file, line or key, and what the code expects.</summary>
internal static class DeployChecks
{
    private static readonly string[] MechanismTypes = ["NationalRapporteur", "Coordinator", "EquivalentMechanism"];

    public static IReadOnlyList<string> CheckDockerfile(Dockerfile image, DeployRole role)
    {
        var problems = new List<string>();
        var options = BoundOptions.Bind(role, image.Environment, problems);
        var defaults = role.Defaults();

        CheckListening(options, defaults, problems);
        var listening = role.ListenProperties.Select(p => (Property: p, Port: ListenPort(options, p))).ToList();
        foreach (var (line, port) in image.Exposed)
        {
            if (!listening.Any(l => l.Port.ToString(CultureInfo.InvariantCulture) == port))
            {
                problems.Add($"{image.At(line)}: EXPOSE {port} is no port the {role.Name} listens on; it listens on {Describe(listening)}.");
            }
        }

        foreach (var (property, port) in listening.Where(l => !image.Exposed.Any(e => e.Port == l.Port.ToString(CultureInfo.InvariantCulture))))
        {
            problems.Add($"{image.Name}: port {port} ({property.Name}) is not exposed; add it to EXPOSE.");
        }

        foreach (var property in role.ListenProperties.Where(p => options.Sources.ContainsKey(p.Name)))
        {
            var host = DeployRole.Host(options.Value(property));
            if (host is "127.0.0.1" or "localhost" or "::1")
            {
                problems.Add($"{options.Where(property.Name)}: {property.Name} is {options.Value(property)}, which listens on the loopback address inside the container, where no other container reaches it; use 0.0.0.0.");
            }
        }

        if (image.WorkDir is not { } workDir || !workDir.StartsWith('/'))
        {
            problems.Add($"{image.Name}: the final stage needs an absolute WORKDIR: the {role.Name}'s relative paths ({string.Join(", ", role.PathProperties.Select(p => p.Name))}) are resolved from it.");
        }
        else
        {
            CheckPaths(image, role, options, defaults, workDir, problems);
        }

        if (image.Entrypoint is not { } entrypoint)
        {
            problems.Add($"{image.Name}: there is no ENTRYPOINT; it must run '{NremnetCommandLine.Program} {string.Join(' ', role.Command)}'.");
        }
        else if (!entrypoint.Arguments.StartsWith('['))
        {
            problems.Add($"{image.At(entrypoint.Line)}: ENTRYPOINT is in shell form, so /bin/sh gets SIGTERM instead of {NremnetCommandLine.Program}; use the exec form [\"/path/{NremnetCommandLine.Program}\", {string.Join(", ", role.Command.Select(c => $"\"{c}\""))}].");
        }
        else
        {
            var commandLine = JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!;
            NremnetCommandLine.Check(image.At(entrypoint.Line), "ENTRYPOINT", role, commandLine, problems);
            if (commandLine.Length > 0 && !image.CopiedFromStages.Any(c => PosixPath.IsAtOrUnder(commandLine[0], c)))
            {
                problems.Add($"{image.At(entrypoint.Line)}: ENTRYPOINT runs {commandLine[0]}, which is not under any folder the build stage's output is copied to ({string.Join(", ", image.CopiedFromStages)}).");
            }
        }

        return problems;
    }

    public static IReadOnlyList<string> CheckCompose(IReadOnlyList<ComposeService> services)
    {
        const string Compose = "deploy/compose.yaml";
        var problems = new List<string>();
        var directories = services.Where(s => s.Role == DeployRole.Directory).ToList();
        var nodes = services.Where(s => s.Role == DeployRole.Node).ToList();
        if (directories.Count != 1)
        {
            problems.Add($"{Compose} has {directories.Count} directory services ({string.Join(", ", directories.Select(s => s.Name))}); it must have exactly one (a service built from deploy/directory.Dockerfile).");
        }

        if (nodes.Count < 3)
        {
            problems.Add($"{Compose} has {nodes.Count} node services ({string.Join(", ", nodes.Select(s => s.Name))}); it must have at least three (services built from deploy/node.Dockerfile).");
        }

        foreach (var stranger in services.Where(s => s.Role is null && s.Environment.Any(e => e.Name.StartsWith(NremNetHost.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"{Compose} line {stranger.Line}: services.{stranger.Name} sets {NremNetHost.EnvironmentPrefix} variables but builds neither deploy/node.Dockerfile nor deploy/directory.Dockerfile (it builds {stranger.BuildsFrom ?? "nothing"}), so they cannot be checked.");
        }

        var bound = services.Where(s => s.Role is not null).ToDictionary(
            s => s.Name,
            s => BoundOptions.Bind(s.Role!, s.Dockerfile!.Environment.Concat(s.Environment), problems));
        var published = new List<(string Service, int Port)>();
        foreach (var service in services.Where(s => s.Role is not null))
        {
            var options = bound[service.Name];
            var role = service.Role!;
            CheckListening(options, role.Defaults(), problems);
            var listening = role.ListenProperties.Select(p => (Property: p, Port: ListenPort(options, p))).ToList();
            foreach (var (where, text, longForm) in service.Ports)
            {
                var (hostPort, containerPort) = longForm is null ? ShortPort(text) : (Scalar(longForm, "published"), Scalar(longForm, "target"));
                if (!int.TryParse(containerPort, CultureInfo.InvariantCulture, out var target))
                {
                    problems.Add($"{where}: '{text}' has no container port these checks can read; write \"HOST:CONTAINER\".");
                    continue;
                }

                if (!listening.Any(l => l.Port == target))
                {
                    problems.Add($"{where}: {text} maps to container port {target}, which {service.Name} does not listen on ({string.Join(", ", listening.Select(l => l.Port))}).");
                }

                if (int.TryParse(hostPort, CultureInfo.InvariantCulture, out var host))
                {
                    published.Add((service.Name, host));
                }
            }

            var workDir = service.Dockerfile!.WorkDir ?? "/";
            var targets = service.Volumes.Select(v => (v.Where, Target: v.Long is null ? VolumeTarget(v.Text) : Scalar(v.Long, "target") ?? string.Empty)).ToList();
            var files = role.PathProperties.Where(p => !DeployRole.IsFolder(p)).Select(p => (Property: p, Path: PosixPath.Resolve(workDir, options.Value(p)))).ToList();
            foreach (var folder in files.Select(f => PosixPath.Parent(f.Path)).Distinct())
            {
                foreach (var (where, target) in targets.Where(t => PosixPath.IsAtOrUnder(t.Target, folder) && !PosixPath.IsAtOrUnder(folder, t.Target)))
                {
                    if (!files.Any(f => f.Path == target))
                    {
                        problems.Add($"{where}: {target} is no file the {role.Name} reads; under {folder} it reads {string.Join(", ", files.Where(f => PosixPath.Parent(f.Path) == folder).Select(f => f.Path))} ({string.Join(", ", files.Where(f => PosixPath.Parent(f.Path) == folder).Select(f => $"{role.OptionsType.Name}.{f.Property.Name}"))}).");
                    }
                }
            }

            foreach (var (property, path) in files.Where(f => !targets.Any(t => PosixPath.IsAtOrUnder(f.Path, t.Target))))
            {
                problems.Add($"{Compose} line {service.Line}: services.{service.Name}: {property.Name} ({path}) is not mounted; add a volume with target {path}.");
            }

            foreach (var data in role.PathProperties.Where(DeployRole.IsFolder).Select(p => PosixPath.Resolve(workDir, options.Value(p))))
            {
                if (!targets.Any(t => PosixPath.IsAtOrUnder(data, t.Target)))
                {
                    problems.Add($"{Compose} line {service.Line}: services.{service.Name}: no volume holds the data folder {data}; mount a named volume at {string.Join(" or ", service.Dockerfile.Volumes.Select(v => v.Path).DefaultIfEmpty(data))} so the data outlives the container.");
                }
            }
        }

        foreach (var clash in published.GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            problems.Add($"{Compose}: host port {clash.Key} is published by more than one service ({string.Join(", ", clash.Select(c => c.Service))}); each needs its own.");
        }

        var directory = directories.Count == 1 ? directories[0] : null;
        var countries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in nodes)
        {
            var options = bound[service.Name];
            var node = (NodeOptions)options.Options;
            if (!Country.IsValidCode(node.Country))
            {
                problems.Add($"{options.Where(nameof(NodeOptions.Country))}: {NremNetHost.EnvironmentPrefix}Node__Country is '{node.Country}', not an ISO 3166-1 alpha-2 code in upper case that NremNet knows (NremNet.Domain.Countries.Country).");
            }
            else if (!countries.TryAdd(node.Country, service.Name))
            {
                problems.Add($"{options.Where(nameof(NodeOptions.Country))}: country {node.Country} is also the country of {countries[node.Country]}; each node is a different country.");
            }

            if (!MechanismTypes.Contains(node.MechanismType, StringComparer.Ordinal) || node.ParsedMechanismType == Contracts.Directory.V1.MechanismType.Unspecified)
            {
                problems.Add($"{options.Where(nameof(NodeOptions.MechanismType))}: {NremNetHost.EnvironmentPrefix}Node__MechanismType is '{node.MechanismType}'; NodeOptions accepts {string.Join(", ", MechanismTypes)}.");
            }

            if (string.IsNullOrWhiteSpace(node.MechanismName))
            {
                problems.Add($"{Compose} line {service.Line}: services.{service.Name}: {NremNetHost.EnvironmentPrefix}Node__MechanismName is required by NodeOptions.");
            }

            if (directory is not null)
            {
                var listen = ListenPort(bound[directory.Name], typeof(DirectoryOptions).GetProperty(nameof(DirectoryOptions.Listen))!);
                var url = node.DirectoryUrl;
                var where = options.Where(nameof(NodeOptions.DirectoryUrl));
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                {
                    problems.Add($"{where}: {NremNetHost.EnvironmentPrefix}Node__DirectoryUrl is '{url}'; it must be https://{directory.Name}:{listen}.");
                }
                else
                {
                    if (uri.Host != directory.Name)
                    {
                        problems.Add($"{where}: {NremNetHost.EnvironmentPrefix}Node__DirectoryUrl is {url}; its host must be the directory service '{directory.Name}' (https://{directory.Name}:{listen}).");
                    }

                    if (uri.Port != listen)
                    {
                        problems.Add($"{where}: {NremNetHost.EnvironmentPrefix}Node__DirectoryUrl is {url}; its port must be {listen}, the port the directory listens on ({bound[directory.Name].Where(nameof(DirectoryOptions.Listen))}).");
                    }
                }
            }

            var peerListen = ListenPort(options, typeof(NodeOptions).GetProperty(nameof(NodeOptions.PeerListen))!);
            if (string.IsNullOrWhiteSpace(node.PeerEndpoint))
            {
                problems.Add($"{Compose} line {service.Line}: services.{service.Name}: PeerEndpoint is not set, so the node advertises {node.AdvertisedPeerEndpoint}, which other containers cannot reach; set {NremNetHost.EnvironmentPrefix}Node__PeerEndpoint to https://{service.Name}:{peerListen}.");
            }
            else if (!Uri.TryCreate(node.PeerEndpoint, UriKind.Absolute, out var peer) || peer.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"{options.Where(nameof(NodeOptions.PeerEndpoint))}: {NremNetHost.EnvironmentPrefix}Node__PeerEndpoint is '{node.PeerEndpoint}'; it must be https://{service.Name}:{peerListen}.");
            }
            else
            {
                if (peer.Host != service.Name)
                {
                    problems.Add($"{options.Where(nameof(NodeOptions.PeerEndpoint))}: {NremNetHost.EnvironmentPrefix}Node__PeerEndpoint is {node.PeerEndpoint}; its host must be the service's own name '{service.Name}' (https://{service.Name}:{peerListen}).");
                }

                if (peer.Port != peerListen)
                {
                    problems.Add($"{options.Where(nameof(NodeOptions.PeerEndpoint))}: {NremNetHost.EnvironmentPrefix}Node__PeerEndpoint is {node.PeerEndpoint}; its port must be {peerListen}, the PeerListen port ({options.Where(nameof(NodeOptions.PeerListen))}).");
                }
            }
        }

        return problems.Distinct().ToList();
    }

    public static IReadOnlyList<string> CheckSystemdUnit(string file, string text)
    {
        var problems = new List<string>();
        var role = DeployRole.Node;
        var entries = SystemdEntries(text);
        string At(int line) => $"{file} line {line.ToString(CultureInfo.InvariantCulture)}";
        IEnumerable<(int Line, string Value)> Service(string key) => entries.Where(e => e.Section == "Service" && e.Key == key).Select(e => (e.Line, e.Value));

        var settings = Service("Environment")
            .SelectMany(e => ShellWords.Split(e.Value).Select(a => new Setting(a.Split('=', 2)[0], a.Contains('=', StringComparison.Ordinal) ? a.Split('=', 2)[1] : string.Empty, At(e.Line))));
        var options = BoundOptions.Bind(role, settings, problems);

        string? config = null;
        var execStarts = Service("ExecStart").ToList();
        if (execStarts.Count != 1)
        {
            problems.Add($"{file}: [Service] needs exactly one ExecStart (it has {execStarts.Count}); it must run '{NremnetCommandLine.Program} {string.Join(' ', role.Command)}'.");
        }
        else
        {
            var commandLine = ShellWords.Split(execStarts[0].Value);
            if (commandLine.Count > 0)
            {
                commandLine[0] = commandLine[0].TrimStart('-', '@', '+', '!', ':');
            }

            var parse = NremnetCommandLine.Check(At(execStarts[0].Line), "ExecStart", role, commandLine, problems);
            config = parse?.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(o => o.Option.Name == "--config")?.Tokens.FirstOrDefault()?.Value;
        }

        // systemd starts in / unless told otherwise; 'node run --config FILE' then makes FILE's folder the working folder
        // (HostLaunch), so the node's relative paths mean that folder.
        var workingDirectory = Service("WorkingDirectory").Select(e => e.Value.TrimStart('-')).LastOrDefault() ?? "/";
        config = config is null ? null : PosixPath.Resolve(workingDirectory, config);
        var folder = config is null ? workingDirectory : PosixPath.Parent(config);

        var readWrite = Paths(Service("ReadWritePaths"));
        var readOnly = Paths(Service("ReadOnlyPaths"));
        foreach (var property in role.PathProperties)
        {
            var path = PosixPath.Resolve(folder, options.Value(property));
            var (allowed, list, kind) = DeployRole.IsFolder(property) ? (readWrite, "ReadWritePaths", "the node writes there") : (readOnly, "ReadOnlyPaths", "the node only reads it");
            if (!allowed.Any(a => PosixPath.IsAtOrUnder(path, a)))
            {
                var source = options.Sources.ContainsKey(property.Name) ? "set at " + options.Where(property.Name).Replace(file + " ", string.Empty, StringComparison.Ordinal) : options.Where(property.Name);
                problems.Add($"{file}: {property.Name} is {path}, which is not under {list} ({string.Join(" ", allowed)}): {kind} ({source}; relative paths are from {folder}).");
            }
        }

        if (config is not null && !readOnly.Concat(readWrite).Any(a => PosixPath.IsAtOrUnder(config, a)))
        {
            problems.Add($"{file}: the configuration file {config} is under neither ReadOnlyPaths nor ReadWritePaths; list it in ReadOnlyPaths.");
        }

        return problems;
    }

    /// <summary>Each listen address's port equals the port of the option's default.</summary>
    private static void CheckListening(BoundOptions options, object defaults, List<string> problems)
    {
        foreach (var property in options.Role.ListenProperties)
        {
            var value = options.Value(property);
            var expected = (string)property.GetValue(defaults)!;
            var port = ListenPort(options, property);
            if (port != DeployRole.Port(expected))
            {
                problems.Add($"{options.Where(property.Name)}: {property.Name} is {value}, port {port}; {options.Role.OptionsType.Name}.{property.Name} defaults to {expected}, so the port must be {DeployRole.Port(expected)}.");
            }
        }
    }

    /// <summary>Relative paths equal the defaults; their folders are made (and the data folder owned by the user) and the data folder is on a VOLUME.</summary>
    private static void CheckPaths(Dockerfile image, DeployRole role, BoundOptions options, object defaults, string workDir, List<string> problems)
    {
        foreach (var property in role.PathProperties.Where(p => options.Sources.ContainsKey(p.Name)))
        {
            var expected = (string)property.GetValue(defaults)!;
            if (options.Value(property) != expected)
            {
                problems.Add($"{options.Where(property.Name)}: {property.Name} is '{options.Value(property)}'; {role.OptionsType.Name}.{property.Name} defaults to '{expected}', and the image must use the default layout.");
            }
        }

        foreach (var property in role.PathProperties)
        {
            var path = PosixPath.Resolve(workDir, options.Value(property));
            var folder = DeployRole.IsFolder(property) ? path : PosixPath.Parent(path);
            if (!image.Created.Any(c => PosixPath.IsAtOrUnder(c.Path, folder)))
            {
                problems.Add($"{image.Name}: {property.Name}: the folder {folder} is not created by a 'mkdir -p' in the final stage ({options.Where(property.Name)}, relative to WORKDIR {workDir}).");
            }

            if (DeployRole.IsFolder(property))
            {
                if (image.User is { } user && !image.Chowned.Any(c => c.Owner == user && PosixPath.IsAtOrUnder(path, c.Path)))
                {
                    problems.Add($"{image.Name}: {property.Name}: the folder {path} is not given to the user '{user}' by a 'chown -R', so the {role.Name} cannot write there.");
                }

                if (!image.Volumes.Any(v => PosixPath.IsAtOrUnder(path, v.Path)))
                {
                    problems.Add($"{image.Name}: {property.Name}: no VOLUME holds the data folder {path} (VOLUME {string.Join(" ", image.Volumes.Select(v => v.Path))}).");
                }
            }
        }

        foreach (var (line, volume) in image.Volumes.Where(v => !image.Created.Any(c => PosixPath.IsAtOrUnder(c.Path, v.Path))))
        {
            problems.Add($"{image.At(line)}: VOLUME {volume} is not created by a 'mkdir -p', so Docker makes it owned by root and the {role.Name} cannot write there.");
        }
    }

    private static int ListenPort(BoundOptions options, PropertyInfo property) => DeployRole.Port(options.Value(property));

    private static string Describe(IEnumerable<(PropertyInfo Property, int Port)> listening) =>
        string.Join(", ", listening.Select(l => $"{l.Port} ({l.Property.Name})"));

    /// <summary>"[IP:]HOST:CONTAINER[/proto]" or "CONTAINER".</summary>
    private static (string? Host, string Container) ShortPort(string text)
    {
        var parts = text.Split('/')[0].Split(':');
        return parts.Length == 1 ? (null, parts[0]) : (parts[^2], parts[^1]);
    }

    /// <summary>"SOURCE:TARGET[:MODE]" or "TARGET".</summary>
    private static string VolumeTarget(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 1 ? parts[0] : parts[1];
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static List<string> Paths(IEnumerable<(int Line, string Value)> entries) =>
        [.. entries.SelectMany(e => ShellWords.Split(e.Value)).Select(p => p.TrimStart('-', '+'))];

    /// <summary>A unit file's entries with their section and line; backslash continues a line.</summary>
    private static List<(string Section, string Key, string Value, int Line)> SystemdEntries(string text)
    {
        var entries = new List<(string Section, string Key, string Value, int Line)>();
        var section = string.Empty;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1] + " " + lines[++i].TrimEnd('\r').Trim();
            }

            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim(), start));
            }
        }

        return entries;
    }
}
