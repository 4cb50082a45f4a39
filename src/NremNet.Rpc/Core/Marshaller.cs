using System.Buffers;
using Google.Protobuf;

namespace NremNet.Rpc;

/// <summary>Turns messages of one type into bytes and back.</summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class Marshaller<T>
{
    /// <summary>The size in bytes that <see cref="Serialize"/> will write for the message.</summary>
    public abstract int GetSerializedSize(T message);

    /// <summary>Writes exactly <see cref="GetSerializedSize"/> bytes of the message to the destination.</summary>
    public abstract void Serialize(T message, int serializedSize, IBufferWriter<byte> destination);

    /// <summary>Reads a message from its serialized bytes; throws <see cref="InvalidProtocolBufferException"/> or another exception when they are not a valid message.</summary>
    public abstract T Deserialize(ReadOnlySequence<byte> payload);
}

/// <summary>Marshallers for protobuf messages.</summary>
public static class Marshallers
{
    /// <summary>The marshaller for a protobuf message type.</summary>
    public static Marshaller<T> Protobuf<T>()
        where T : class, IMessage<T>, new() => ProtobufMarshaller<T>.Instance;

    private sealed class ProtobufMarshaller<T> : Marshaller<T>
        where T : class, IMessage<T>, new()
    {
        // Messages up to this size are written into one contiguous span; larger ones are streamed in segments.
        private const int ContiguousLimit = 64 * 1024;

        public static readonly ProtobufMarshaller<T> Instance = new();

        private readonly MessageParser<T> _parser = new(() => new T());

        public override int GetSerializedSize(T message) => message.CalculateSize();

        public override void Serialize(T message, int serializedSize, IBufferWriter<byte> destination)
        {
            if (serializedSize <= ContiguousLimit)
            {
                var span = destination.GetSpan(serializedSize)[..serializedSize];
                message.WriteTo(span);
                destination.Advance(serializedSize);
            }
            else
            {
                message.WriteTo(destination);
            }
        }

        public override T Deserialize(ReadOnlySequence<byte> payload) => _parser.ParseFrom(payload);
    }
}
