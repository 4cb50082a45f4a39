using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NremNet.Rpc.Errors;

namespace NremNet.Rpc;

/// <summary>
/// The rich error model: a <c>google.rpc.Status</c> with typed details (e.g. <c>BadRequest</c>) in the
/// <c>grpc-status-details-bin</c> trailer, next to the plain status code and message.
/// </summary>
public static class RichErrors
{
    /// <summary>The trailer that carries the rich status.</summary>
    public const string StatusDetailsKey = "grpc-status-details-bin";

    /// <summary>An exception carrying a status with details.</summary>
    public static RpcException Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Errors.Status { Code = (int)code, Message = message };
        status.Details.AddRange(details.Select(Any.Pack));
        return new RpcException(new Status(code, message), new Metadata { { StatusDetailsKey, status.ToByteArray() } });
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

    /// <summary>The rich status in an exception's trailers, or null when it carries none.</summary>
    public static Errors.Status? GetRichStatus(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var bytes = exception.Trailers.GetValueBytes(StatusDetailsKey);
        return bytes is null ? null : Errors.Status.Parser.ParseFrom(bytes);
    }

    /// <summary>The field problems of a BadRequest detail, if the exception carries one.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> GetFieldViolations(this RpcException exception) =>
        exception.GetRichStatus()?.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).ToList()
        ?? [];
}
