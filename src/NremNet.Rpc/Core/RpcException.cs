namespace NremNet.Rpc;

/// <summary>A call ended with a status other than OK.</summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception from a status.</summary>
    public RpcException(Status status)
        : this(status, Metadata.Empty)
    {
    }

    /// <summary>Creates the exception from a code and a message for a person.</summary>
    public RpcException(StatusCode statusCode, string detail)
        : this(new Status(statusCode, detail), Metadata.Empty)
    {
    }

    /// <summary>Creates the exception from a status and the trailers to send or that were received.</summary>
    public RpcException(Status status, Metadata trailers)
        : base(status.ToString(), status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailing metadata: received from the server (client side) or to send (server side).</summary>
    public Metadata Trailers { get; }
}
