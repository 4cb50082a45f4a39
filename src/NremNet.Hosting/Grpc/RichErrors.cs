using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace NremNet.Hosting.Grpc;

/// <summary>
/// The rich error model (<c>google.rpc.Status</c> with typed details in <c>grpc-status-details-bin</c>, through
/// Grpc.StatusProto): INVALID_ARGUMENT lists every field problem as a <c>BadRequest</c>.
/// </summary>
public static class RichErrors
{
    /// <summary>An exception carrying a status with details.</summary>
    public static RpcException Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.AddRange(details.Select(Any.Pack));
        return status.ToRpcException();
    }

    /// <summary>INVALID_ARGUMENT listing every field problem, with a message that names them all.</summary>
    public static RpcException InvalidArgument(string what, IEnumerable<(string Field, string Description)> problems)
    {
        var list = problems.ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(list.Select(p => new BadRequest.Types.FieldViolation { Field = p.Field, Description = p.Description }));
        var message = list.Count == 1
            ? $"{what}: {list[0].Field} {list[0].Description}"
            : $"{what} has {list.Count} problems: " + string.Join("; ", list.Select(p => $"{p.Field} {p.Description}"));
        return Create(StatusCode.InvalidArgument, message, badRequest);
    }

    /// <summary>The field problems of a BadRequest detail, if the exception carries one.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> GetFieldViolations(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
    }
}
