using System.Runtime.CompilerServices;

namespace NremNet.Rpc;

/// <summary>Reads a stream of messages.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes a stream of messages.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Options for the next writes; null for the call's defaults.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Writes a message. Only one write may be pending at a time.</summary>
    Task WriteAsync(T message);

    /// <summary>Writes a message. Only one write may be pending at a time.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken);
}

/// <summary>Writes responses on the server.</summary>
/// <typeparam name="T">The response type.</typeparam>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>;

/// <summary>Writes requests on the client.</summary>
/// <typeparam name="T">The request type.</typeparam>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>Helpers for message streams.</summary>
public static class AsyncStreamExtensions
{
    /// <summary>Reads every remaining message.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }

    /// <summary>Writes every message, then ends the request stream.</summary>
    public static async Task WriteAllAsync<T>(this IClientStreamWriter<T> writer, IEnumerable<T> messages)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            await writer.WriteAsync(message).ConfigureAwait(false);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }
}
