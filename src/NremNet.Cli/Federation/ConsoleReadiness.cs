using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Federation;

/// <summary>
/// Whether a node's web console serves as a browser would use it: its login page, and the stylesheet and the script
/// that page loads — over HTTPS, the node's certificate checked against the network CA.
/// </summary>
internal static partial class ConsoleReadiness
{
    /// <summary>An HTTP client that trusts the network CA of <paramref name="caFile"/> for the consoles' certificates.</summary>
    public static HttpClient Client(string caFile)
    {
        var roots = new X509Certificate2Collection(PemFiles.Load(caFile));
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    certificate is X509Certificate2 server
                    && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                    && CertificateTrust.Validate(server, roots, CertificateTrust.ServerAuthenticationOid, CertificateTrust.Intermediates(chain), out string _),
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>What keeps the console at <paramref name="consoleUrl"/> from serving, or null when it serves.</summary>
    public static async Task<string?> ProblemAsync(HttpClient client, string consoleUrl, CancellationToken cancellationToken)
    {
        var baseUrl = consoleUrl.TrimEnd('/');
        try
        {
            using var login = await client.GetAsync(baseUrl + "/login", cancellationToken).ConfigureAwait(false);
            var page = await login.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (login.StatusCode != HttpStatusCode.OK || login.Content.Headers.ContentType?.MediaType != "text/html")
            {
                return $"{baseUrl}/login answered {(int)login.StatusCode} {login.Content.Headers.ContentType?.MediaType}";
            }

            var assets = AssetReference().Matches(page).Select(m => m.Groups["path"].Value).ToList();
            if (!assets.Any(a => a.EndsWith(".css", StringComparison.Ordinal)) || !assets.Any(a => a.EndsWith(".js", StringComparison.Ordinal)))
            {
                return $"{baseUrl}/login names no stylesheet or no script";
            }

            foreach (var asset in assets)
            {
                using var file = await client.GetAsync(baseUrl + asset, cancellationToken).ConfigureAwait(false);
                if (file.StatusCode != HttpStatusCode.OK)
                {
                    return $"{baseUrl}{asset} answered {(int)file.StatusCode}";
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{baseUrl}/login: {ex.Message}";
        }
    }

    /// <summary>Waits until every console serves, for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="CliException">A console did not serve in time; the message says what it answered.</exception>
    public static async Task WaitAllAsync(string caFile, IEnumerable<string> consoleUrls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = Client(caFile);
        var waited = Stopwatch.StartNew();
        foreach (var url in consoleUrls)
        {
            while (await ProblemAsync(client, url, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                if (waited.Elapsed > timeout)
                {
                    throw new CliException(ExitCodes.Failed, $"The web console does not serve: {problem}. See the node's log.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [GeneratedRegex("""<(?:script\b[^>]*\bsrc|link\b[^>]*\bhref)="(?<path>/assets/[^"]+)""")]
    private static partial Regex AssetReference();
}
