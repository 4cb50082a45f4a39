using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

namespace NremNet.Node.Membership;

/// <summary>
/// The node's link to the directory: applies for membership, says it is alive, and keeps the snapshot fresh — from a
/// watch stream as changes happen, and by fetching it every refresh interval in case the stream is down.
/// </summary>
internal sealed class DirectoryLink(
    IOptions<NodeOptions> options,
    NetworkCredentials credentials,
    SnapshotState snapshots,
    NodeEndpoints endpoints,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ILogger<DirectoryLink> logger) : BackgroundService
{
    private readonly NodeOptions _options = options.Value;
    private readonly GrpcChannel _channel = CreateChannel(options.Value, credentials, loggerFactory);
    private bool _registered;

    /// <summary>The services this node offers on its peer API.</summary>
    public static IReadOnlyList<string> OfferedServices { get; } = ["nremnet.federation.v1.FederationService", "nremnet.aggregates.v1.AggregateService", "nremnet.referrals.v1.ReferralService"];

    /// <summary>When the directory last answered.</summary>
    public DateTimeOffset? LastContact { get; private set; }

    /// <summary>Why the last attempt to reach the directory failed; empty after a success.</summary>
    public string LastError { get; private set; } = "not contacted yet";

    /// <summary>The node's status as the directory last reported it.</summary>
    public MemberStatus MembershipStatus { get; private set; }

    /// <summary>Whether the directory answered the last attempt.</summary>
    public bool Reachable => LastError.Length == 0;

    /// <summary>What the node tells the directory about itself.</summary>
    public MemberApplication Application()
    {
        var application = new MemberApplication
        {
            Country = _options.Country,
            MechanismName = _options.MechanismName,
            MechanismType = _options.ParsedMechanismType,
            PeerEndpoint = endpoints.AdvertisedPeerEndpoint,
            CertificateThumbprint = credentials.Thumbprint,
            Certificate = Google.Protobuf.ByteString.CopyFrom(credentials.Certificate.RawData),
            CatalogueVersion = _options.CatalogueVersion,
        };
        application.Services.AddRange(OfferedServices);
        application.FocalPoints.AddRange(_options.FocalPoints.Select(p => new FocalPoint { Name = p.Name, Role = p.Role, Email = p.Email }));
        return application;
    }

    /// <summary>Registers (when not yet done this run), sends a heartbeat and fetches the snapshot once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var client = new DirectoryService.DirectoryServiceClient(_channel);
        try
        {
            if (!_registered)
            {
                var registered = await client.RegisterAsync(new RegisterRequest { Application = Application() }, Deadline(cancellationToken)).ConfigureAwait(false);
                _registered = true;
                MembershipStatus = registered.Member.Status;
                NodeLog.Registered(logger, _options.Country, registered.Member.Status.ToString());
            }

            var heartbeat = await client.HeartbeatAsync(new HeartbeatRequest { Country = _options.Country, SnapshotVersion = snapshots.Version }, Deadline(cancellationToken)).ConfigureAwait(false);
            MembershipStatus = heartbeat.Status;
            if (heartbeat.SnapshotVersion != snapshots.Version || snapshots.Current is null || !snapshots.Trust.Trusted)
            {
                var snapshot = await client.GetSnapshotAsync(new GetSnapshotRequest(), Deadline(cancellationToken)).ConfigureAwait(false);
                snapshots.Offer(snapshot.Snapshot);
            }

            Succeeded();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && _registered)
        {
            // The directory no longer knows the node (e.g. restored from a backup): apply again next time.
            _registered = false;
            Failed(ex.Status.Detail);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed($"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Apply only once the listeners are bound, so the advertised address has its real port.
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var watching = WatchAsync(stoppingToken);
        using var timer = new PeriodicTimer(_options.SnapshotRefreshInterval, time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException && stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await watching.ConfigureAwait(false);
    }

    /// <summary>Follows the directory's snapshot stream, reconnecting with a growing pause while it is away.</summary>
    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var call = new DirectoryService.DirectoryServiceClient(_channel).WatchSnapshot(new WatchSnapshotRequest { KnownVersion = snapshots.Version }, new CallOptions(cancellationToken: stoppingToken));
                while (await call.ResponseStream.MoveNext(stoppingToken).ConfigureAwait(false))
                {
                    snapshots.Offer(call.ResponseStream.Current.Snapshot);
                    Succeeded();
                    pause = TimeSpan.FromSeconds(1);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException && stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException)
            {
                // Reported by the periodic refresh; the stream is simply tried again.
            }

            try
            {
                await Task.Delay(pause, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _options.SnapshotRefreshInterval.Ticks));
        }
    }

    public override void Dispose()
    {
        _channel.Dispose();
        base.Dispose();
    }

    private static CallOptions Deadline(CancellationToken cancellationToken) =>
        new(deadline: CallDeadline.After(TimeSpan.FromSeconds(10)), cancellationToken: cancellationToken);

    private void Succeeded()
    {
        if (!Reachable)
        {
            NodeLog.DirectoryReachable(logger, _options.DirectoryUrl);
        }

        LastContact = time.GetUtcNow();
        LastError = string.Empty;
    }

    private void Failed(string error)
    {
        if (Reachable || LastError != error)
        {
            NodeLog.DirectoryUnreachable(logger, _options.DirectoryUrl, error, snapshots.Trust.Reason);
        }

        LastError = error;
    }

    private static GrpcChannel CreateChannel(NodeOptions options, NetworkCredentials credentials, ILoggerFactory loggerFactory) =>
        NetworkChannel.Create(options.DirectoryUrl, credentials.ClientOptions(certificate => NetworkIdentity.Read(certificate).Role == NetworkRole.Directory, loggerFactory));
}
