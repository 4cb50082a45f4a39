using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using NremNet.Rpc.Compression;

namespace NremNet.Rpc.Framing;

/// <summary>What a reader needs to know about the call it reads for.</summary>
internal interface IMessageReadContext
{
    /// <summary>The largest message accepted, after decompression; null for no limit.</summary>
    int? MaxReceiveMessageSize { get; }

    /// <summary>The peer's <c>grpc-encoding</c>, or null when it sent none.</summary>
    string? ReceivedEncoding { get; }

    /// <summary>The algorithms this side can decompress.</summary>
    CompressionProviders Decompressors { get; }

    /// <summary>Called for every message read, with whether it was compressed on the wire.</summary>
    void OnMessageRead(bool compressed);
}

/// <summary>Reads length-prefixed messages from a pipe, parsing from the pipe's own buffers.</summary>
internal static class MessageReader
{
    /// <summary>Reads the next message; null at a clean end of stream.</summary>
    public static ValueTask<T?> ReadMessageAsync<T>(PipeReader reader, IMessageReadContext context, Marshaller<T> marshaller, CancellationToken cancellationToken)
        where T : class
    {
        if (reader.TryRead(out var result) && TryParse(reader, result, context, marshaller, out var message))
        {
            return new ValueTask<T?>(message);
        }

        return ReadMessageSlowAsync(reader, context, marshaller, cancellationToken);
    }

    /// <summary>Reads exactly one message followed by the end of the stream (a unary request or response).</summary>
    public static async ValueTask<T> ReadSingleMessageAsync<T>(PipeReader reader, IMessageReadContext context, Marshaller<T> marshaller, string what, CancellationToken cancellationToken)
        where T : class
    {
        var message = await ReadMessageAsync(reader, context, marshaller, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, $"The {what} stream ended without a message.");
        await ReadEndOfStreamAsync(reader, what, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>Waits for the end of the stream; anything more is a protocol error.</summary>
    public static ValueTask ReadEndOfStreamAsync(PipeReader reader, string what, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out var result) && CheckEnd(reader, result, what))
        {
            return ValueTask.CompletedTask;
        }

        return ReadEndOfStreamSlowAsync(reader, what, cancellationToken);
    }

    private static async ValueTask ReadEndOfStreamSlowAsync(PipeReader reader, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (CheckEnd(reader, result, what))
            {
                return;
            }
        }
    }

    private static bool CheckEnd(PipeReader reader, ReadResult result, string what)
    {
        if (!result.Buffer.IsEmpty)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            throw new RpcException(StatusCode.Internal, $"The {what} has more data after its one message.");
        }

        if (result.IsCanceled)
        {
            reader.AdvanceTo(result.Buffer.Start);
            throw new OperationCanceledException("Reading was cancelled.");
        }

        reader.AdvanceTo(result.Buffer.End);
        return result.IsCompleted;
    }

    private static async ValueTask<T?> ReadMessageSlowAsync<T>(PipeReader reader, IMessageReadContext context, Marshaller<T> marshaller, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryParse(reader, result, context, marshaller, out var message))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Parses one message from what the pipe holds and advances past it. Returns false when more data is needed
    /// (everything is marked examined); true with a message, or with null at a clean end of stream.
    /// </summary>
    private static bool TryParse<T>(PipeReader reader, ReadResult result, IMessageReadContext context, Marshaller<T> marshaller, out T? message)
        where T : class
    {
        var buffer = result.Buffer;
        message = null;
        if (result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start);
            throw new OperationCanceledException("Reading was cancelled.");
        }

        if (buffer.Length >= GrpcProtocol.MessageHeaderSize)
        {
            Span<byte> header = stackalloc byte[GrpcProtocol.MessageHeaderSize];
            buffer.Slice(0, GrpcProtocol.MessageHeaderSize).CopyTo(header);
            var flag = header[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            if (flag > 1)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new RpcException(StatusCode.Internal, $"A message has the compressed flag {flag}; only 0 and 1 are defined.");
            }

            if (length > (uint)(context.MaxReceiveMessageSize ?? int.MaxValue))
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new RpcException(StatusCode.ResourceExhausted, $"Received a message of {length} bytes, over the limit of {context.MaxReceiveMessageSize} bytes.");
            }

            if (buffer.Length - GrpcProtocol.MessageHeaderSize >= length)
            {
                var payload = buffer.Slice(GrpcProtocol.MessageHeaderSize, length);
                try
                {
                    message = flag == 1
                        ? DeserializeCompressed(payload, context, marshaller)
                        : Deserialize(payload, marshaller);
                }
                finally
                {
                    reader.AdvanceTo(payload.End);
                }

                context.OnMessageRead(flag == 1);
                return true;
            }
        }

        if (result.IsCompleted)
        {
            reader.AdvanceTo(buffer.End);
            if (buffer.IsEmpty)
            {
                return true;
            }

            throw new RpcException(StatusCode.Internal, buffer.Length < GrpcProtocol.MessageHeaderSize
                ? $"The stream ended inside a message prefix ({buffer.Length} of 5 bytes)."
                : "The stream ended before the whole message arrived: its prefix declares more bytes than were sent.");
        }

        reader.AdvanceTo(buffer.Start, buffer.End);
        return false;
    }

    private static T Deserialize<T>(ReadOnlySequence<byte> payload, Marshaller<T> marshaller)
    {
        try
        {
            return marshaller.Deserialize(payload);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "A message could not be parsed: its bytes are not a valid " + typeof(T).Name + ".", ex));
        }
    }

    private static T DeserializeCompressed<T>(ReadOnlySequence<byte> payload, IMessageReadContext context, Marshaller<T> marshaller)
    {
        var encoding = context.ReceivedEncoding;
        if (encoding is null || string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Internal, "A message is marked compressed, but the call declared no grpc-encoding.");
        }

        var provider = context.Decompressors.Find(encoding)
            ?? throw new RpcException(StatusCode.Unimplemented, $"A message is compressed with '{encoding}', which is not supported here. Supported: {context.Decompressors.AcceptEncoding}.");

        byte[]? rented = null;
        try
        {
            ReadOnlyMemory<byte> input;
            if (payload.IsSingleSegment)
            {
                input = payload.First;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
                payload.CopyTo(rented);
                input = rented.AsMemory(0, (int)payload.Length);
            }

            var limit = context.MaxReceiveMessageSize ?? int.MaxValue;
            using var output = new PooledBufferWriter((int)Math.Min((long)input.Length * 4, Math.Min(limit, 1 << 20)));
            using (var source = MemoryMarshal.TryGetArray(input, out var segment)
                       ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                       : new MemoryStream(input.ToArray(), writable: false))
            using (var decompressor = provider.CreateDecompressionStream(source))
            {
                while (true)
                {
                    var span = output.GetSpan(16 * 1024);
                    int read;
                    try
                    {
                        read = decompressor.Read(span);
                    }
                    catch (InvalidDataException ex)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, $"A message marked as {encoding} could not be decompressed.", ex));
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    output.Advance(read);
                    if (output.WrittenCount > limit)
                    {
                        throw new RpcException(StatusCode.ResourceExhausted, $"A compressed message expands beyond the limit of {limit} bytes.");
                    }
                }
            }

            return Deserialize(new ReadOnlySequence<byte>(output.WrittenMemory), marshaller);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
