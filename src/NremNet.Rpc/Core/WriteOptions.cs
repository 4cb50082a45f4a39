namespace NremNet.Rpc;

/// <summary>Flags for writing one message.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>The message may be held back and sent together with the next one.</summary>
    BufferHint = 0x1,
    /// <summary>Send this message uncompressed even when the call compresses.</summary>
    NoCompress = 0x2,
}

/// <summary>How to write messages.</summary>
/// <param name="Flags">The write flags.</param>
public sealed record WriteOptions(WriteFlags Flags = WriteFlags.None)
{
    /// <summary>Default: buffered and compressed as the call says.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Whether to skip compression for the message.</summary>
    public bool NoCompress => (Flags & WriteFlags.NoCompress) != 0;

    /// <summary>Whether the message may wait for the next one before it is flushed.</summary>
    public bool BufferHint => (Flags & WriteFlags.BufferHint) != 0;
}
