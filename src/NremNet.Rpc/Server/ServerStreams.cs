using System.IO.Pipelines;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Server;

/// <summary>Reads the request messages of a streaming call from the request body.</summary>
internal sealed class HttpRequestStreamReader<T>(PipeReader body, HttpServerCallContext context, Marshaller<T> marshaller) : IAsyncStreamReader<T>
    where T : class
{
    private T? _current;
    private bool _ended;

    public T Current => _current ?? throw new InvalidOperationException("No message has been read; call MoveNext first and check that it returned true.");

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return Task.FromResult(false);
        }

        if (!cancellationToken.CanBeCanceled || cancellationToken == context.CancellationToken)
        {
            return ReadAsync(context.CancellationToken);
        }

        return ReadLinkedAsync(cancellationToken);
    }

    private async Task<bool> ReadLinkedAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
        return await ReadAsync(linked.Token).ConfigureAwait(false);
    }

    private async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _current = await MessageReader.ReadMessageAsync(body, context, marshaller, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw ServerReads.ClientReset(ex);
        }

        _ended = _current is null;
        return !_ended;
    }
}

/// <summary>Writes the response messages of a streaming call, flushing each unless buffering is asked for.</summary>
internal sealed class HttpResponseStreamWriter<T>(HttpServerCallContext context, Marshaller<T> marshaller) : IServerStreamWriter<T>
{
    private Task _lastWrite = Task.CompletedTask;
    private bool _complete;

    public WriteOptions? WriteOptions
    {
        get => context.WriteOptions;
        set => context.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_complete)
        {
            throw new InvalidOperationException("The call is complete; no more responses can be written.");
        }

        if (!_lastWrite.IsCompleted)
        {
            throw new InvalidOperationException("The previous write has not finished; await each write before starting the next.");
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        var options = WriteOptions;
        context.WriteMessage(message, marshaller, options);
        if (options?.BufferHint == true)
        {
            return Task.CompletedTask;
        }

        return _lastWrite = FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : context.CancellationToken;
        var result = await context.HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("The response stream was closed.");
        }
    }

    public void Complete() => _complete = true;
}
