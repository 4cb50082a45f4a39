using System.Threading.Channels;

namespace NremNet.Directory.Snapshots;

/// <summary>
/// The current snapshot in memory, and the WatchSnapshot streams waiting for the next one. Publishing never goes back: a snapshot that does not supersede the current one is ignored.
/// </summary>
internal sealed class SnapshotFeed
{
    // Snapshots change a few times a day; a watcher that falls this far behind skips to the newest ones.
    private const int WatcherBacklog = 16;

    private readonly Lock _lock = new();
    private readonly List<Channel<PublishedSnapshot>> _watchers = [];
    private PublishedSnapshot? _current;
    private bool _completed;

    /// <summary>The current snapshot, or null before the first is loaded at start.</summary>
    public PublishedSnapshot? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Makes <paramref name="snapshot"/> current and hands it to every watcher; false when it does not supersede the current one.</summary>
    public bool Publish(PublishedSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            if (!snapshot.Supersedes(_current))
            {
                return false;
            }

            _current = snapshot;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(snapshot);
            }

        }

        return true;
    }

    /// <summary>The current snapshot and, from that moment on, every newly published one, until disposed or the feed ends.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<PublishedSnapshot>(new BoundedChannelOptions(WatcherBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }

            return new Subscription(this, channel, _current);
        }
    }

    /// <summary>Ends every watch, for an orderly shutdown.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    private void Unsubscribe(Channel<PublishedSnapshot> channel)
    {
        lock (_lock)
        {
            _watchers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One watcher's view of the feed.</summary>
    public sealed class Subscription(SnapshotFeed feed, Channel<PublishedSnapshot> channel, PublishedSnapshot? current) : IDisposable
    {
        /// <summary>The snapshot that was current when the subscription began.</summary>
        public PublishedSnapshot? Current => current;

        /// <summary>Every snapshot published since; ends when the feed ends.</summary>
        public ChannelReader<PublishedSnapshot> Updates => channel.Reader;

        public void Dispose() => feed.Unsubscribe(channel);
    }
}
