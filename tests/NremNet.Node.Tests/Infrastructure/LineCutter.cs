using System.Net;
using System.Net.Sockets;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>
/// A TCP relay between a node and its peers that can cut the line: while <see cref="Cutting"/>, every connection is
/// reset once the answering side has sent a number of bytes drawn from a seeded range (past the TLS handshake, so calls
/// reach the node and their answers are lost mid-way; sometimes earlier). The bytes themselves (TLS) pass untouched.
/// </summary>
internal sealed class LineCutter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _relays = [];
    private readonly Task _accepting;
    private int _cuts;
    private bool _cutting;

    public LineCutter(int targetPort, int seed)
    {
        _targetPort = targetPort;
        _random = new Random(seed);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port peers connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether connections are cut.</summary>
    public bool Cutting
    {
        get => Volatile.Read(ref _cutting);
        set => Volatile.Write(ref _cutting, value);
    }

    /// <summary>How many connections were cut.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>A port nothing listens on now (for a node that must listen behind the cutter).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] relays;
        lock (_relays)
        {
            relays = [.. _relays];
        }

        await Task.WhenAll(relays).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                int cutAfter;
                lock (_random)
                {
                    // Mostly after the handshake (a few KiB), within or after the first answers; now and then before.
                    cutAfter = _random.Next(10) == 0 ? _random.Next(1, 2 * 1024) : _random.Next(2 * 1024, 5 * 1024);
                }

                lock (_relays)
                {
                    _relays.Add(RelayAsync(client, cutAfter));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client, int cutAfter)
    {
        using var server = new TcpClient();
        using var link = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, link.Token);
            var requests = PumpAsync(client.GetStream(), server.GetStream(), null, link);
            var answers = PumpAsync(server.GetStream(), client.GetStream(), cutAfter, link);
            await Task.WhenAny(requests, answers);
            await link.CancelAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            // A reset, not a goodbye: the line is gone.
            client.Client.LingerState = new LingerOption(true, 0);
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, int? cutAfter, CancellationTokenSource link)
    {
        var buffer = new byte[16 * 1024];
        var sent = 0;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, link.Token);
                if (read == 0)
                {
                    return;
                }

                if (cutAfter is { } limit && Cutting && sent + read > limit)
                {
                    // What fits under the limit still goes through: an answer is cut mid-frame.
                    await to.WriteAsync(buffer.AsMemory(0, Math.Max(0, limit - sent)), link.Token);
                    Interlocked.Increment(ref _cuts);
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), link.Token);
                sent += read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
