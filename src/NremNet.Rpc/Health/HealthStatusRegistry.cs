using System.Threading.Channels;
using ServingStatus = NremNet.Rpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Rpc;

/// <summary>
/// The serving status of the server ("") and of each service, as <c>grpc.health.v1.Health</c> reports it.
/// Hosts set it from their own checks (keys, database, directory snapshot).
/// </summary>
public sealed class HealthStatusRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private bool _shuttingDown;

    /// <summary>Sets the status of a service ("" for the whole server) and tells every watcher.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _statuses[service] = status;
            NotifyLocked(service, status);
        }
    }

    /// <summary>Sets a status only when none was set before.</summary>
    public void SetStatusIfUnset(string service, ServingStatus status)
    {
        lock (_lock)
        {
            if (!_statuses.ContainsKey(service))
            {
                _statuses[service] = status;
                NotifyLocked(service, status);
            }
        }
    }

    /// <summary>The status of a service, or null when it is not known.</summary>
    public ServingStatus? GetStatus(string service)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    /// <summary>Every known status.</summary>
    public IReadOnlyDictionary<string, ServingStatus> GetAll()
    {
        lock (_lock)
        {
            return new Dictionary<string, ServingStatus>(_statuses, StringComparer.Ordinal);
        }
    }

    /// <summary>Marks everything NOT_SERVING and ends every watch, for an orderly shutdown.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            foreach (var service in _statuses.Keys.ToList())
            {
                _statuses[service] = ServingStatus.NotServing;
                NotifyLocked(service, ServingStatus.NotServing);
            }

            _shuttingDown = true;
            foreach (var watcher in _watchers)
            {
                watcher.Updates.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Starts watching a service: the reader yields its current status, then every change.</summary>
    internal ChannelReader<ServingStatus> Watch(string service, out IDisposable subscription)
    {
        // Only the latest status matters to a watcher, so a slow one skips intermediate changes.
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var watcher = new Watcher(this, service, channel);
        lock (_lock)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(service, out var status) ? status : ServingStatus.ServiceUnknown);
            if (_shuttingDown)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(watcher);
            }
        }

        subscription = watcher;
        return channel.Reader;
    }

    private void NotifyLocked(string service, ServingStatus status)
    {
        foreach (var watcher in _watchers)
        {
            if (watcher.Service == service)
            {
                watcher.Updates.Writer.TryWrite(status);
            }
        }
    }

    private sealed class Watcher(HealthStatusRegistry owner, string service, Channel<ServingStatus> updates) : IDisposable
    {
        public string Service => service;

        public Channel<ServingStatus> Updates => updates;

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._watchers.Remove(this);
            }
        }
    }
}
