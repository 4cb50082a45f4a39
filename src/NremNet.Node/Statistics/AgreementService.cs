using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Statistics;

/// <summary><c>nremnet.local.v1.AgreementService</c>: the node admin's sharing agreements.</summary>
internal sealed class AgreementService(Agreements agreements, IOptions<NodeOptions> options) : Proto.AgreementService.AgreementServiceBase
{
    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<ListAgreementsResponse> ListAgreements(ListAgreementsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new ListAgreementsResponse
        {
            EpsilonCap = options.Value.Disclosure.EpsilonCap,
            EpsilonSpent = await agreements.SpentAsync(null, context.CancellationToken).ConfigureAwait(false),
            Baseline = Agreements.Baseline,
        };
        response.Agreements.Add(await agreements.ListAsync(context.CancellationToken).ConfigureAwait(false));
        return response;
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<SetAgreementResponse> SetAgreement(SetAgreementRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var agreement = request.Agreement ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The agreement is missing."));
        return new SetAgreementResponse { Agreement = await agreements.SetAsync(context.Principal().Actor, agreement, context.CancellationToken).ConfigureAwait(false) };
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<RemoveAgreementResponse> RemoveAgreement(RemoveAgreementRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new RemoveAgreementResponse { Removed = await agreements.RemoveAsync(context.Principal().Actor, request.Country.Trim().ToUpperInvariant(), context.CancellationToken).ConfigureAwait(false) };
    }
}
