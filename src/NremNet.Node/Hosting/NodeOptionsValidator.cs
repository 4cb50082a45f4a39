using Microsoft.Extensions.Options;
using NremNet.Domain.Countries;
using NremNet.Node.Referrals;

namespace NremNet.Node.Hosting;

/// <summary>Names every problem in a node's configuration with its key.</summary>
internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var errors = new List<string>();
        void Add(string key, string problem) => errors.Add($"{NodeOptions.SectionName}:{key} {problem}");

        if (!Country.IsValidCode(options.Country))
        {
            Add(nameof(options.Country), $"is '{options.Country}'; it must be an ISO 3166-1 alpha-2 code in upper case, e.g. NL.");
        }

        if (string.IsNullOrWhiteSpace(options.MechanismName))
        {
            Add(nameof(options.MechanismName), "is required.");
        }

        if (options.ParsedMechanismType == Contracts.Directory.V1.MechanismType.Unspecified)
        {
            Add(nameof(options.MechanismType), $"is '{options.MechanismType}'; use NationalRapporteur, Coordinator or EquivalentMechanism.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            Add(nameof(options.DataDirectory), "is required.");
        }

        foreach (var (key, value) in new[] { (nameof(options.PeerListen), options.PeerListen), (nameof(options.ConsoleListen), options.ConsoleListen) })
        {
            if (!Listening.TryParse(value, out _))
            {
                Add(key, $"is '{value}'; it must be host:port, e.g. 127.0.0.1:7443.");
            }
        }

        if (Listening.TryParse(options.PeerListen, out var peer) && Listening.TryParse(options.ConsoleListen, out var console) && peer.Port != 0 && peer.Equals(console))
        {
            Add(nameof(options.ConsoleListen), "must differ from PeerListen: the peer API and the user API have separate ports.");
        }

        if (!Uri.TryCreate(options.AdvertisedPeerEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            Add(nameof(options.PeerEndpoint), $"is '{options.AdvertisedPeerEndpoint}'; it must be https://host:port, reachable by other members.");
        }

        if (!Uri.TryCreate(options.DirectoryUrl, UriKind.Absolute, out var directory) || directory.Scheme != Uri.UriSchemeHttps)
        {
            Add(nameof(options.DirectoryUrl), $"is '{options.DirectoryUrl}'; it must be https://host:port.");
        }

        foreach (var (key, path) in new[] { (nameof(options.CertificateFile), options.CertificateFile), (nameof(options.KeyFile), options.KeyFile), (nameof(options.NetworkCaFile), options.NetworkCaFile) })
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                Add(key, $"names '{path}', which does not exist. Issue node credentials with 'nremnet pki issue --country {options.Country}'.");
            }
        }

        foreach (var (key, value, minimum) in new[]
                 {
                     (nameof(options.SnapshotRefreshInterval), options.SnapshotRefreshInterval, TimeSpan.FromSeconds(1)),
                     (nameof(options.PeerCheckInterval), options.PeerCheckInterval, TimeSpan.FromSeconds(1)),
                     (nameof(options.PeerConnectTimeout), options.PeerConnectTimeout, TimeSpan.FromMilliseconds(100)),
                     (nameof(options.TokenLifetime), options.TokenLifetime, TimeSpan.FromMinutes(1)),
                 })
        {
            if (value < minimum)
            {
                Add(key, $"is {value}; it must be at least {minimum}.");
            }
        }

        // Timers cannot wait longer than about 49.7 days (uint.MaxValue - 1 milliseconds).
        foreach (var (key, value) in new[]
                 {
                     (nameof(options.SnapshotRefreshInterval), options.SnapshotRefreshInterval),
                     (nameof(options.PeerCheckInterval), options.PeerCheckInterval),
                     (nameof(options.PeerConnectTimeout), options.PeerConnectTimeout),
                     ("Referrals:RetentionCheckInterval", options.Referrals.RetentionCheckInterval),
                     ("Practices:PullInterval", options.Practices.PullInterval),
                     ("Practices:PullTimeout", options.Practices.PullTimeout),
                 })
        {
            if (value > TimeSpan.FromDays(49))
            {
                Add(key, $"is {value}; it must be at most 49.00:00:00.");
            }
        }

        if (options.Disclosure.Threshold is < 2 or > 100)
        {
            Add("Disclosure:Threshold", $"is {options.Disclosure.Threshold}; it must be between 2 and 100.");
        }

        if (!(options.Disclosure.EpsilonCap > 0))
        {
            Add("Disclosure:EpsilonCap", $"is {options.Disclosure.EpsilonCap}; it must be above 0.");
        }

        if (options.Statistics.PeerDeadline < TimeSpan.FromMilliseconds(100))
        {
            Add("Statistics:PeerDeadline", $"is {options.Statistics.PeerDeadline}; it must be at least 00:00:00.1.");
        }

        if (options.Statistics.CacheTtl < TimeSpan.Zero)
        {
            Add("Statistics:CacheTtl", $"is {options.Statistics.CacheTtl}; it cannot be negative.");
        }

        var referrals = options.Referrals;
        for (var i = 0; i < referrals.Partners.Count; i++)
        {
            if (referrals.Partners[i] != "*" && !Country.IsValidCode(referrals.Partners[i]))
            {
                Add($"Referrals:Partners:{i}", $"is '{referrals.Partners[i]}'; it must be an ISO 3166-1 alpha-2 code in upper case, or * for every active member.");
            }
        }

        foreach (var (key, value, minimum) in new[]
                 {
                     ("Referrals:RetentionPeriod", referrals.RetentionPeriod, TimeSpan.Zero),
                     ("Referrals:RetentionCheckInterval", referrals.RetentionCheckInterval, TimeSpan.FromSeconds(1)),
                     ("Referrals:DeliveryTimeout", referrals.DeliveryTimeout, TimeSpan.FromMilliseconds(100)),
                     ("Referrals:MaxBackoff", referrals.MaxBackoff, TimeSpan.FromMilliseconds(100)),
                     ("Referrals:CircuitBreakDuration", referrals.CircuitBreakDuration, TimeSpan.FromMilliseconds(500)),
                 })
        {
            if (value < minimum)
            {
                Add(key, $"is {value}; it must be at least {minimum}.");
            }
        }

        if (referrals.MaxAttachments is < 0 or > 50)
        {
            Add("Referrals:MaxAttachments", $"is {referrals.MaxAttachments}; it must be between 0 and 50.");
        }

        if (referrals.MaxAttachmentBytes < 1 || referrals.MaxTotalAttachmentBytes < referrals.MaxAttachmentBytes || referrals.MaxTotalAttachmentBytes > 3 * 1024 * 1024)
        {
            Add("Referrals:MaxAttachmentBytes", $"is {referrals.MaxAttachmentBytes} with MaxTotalAttachmentBytes {referrals.MaxTotalAttachmentBytes}; each must be at least 1, the total at least the single limit and at most 3 MiB (a referral travels in one message under the 4 MiB limit).");
        }

        if (referrals.DeliveryConcurrency is < 1 or > 256)
        {
            Add("Referrals:DeliveryConcurrency", $"is {referrals.DeliveryConcurrency}; it must be between 1 and 256.");
        }

        if (referrals.DeliveryBatchSize is < 1 or > ReferralPeerService.MaxExchangeMessages)
        {
            Add("Referrals:DeliveryBatchSize", $"is {referrals.DeliveryBatchSize}; it must be between 1 and {ReferralPeerService.MaxExchangeMessages} (the most one exchange carries).");
        }

        var practices = options.Practices;
        if (practices.Language is not { Length: 2 } || !practices.Language.All(char.IsAsciiLetterLower))
        {
            Add("Practices:Language", $"is '{practices.Language}'; it must be an ISO 639-1 code of two lower-case letters, e.g. nl.");
        }

        if (practices.MaxAttachmentBytes is < 1 or > 256L * 1024 * 1024)
        {
            Add("Practices:MaxAttachmentBytes", $"is {practices.MaxAttachmentBytes}; it must be between 1 and 268435456 (256 MiB).");
        }

        if (practices.PageSize is < 1 or > 1000)
        {
            Add("Practices:PageSize", $"is {practices.PageSize}; it must be between 1 and 1000.");
        }

        if (practices.PullInterval < TimeSpan.FromSeconds(1) || practices.PullTimeout < TimeSpan.FromSeconds(1))
        {
            Add("Practices:PullInterval", $"is {practices.PullInterval} with PullTimeout {practices.PullTimeout}; each must be at least one second.");
        }

        var sessions = options.Console;
        if (sessions.IdleTimeout < TimeSpan.FromMinutes(1) || sessions.SessionLifetime < sessions.IdleTimeout || sessions.SessionLifetime > TimeSpan.FromDays(7))
        {
            Add("Console:IdleTimeout", $"is {sessions.IdleTimeout} with SessionLifetime {sessions.SessionLifetime}; the idle timeout must be at least a minute, the lifetime at least the idle timeout and at most 7.00:00:00.");
        }

        for (var i = 0; i < options.FocalPoints.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.FocalPoints[i].Name) || !options.FocalPoints[i].Email.Contains('@', StringComparison.Ordinal))
            {
                Add($"FocalPoints:{i}", "needs a Name and an Email.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Parses <c>host:port</c> listen addresses.</summary>
internal static class Listening
{
    public static bool TryParse(string? value, out System.Net.IPEndPoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var host = value.Contains("://", StringComparison.Ordinal) ? null : value;
        if (host is null || !System.Net.IPEndPoint.TryParse(host.Replace("localhost", "127.0.0.1", StringComparison.OrdinalIgnoreCase), out var parsed) || !host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }
}
