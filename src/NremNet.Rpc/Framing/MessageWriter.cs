using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using NremNet.Rpc.Compression;

namespace NremNet.Rpc.Framing;

/// <summary>Writes length-prefixed messages: 1 byte compressed flag, 4 bytes big-endian length, the message.</summary>
internal static class MessageWriter
{
    /// <summary>
    /// Writes one framed message into <paramref name="output"/> without flushing. Uncompressed messages are
    /// serialized straight into the output's memory; compressed ones go through pooled buffers.
    /// </summary>
    public static void Write<T>(IBufferWriter<byte> output, T message, Marshaller<T> marshaller, ICompressionProvider? compressor, CompressionLevel level, int? maxMessageSize)
    {
        var size = marshaller.GetSerializedSize(message);
        if (size > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending a message of {size} bytes exceeds the send limit of {maxMessageSize} bytes.");
        }

        if (compressor is null)
        {
            WriteHeader(output, compressed: false, size);
            marshaller.Serialize(message, size, output);
            return;
        }

        using var raw = new PooledBufferWriter(size);
        marshaller.Serialize(message, size, raw);
        using var compressed = new PooledBufferWriter((size / 2) + 64);
        using (var stream = compressor.CreateCompressionStream(new BufferWriterStream(compressed), level))
        {
            stream.Write(raw.WrittenSpan);
        }

        WriteHeader(output, compressed: true, compressed.WrittenCount);
        output.Write(compressed.WrittenSpan);
    }

    private static void WriteHeader(IBufferWriter<byte> output, bool compressed, int length)
    {
        var header = output.GetSpan(GrpcProtocol.MessageHeaderSize);
        header[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)length);
        output.Advance(GrpcProtocol.MessageHeaderSize);
    }
}
