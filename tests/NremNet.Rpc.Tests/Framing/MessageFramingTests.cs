using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Testing;
using NremNet.Rpc.Compression;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Tests.Framing;

public sealed class MessageFramingTests
{
    private static readonly Marshaller<SimpleRequest> Marshaller = Marshallers.Protobuf<SimpleRequest>();

    [Fact]
    public async Task WriteThenRead_RoundTripsMessagesSplitAcrossManySegments()
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16));
        var messages = Enumerable.Range(0, 20).Select(i => new SimpleRequest { ResponseSize = i, Payload = new Payload { Body = ByteString.CopyFrom(new byte[i * 997]) } }).ToList();
        foreach (var message in messages)
        {
            MessageWriter.Write(pipe.Writer, message, Marshaller, null, CompressionLevel.Fastest, null);
        }

        await pipe.Writer.CompleteAsync();
        var context = new ReadContext();
        foreach (var expected in messages)
        {
            var read = await MessageReader.ReadMessageAsync(pipe.Reader, context, Marshaller, TestContext.Current.CancellationToken);
            Assert.Equal(expected, read);
        }

        Assert.Null(await MessageReader.ReadMessageAsync(pipe.Reader, context, Marshaller, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_DeliversMessagesThatArriveOneByteAtATime()
    {
        var pipe = new Pipe();
        var message = new SimpleRequest { ResponseSize = 5, Payload = new Payload { Body = ByteString.CopyFromUtf8("hello") } };
        var bytes = Frame(message, null);
        var reading = MessageReader.ReadMessageAsync(pipe.Reader, new ReadContext(), Marshaller, TestContext.Current.CancellationToken).AsTask();
        foreach (var b in bytes)
        {
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
        }

        Assert.Equal(message, await reading);
    }

    [Fact]
    public async Task WriteCompressed_SetsTheFlagAndReadsBack()
    {
        var pipe = new Pipe();
        var message = new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[100_000]) } };
        MessageWriter.Write(pipe.Writer, message, Marshaller, GzipCompressionProvider.Instance, CompressionLevel.Fastest, null);
        await pipe.Writer.CompleteAsync();

        var buffer = (await pipe.Reader.ReadAsync(TestContext.Current.CancellationToken)).Buffer;
        Assert.Equal(1, buffer.FirstSpan[0]);
        Assert.True(buffer.Length < 10_000, $"100 kB of zeros compressed to {buffer.Length} bytes");
        pipe.Reader.AdvanceTo(buffer.Start);

        var context = new ReadContext { ReceivedEncoding = "gzip" };
        Assert.Equal(message, await MessageReader.ReadMessageAsync(pipe.Reader, context, Marshaller, TestContext.Current.CancellationToken));
        Assert.True(context.LastCompressed);
    }

    [Fact]
    public void Write_OverTheSendLimit_IsResourceExhausted()
    {
        var writer = new ArrayBufferWriter<byte>();
        var message = new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[2_000]) } };
        var ex = Assert.Throws<RpcException>(() => MessageWriter.Write(writer, message, Marshaller, null, CompressionLevel.Fastest, 1_000));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public async Task ReadSingle_WithASecondMessage_IsInternal()
    {
        var pipe = new Pipe();
        var message = new SimpleRequest { ResponseSize = 1 };
        await pipe.Writer.WriteAsync(Frame(message, null).Concat(Frame(message, null)).ToArray(), TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await MessageReader.ReadSingleMessageAsync(pipe.Reader, new ReadContext(), Marshaller, "request", TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("more data", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteAndRead_AllocateNoBuffersPerMessage()
    {
        // Frames are written into the pipe's pooled memory and parsed from it: what a message costs is the
        // parsed message object itself, never a buffer of its size.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        var context = new ReadContext();
        var message = new SimpleRequest { ResponseSize = 314159, FillUsername = true, ResponseStatus = new EchoStatus { Code = 3 } };
        const int Count = 20_000;

        RoundTrip(pipe, context, message, 500);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrip(pipe, context, message, Count);
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Count;

        TestContext.Current.TestOutputHelper?.WriteLine($"{perMessage:F1} bytes allocated per message written and read");
        Assert.True(perMessage < 200, $"{perMessage:F1} bytes per message: more than the parsed message itself");
    }

    private static void RoundTrip(Pipe pipe, ReadContext context, SimpleRequest message, int count)
    {
        for (var i = 0; i < count; i++)
        {
            MessageWriter.Write(pipe.Writer, message, Marshaller, null, CompressionLevel.Fastest, null);
            var flush = pipe.Writer.FlushAsync();
            var read = MessageReader.ReadMessageAsync(pipe.Reader, context, Marshaller, CancellationToken.None);

            // Checked without assertion helpers, which allocate on every call.
            if (!flush.IsCompletedSuccessfully || !read.IsCompletedSuccessfully || read.Result!.ResponseSize != message.ResponseSize)
            {
                Assert.Fail($"message {i} did not round-trip synchronously");
            }
        }
    }

    private static byte[] Frame(IMessage message, ICompressionProvider? compressor)
    {
        var writer = new ArrayBufferWriter<byte>();
        MessageWriter.Write(writer, (SimpleRequest)message, Marshaller, compressor, CompressionLevel.Fastest, null);
        return writer.WrittenSpan.ToArray();
    }

    private sealed class ReadContext : IMessageReadContext
    {
        public int? MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

        public string? ReceivedEncoding { get; init; }

        public CompressionProviders Decompressors { get; } = new([GzipCompressionProvider.Instance]);

        public bool LastCompressed { get; private set; }

        public void OnMessageRead(bool compressed) => LastCompressed = compressed;
    }
}
