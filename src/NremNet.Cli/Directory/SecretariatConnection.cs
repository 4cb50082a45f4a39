using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Federation;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;
using Grpc.Net.Client;
using NremNet.Contracts.Directory.V1;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Directory;

/// <summary>
/// The options with which secretariat verbs reach the directory over mutual TLS, and the connection they make. Each
/// defaults to the local federation of the checkout the command runs in, when there is one.
/// </summary>
internal sealed class SecretariatOptions
{
    public Option<string?> DirectoryUrl { get; } = new("--directory-url") { Description = "The directory, https://HOST:PORT (default: the local federation's directory)." };

    public Option<string?> Certificate { get; } = new("--cert") { Description = "The secretariat's certificate, PEM (default: the local federation's pki/secretariat.crt)." };

    public Option<string?> Key { get; } = new("--key") { Description = "Its private key, PEM (default: the local federation's pki/secretariat.key)." };

    public Option<string?> Authority { get; } = new("--ca") { Description = "The network CA certificate, PEM, that the directory's certificate must chain to (default: the local federation's pki/ca.crt)." };

    public void AddTo(Command command)
    {
        command.Options.Add(DirectoryUrl);
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(Authority);
    }

    /// <summary>Connects as the secretariat; every missing setting is named with how to give it.</summary>
    public SecretariatConnection Connect(ParseResult parse, TimeProvider time)
    {
        var state = StatePaths.FindCheckout(Environment.CurrentDirectory) is { } checkout ? StatePaths.ForCheckout(checkout) : null;
        string? Existing(string? value, string file) =>
            value ?? (state is not null && File.Exists(Path.Combine(state.Pki, file)) ? Path.Combine(state.Pki, file) : null);

        var url = parse.GetValue(DirectoryUrl) ?? (state is null ? null : FederationState.Load(state)?.DirectoryUrl);
        var certificate = Existing(parse.GetValue(Certificate), "secretariat.crt");
        var key = Existing(parse.GetValue(Key), "secretariat.key");
        var authority = Existing(parse.GetValue(Authority), "ca.crt");
        var missing = new[] { ("--directory-url", url), ("--cert", certificate), ("--key", key), ("--ca", authority) }.Where(m => m.Item2 is null).Select(m => m.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new CliException(
                ExitCodes.Usage,
                $"Say which directory to administer and with which secretariat certificate: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not given and no local federation (.state/federation) supplies {(missing.Count == 1 ? "it" : "them")}. "
                + "Pass --directory-url https://HOST:PORT --cert secretariat.crt --key secretariat.key --ca ca.crt (issue the certificate with 'nremnet pki issue-secretariat'), or start a local federation with 'nremnet federation up'.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException(ExitCodes.Usage, $"--directory-url is '{url}'; give the directory's address as https://HOST:PORT.");
        }

        var credentials = NetworkCredentials.Load(certificate!, key!, authority!, NetworkRole.Secretariat, expectedCountry: null, time.GetUtcNow());
        return new SecretariatConnection(address, NetworkChannel.Create(address, credentials.ClientOptions()));
    }
}

/// <summary>A channel to the directory as the secretariat.</summary>
internal sealed class SecretariatConnection(Uri address, GrpcChannel channel) : IDisposable
{
    public Uri Address { get; } = address;

    public DirectoryService.DirectoryServiceClient Client { get; } = new(channel);

    public void Dispose() => channel.Dispose();
}
