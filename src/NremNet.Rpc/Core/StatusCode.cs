namespace NremNet.Rpc;

/// <summary>The status codes of the gRPC protocol.</summary>
public enum StatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,
    /// <summary>The call was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>An error that fits no other code.</summary>
    Unknown = 2,
    /// <summary>The caller sent something invalid, whatever the state of the system.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline passed before the call completed.</summary>
    DeadlineExceeded = 4,
    /// <summary>Something the call needs was not found.</summary>
    NotFound = 5,
    /// <summary>What the call would create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller is known but may not do this.</summary>
    PermissionDenied = 7,
    /// <summary>A quota or limit was exhausted (e.g. message size).</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in the state the call requires.</summary>
    FailedPrecondition = 9,
    /// <summary>The call was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>A value was outside its valid range.</summary>
    OutOfRange = 11,
    /// <summary>The method is not implemented or not served.</summary>
    Unimplemented = 12,
    /// <summary>An invariant of the system broke.</summary>
    Internal = 13,
    /// <summary>The service is unavailable for now; retrying may help.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The caller could not be authenticated.</summary>
    Unauthenticated = 16,
}
