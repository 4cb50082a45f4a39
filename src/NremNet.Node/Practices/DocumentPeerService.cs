using Google.Protobuf;
using Grpc.Core;
using NremNet.Contracts.Practices.V1;
using NremNet.Node.Peers;

namespace NremNet.Node.Practices;

/// <summary>
/// <c>nremnet.practices.v1.DocumentReplicationService</c>: this node's change feed for every active member (the peer
/// interceptor has admitted the caller by its certificate and the directory), a peer's hint that it has something new,
/// and the attachments this node holds.
/// </summary>
internal sealed class DocumentPeerService(DocumentStore store, DocumentReplication replication) : DocumentReplicationService.DocumentReplicationServiceBase
{
    /// <summary>Attachments go in chunks of this many bytes.</summary>
    public const int ChunkBytes = 1024 * 1024;

    public override Task<ChangesResponse> Changes(ChangesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return store.ChangesAsync(Caller(context), request.Epoch, request.After, request.Limit, context.CancellationToken);
    }

    public override async Task<HintResponse> Hint(HintRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = Caller(context);
        if (request.Latest < 0 || request.Epoch.Length > 64)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "A hint carries the caller's epoch (at most 64 characters) and its newest sequence (0 or more)."));
        }

        var feed = await store.PeerFeedAsync(caller, context.CancellationToken).ConfigureAwait(false);
        await store.NoteLatestAsync(caller, request.Epoch, request.Latest, context.CancellationToken).ConfigureAwait(false);
        replication.PullSoon(caller);
        return new HintResponse { EpochSeen = feed?.Epoch ?? string.Empty, Cursor = feed?.Cursor ?? 0 };
    }

    public override async Task GetAttachment(GetAttachmentRequest request, IServerStreamWriter<GetAttachmentResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var held = await store.AttachmentAsync(request.Sha256.Trim().ToLowerInvariant(), context.CancellationToken, publishedOnly: true).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No attachment with SHA-256 '{DocumentChecks.Shown(request.Sha256)}' is held here."));
        await WriteChunksAsync(held.Content, bytes => responseStream.WriteAsync(new GetAttachmentResponse { Chunk = bytes }, context.CancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="content"/> in chunks of <see cref="ChunkBytes"/>.</summary>
    public static async Task WriteChunksAsync(byte[] content, Func<ByteString, Task> write)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(write);
        for (var offset = 0; offset < content.Length || offset == 0; offset += ChunkBytes)
        {
            await write(ByteString.CopyFrom(content, offset, Math.Min(ChunkBytes, content.Length - offset))).ConfigureAwait(false);
            if (content.Length == 0)
            {
                break;
            }
        }
    }

    private static string Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var value) && value is string country
            ? country
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "The caller is not an admitted member."));
}
