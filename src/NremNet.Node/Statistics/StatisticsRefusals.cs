using Grpc.Core;
using NremNet.Node.Hosting;

namespace NremNet.Node.Statistics;

/// <summary>
/// Where the refusals of the statistics rules (<see cref="StatisticsRefusedException"/>) meet gRPC: the status code of
/// each kind, field problems as <c>google.rpc.BadRequest</c>. As an interceptor it answers every call of
/// <see cref="StatisticsService"/> and <see cref="AgreementService"/>; the peer API's <see cref="AggregateService"/>
/// audits a refusal before it answers it with this.
/// </summary>
internal sealed class StatisticsRefusals : RefusalInterceptor<StatisticsRefusedException>
{
    /// <summary>The status a refusal is answered with.</summary>
    public static RpcException ToRpcException(StatisticsRefusedException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var code = refusal.Kind switch
        {
            StatisticsRefusalKind.Invalid => StatusCode.InvalidArgument,
            StatisticsRefusalKind.OtherCatalogue => StatusCode.FailedPrecondition,
            StatisticsRefusalKind.BudgetSpent => StatusCode.ResourceExhausted,
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Every kind of refusal has a status code."),
        };
        return Refused(code, refusal.Message, refusal.Problems);
    }

    /// <inheritdoc />
    protected override RpcException Answer(StatisticsRefusedException refusal) => ToRpcException(refusal);
}
