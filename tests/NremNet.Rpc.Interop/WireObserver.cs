using System.Collections.Concurrent;
using System.Net;

namespace NremNet.Rpc.Interop;

/// <summary>
/// Watches response bodies as they come off the wire and records each message's compressed flag, so the
/// compression cases check the bytes the server really sent, independently of the library's decoding.
/// </summary>
internal sealed class WireObserver(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentQueue<bool> _flags = new();

    /// <summary>The compressed flags seen since the last call, in order.</summary>
    public IReadOnlyList<bool> TakeCompressedFlags()
    {
        var result = new List<bool>();
        while (_flags.TryDequeue(out var flag))
        {
            result.Add(flag);
        }

        return result;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var original = response.Content;
        var observed = new ObservedContent(original, _flags);
        foreach (var header in original.Headers)
        {
            observed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = observed;
        return response;
    }

    private sealed class ObservedContent(HttpContent original, ConcurrentQueue<bool> flags) : HttpContent
    {
        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new FrameStream(await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), flags);

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await (await CreateContentReadStreamAsync().ConfigureAwait(false)).CopyToAsync(stream).ConfigureAwait(false);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                original.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Passes bytes through while tracking the length-prefixed framing.</summary>
    private sealed class FrameStream(Stream inner, ConcurrentQueue<bool> flags) : Stream
    {
        private readonly byte[] _header = new byte[5];
        private int _headerFilled;
        private long _payloadLeft;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Observe(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Observe(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Observe(ReadOnlySpan<byte> data)
        {
            var i = 0;
            while (i < data.Length)
            {
                if (_payloadLeft > 0)
                {
                    var skip = (int)Math.Min(_payloadLeft, data.Length - i);
                    _payloadLeft -= skip;
                    i += skip;
                    continue;
                }

                _header[_headerFilled++] = data[i++];
                if (_headerFilled == 5)
                {
                    flags.Enqueue(_header[0] == 1);
                    _payloadLeft = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(1));
                    _headerFilled = 0;
                }
            }

            return data.Length;
        }
    }
}
