using System.CommandLine;
using System.Net;
using System.Text.Json;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;
using NremNet.Domain.Users;
using NremNet.Hosting.Certificates;
using NremNet.Node;

namespace NremNet.Cli.Node;

/// <summary>
/// <c>nremnet node init</c>: a folder that runs a country node — its configuration, its credentials, its database and
/// its first admin.
/// </summary>
internal sealed class InitNodeCommand : VerbCommand
{
    private const string ConfigName = "node.json";

    /// <summary>The node's own defaults: node.json names the same folders and files as the Dockerfiles and the systemd unit.</summary>
    private static readonly NodeOptions Defaults = new();

    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };

    private readonly Option<string> _dir = new("--dir") { Description = $"The node's folder: node.json, the credentials ({Defaults.CertificateFile}, {Defaults.KeyFile}, {Defaults.NetworkCaFile}) and the data ({Defaults.DataDirectory}) go there.", Required = true };
    private readonly Option<string> _country = new("--country") { Description = "The node's country, ISO 3166-1 alpha-2 (e.g. NL); its certificate must name it.", Required = true };
    private readonly Option<string> _mechanismName = new("--mechanism-name") { Description = "Name of the mechanism, as the directory and peers will show it.", Required = true };
    private readonly Option<string> _mechanismType = new("--mechanism-type") { Description = "Kind of mechanism.", DefaultValueFactory = _ => "NationalRapporteur" };
    private readonly Option<string> _directoryUrl = new("--directory-url") { Description = "The directory's address, https://HOST:PORT.", Required = true };
    private readonly Option<string> _peerListen = new("--peer-listen") { Description = "host:port the peer API (mutual TLS, for other members) listens on.", DefaultValueFactory = _ => Defaults.PeerListen };
    private readonly Option<string> _consoleListen = new("--console-listen") { Description = "host:port the user API and web console listen on.", DefaultValueFactory = _ => Defaults.ConsoleListen };
    private readonly Option<string?> _peerEndpoint = new("--peer-endpoint") { Description = "The peer API address other members use, https://HOST:PORT (default: https:// and --peer-listen)." };
    private readonly Option<string?> _certificate = new("--certificate") { Description = $"The node certificate (PEM) from 'nremnet pki issue'; copied to {Defaults.CertificateFile}. Default: the one already there in --dir." };
    private readonly Option<string?> _key = new("--key") { Description = $"Its private key (PEM); copied to {Defaults.KeyFile}, readable by you only." };
    private readonly Option<string?> _ca = new("--ca") { Description = $"The network CA certificate (PEM); copied to {Defaults.NetworkCaFile}." };
    private readonly Option<string> _admin = new("--admin") { Description = "User name of the first admin account.", DefaultValueFactory = _ => "admin" };
    private readonly Option<bool> _force = new("--force") { Description = "Write node.json and the credentials again over an existing node; its database and accounts are kept." };

    public InitNodeCommand(CliContext context)
        : base(context, "init", "Set up a country node in a folder: node.json, its credentials in pki/, its database in data/, and a first admin whose password is shown once.")
    {
        _mechanismType.AcceptOnlyFromAmong("NationalRapporteur", "Coordinator", "EquivalentMechanism");
        Options.Add(_dir);
        Options.Add(_country);
        Options.Add(_mechanismName);
        Options.Add(_mechanismType);
        Options.Add(_directoryUrl);
        Options.Add(_peerListen);
        Options.Add(_consoleListen);
        Options.Add(_peerEndpoint);
        Options.Add(_certificate);
        Options.Add(_key);
        Options.Add(_ca);
        Options.Add(_admin);
        Options.Add(_force);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var dir = Path.GetFullPath(parse.GetValue(_dir)!);
        var configPath = Path.Combine(dir, ConfigName);
        var nodeCertificate = Path.GetFullPath(Defaults.CertificateFile, dir);
        var nodeKey = Path.GetFullPath(Defaults.KeyFile, dir);
        var nodeAuthority = Path.GetFullPath(Defaults.NetworkCaFile, dir);
        var force = parse.GetValue(_force);
        var settings = Read(parse);
        if (File.Exists(configPath) && !force)
        {
            throw new CliException(ExitCodes.Conflict, $"{configPath} already exists: that folder holds a node already. Run it with 'nremnet node run --config {configPath}', or pass --force to write its configuration and credentials again (its database and accounts are kept).");
        }

        var (certificate, key, authority) = Credentials(parse, (nodeCertificate, nodeKey, nodeAuthority), settings.Country);
        Copy(certificate, nodeCertificate, secret: false);
        Copy(key, nodeKey, secret: true);
        Copy(authority, nodeAuthority, secret: false);

        var setup = await NodeSetup.OpenAsync(Path.GetFullPath(Defaults.DataDirectory, dir), nodeCertificate, nodeKey, cancellationToken).ConfigureAwait(false);
        string? password = null;
        if (await setup.UserExistsAsync(settings.Admin, cancellationToken).ConfigureAwait(false))
        {
            Output.Warning($"The account '{settings.Admin}' exists already in {setup.DatabasePath}; its password is unchanged.");
        }
        else
        {
            password = await setup.AddUserAsync(settings.Admin, "Administrator", [UserRules.Name(Contracts.Local.V1.Role.Admin)], null, cancellationToken).ConfigureAwait(false);
        }

        // Written last: a folder without node.json has not been set up, so a failed init can simply be run again.
        File.WriteAllText(configPath, JsonSerializer.Serialize(new { Node = settings.ToConfiguration() }, ConfigJson));

        var consoleUrl = $"https://{settings.ConsoleListen}";
        if (Output.Json)
        {
            Output.WriteJson(new
            {
                dir,
                config = configPath,
                country = settings.Country,
                database = setup.DatabasePath,
                consoleUrl,
                admin = settings.Admin,
                adminPassword = password,
                certificateThumbprint = Thumbprint(nodeCertificate),
            });
            return ExitCodes.Ok;
        }

        Output.Success($"Node {settings.Country} set up in {dir}: configuration {configPath}, database {setup.DatabasePath}.");
        Output.Line($"  certificate      {Thumbprint(nodeCertificate)}");
        if (password is not null)
        {
            Output.Line($"  admin user       {settings.Admin}");
            Output.Line($"  admin password   {password}");
            Output.Warning("The password is shown only this once: store it safely now.");
        }

        Output.Line($"Start it with 'nremnet node run --config {configPath}', then log in with 'nremnet login --node-url {consoleUrl} --ca-file {nodeAuthority} --username {settings.Admin}'.");
        return ExitCodes.Ok;
    }

    /// <summary>Every setting from the command line, with every problem named at once.</summary>
    private NodeSettings Read(ParseResult parse)
    {
        var problems = new List<string>();
        var country = parse.GetValue(_country)!.Trim().ToUpperInvariant();
        if (Domain.Countries.Country.Find(country) is null)
        {
            problems.Add($"--country '{country}' is not an ISO 3166-1 alpha-2 country code (e.g. NL, SE, NG)");
        }

        var mechanismName = parse.GetValue(_mechanismName)!.Trim();
        if (mechanismName.Length == 0)
        {
            problems.Add("--mechanism-name is empty; give the mechanism's name");
        }

        var directoryUrl = parse.GetValue(_directoryUrl)!.Trim();
        if (!Uri.TryCreate(directoryUrl, UriKind.Absolute, out var directory) || directory.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"--directory-url '{directoryUrl}' must be https://HOST:PORT");
        }

        var peerListen = parse.GetValue(_peerListen)!.Trim();
        var consoleListen = parse.GetValue(_consoleListen)!.Trim();
        foreach (var (option, value) in new[] { ("--peer-listen", peerListen), ("--console-listen", consoleListen) })
        {
            if (!IsListenAddress(value))
            {
                problems.Add($"{option} '{value}' must be host:port, e.g. 127.0.0.1:7443");
            }
        }

        if (peerListen == consoleListen && !peerListen.EndsWith(":0", StringComparison.Ordinal))
        {
            problems.Add("--peer-listen and --console-listen must differ: the peer API and the user API have separate ports");
        }

        var peerEndpoint = parse.GetValue(_peerEndpoint)?.Trim();
        if (peerEndpoint is not null && (!Uri.TryCreate(peerEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"--peer-endpoint '{peerEndpoint}' must be https://HOST:PORT, reachable by other members");
        }

        var admin = parse.GetValue(_admin)!.Trim();
        problems.AddRange(UserRules.CheckUsername(admin).Select(p => "--admin: " + p));
        if (problems.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, "The node cannot be set up:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        return new NodeSettings(country, mechanismName, parse.GetValue(_mechanismType)!, directoryUrl, peerListen, consoleListen, peerEndpoint, admin);
    }

    /// <summary>The certificate, key and CA to use, checked: the certificate chains to the CA and names the country.</summary>
    private (string Certificate, string Key, string Authority) Credentials(ParseResult parse, (string Certificate, string Key, string Authority) installed, string country)
    {
        var given = new[] { parse.GetValue(_certificate), parse.GetValue(_key), parse.GetValue(_ca) };
        if (given.Any(g => g is not null) && given.Any(g => g is null))
        {
            throw new CliException(ExitCodes.Usage, "Give --certificate, --key and --ca together (the node's certificate and key, and the network CA).");
        }

        var (certificate, key, authority) = given[0] is not null
            ? (Path.GetFullPath(given[0]!), Path.GetFullPath(given[1]!), Path.GetFullPath(given[2]!))
            : installed;
        if (given[0] is null && !(File.Exists(certificate) && File.Exists(key) && File.Exists(authority)))
        {
            throw new CliException(
                ExitCodes.Usage,
                $"The node needs its credentials: pass --certificate {country}.crt --key {country}.key --ca ca.crt (issue them with 'nremnet pki issue --country {country}'), or put them in the node's folder as {Defaults.CertificateFile}, {Defaults.KeyFile} and {Defaults.NetworkCaFile}.");
        }

        var credentials = NetworkCredentials.Load(certificate, key, authority, NetworkRole.Node, country, Context.Time.GetUtcNow());
        credentials.Certificate.Dispose();
        credentials.Authority.Dispose();
        return (certificate, key, authority);
    }

    private static void Copy(string source, string destination, bool secret)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (string.Equals(Path.GetFullPath(source), Path.GetFullPath(destination), StringComparison.Ordinal))
        {
            return;
        }

        if (secret)
        {
            PemFiles.WriteSecret(destination, File.ReadAllText(source));
        }
        else
        {
            File.Copy(source, destination, overwrite: true);
        }
    }

    private static string Thumbprint(string certificateFile)
    {
        using var certificate = PemFiles.Load(certificateFile);
        return NetworkIdentity.Thumbprint(certificate);
    }

    private static bool IsListenAddress(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        return host == "localhost" || IPAddress.TryParse(host, out _);
    }

    /// <summary>The settings node.json records.</summary>
    private sealed record NodeSettings(string Country, string MechanismName, string MechanismType, string DirectoryUrl, string PeerListen, string ConsoleListen, string? PeerEndpoint, string Admin)
    {
        /// <summary>The <c>Node</c> section, with paths relative to the node's folder.</summary>
        public Dictionary<string, string> ToConfiguration()
        {
            var section = new Dictionary<string, string>
            {
                [nameof(NodeOptions.Country)] = Country,
                [nameof(NodeOptions.MechanismName)] = MechanismName,
                [nameof(NodeOptions.MechanismType)] = MechanismType,
                [nameof(NodeOptions.DataDirectory)] = Defaults.DataDirectory,
                [nameof(NodeOptions.PeerListen)] = PeerListen,
                [nameof(NodeOptions.ConsoleListen)] = ConsoleListen,
                [nameof(NodeOptions.CertificateFile)] = Defaults.CertificateFile,
                [nameof(NodeOptions.KeyFile)] = Defaults.KeyFile,
                [nameof(NodeOptions.NetworkCaFile)] = Defaults.NetworkCaFile,
                [nameof(NodeOptions.DirectoryUrl)] = DirectoryUrl,
            };
            if (PeerEndpoint is not null)
            {
                section[nameof(NodeOptions.PeerEndpoint)] = PeerEndpoint;
            }

            return section;
        }
    }
}
