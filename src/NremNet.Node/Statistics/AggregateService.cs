using Grpc.Core;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Domain.Statistics.Queries;
using NremNet.Node.Audit;
using NremNet.Node.Peers;
using Proto = NremNet.Contracts.Aggregates.V1;

namespace NremNet.Node.Statistics;

/// <summary>
/// <c>nremnet.aggregates.v1.AggregateService</c>, the peer API for statistics: the catalogue, and protected answers to
/// the members the node's agreements allow. Every query is audited: who, what, and what was withheld or refused (a
/// refusal of the statistics rules with the status <see cref="StatisticsRefusals"/> answers it with).
/// </summary>
internal sealed class AggregateService(StatisticsEngine engine, Agreements agreements, AuditLog audit, ILogger<AggregateService> logger) : Proto.AggregateService.AggregateServiceBase
{
    public override Task<ListIndicatorsResponse> ListIndicators(ListIndicatorsRequest request, ServerCallContext context) => Task.FromResult(StatisticsEngine.Catalogue());

    public override async Task<QueryResponse> Query(QueryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var country = context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var value) && value is string c
            ? c
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "The caller is not an admitted member."));
        var actor = "peer:" + country;
        StatisticsQuery query;
        try
        {
            query = engine.Validate(request);
        }
        catch (StatisticsRefusedException ex)
        {
            // The peer interceptor leaves this method's audit to the service: an invalid query is recorded too.
            var refusal = StatisticsRefusals.ToRpcException(ex);
            await audit.AppendAsync(actor, "statistics.query", StatisticsQuery.Echo(request.Indicator), "invalid", new { reason = refusal.Status.Detail }, CancellationToken.None).ConfigureAwait(false);
            throw refusal;
        }

        var what = new { indicator = query.Indicator.Id, breakdown = query.Breakdown, years = $"{query.StartYear}-{query.EndYear}", filters = query.Filters.ToDictionary(f => f.Key, f => f.Value.Order(StringComparer.Ordinal).ToArray()) };
        var decision = await agreements.DecideAsync(country, query, context.CancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            StatisticsLog.PeerQuery(logger, country, query.Canonical, "denied");
            await audit.AppendAsync(actor, "statistics.query", query.Indicator.Id, "denied", new { query = what, reason = decision.Reason }, CancellationToken.None).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"This node refuses the query: {decision.Reason}."));
        }

        try
        {
            var answer = await engine.AnswerAsync(country, query, decision, context.CancellationToken).ConfigureAwait(false);
            StatisticsLog.PeerQuery(logger, country, query.Canonical, "answered");
            await audit.AppendAsync(actor, "statistics.query", query.Indicator.Id, "ok", new
            {
                query = what,
                protection = answer.Policy.Protection.ToString(),
                cells = answer.Cells.Count,
                withheldPrimary = answer.Policy.PrimaryWithheld,
                withheldSecondary = answer.Policy.SecondaryWithheld,
                epsilon = answer.Policy.Epsilon,
                dataVersion = answer.DataVersion,
            }, CancellationToken.None).ConfigureAwait(false);
            return answer;
        }
        catch (StatisticsRefusedException ex)
        {
            StatisticsLog.PeerQuery(logger, country, query.Canonical, "refused");
            var refusal = StatisticsRefusals.ToRpcException(ex);
            await audit.AppendAsync(actor, "statistics.query", query.Indicator.Id, "refused", new { query = what, reason = refusal.Status.Detail }, CancellationToken.None).ConfigureAwait(false);
            throw refusal;
        }
    }
}
