using Grpc.Core;

namespace NremNet.Cli.Cli;

/// <summary>What <c>nremnet</c> exits with, so scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Something failed; the message says what.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>What the command names does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>No valid credentials: log in, or check the certificate.</summary>
    public const int Unauthenticated = 4;

    /// <summary>Credentials fine, but the role or membership does not allow it.</summary>
    public const int PermissionDenied = 5;

    /// <summary>The node or directory could not be reached.</summary>
    public const int Unavailable = 6;

    /// <summary>It exists already, or is not in a state that allows it.</summary>
    public const int Conflict = 7;

    /// <summary>A check found a problem (e.g. the audit log was tampered with, a member is unreachable).</summary>
    public const int CheckFailed = 8;

    /// <summary>The exit code for a call that failed with a status.</summary>
    public static int For(StatusCode code) => code switch
    {
        StatusCode.NotFound => NotFound,
        StatusCode.Unauthenticated => Unauthenticated,
        StatusCode.PermissionDenied => PermissionDenied,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.Aborted => Conflict,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        _ => Failed,
    };
}
