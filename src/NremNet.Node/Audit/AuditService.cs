using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Users;
using AuditEntry = NremNet.Contracts.Local.V1.AuditEntry;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Audit;

/// <summary><c>nremnet.local.v1.AuditService</c>: the audit log, for admins.</summary>
internal sealed class AuditService(AuditLog audit) : Proto.AuditService.AuditServiceBase
{
    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<ListAuditEntriesResponse> ListAuditEntries(ListAuditEntriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var limit = request.Limit <= 0 ? 100 : Math.Min(request.Limit, 1000);
        var response = new ListAuditEntriesResponse();
        foreach (var entry in await audit.ListAsync(limit, request.BeforeSequence, request.Action, context.CancellationToken).ConfigureAwait(false))
        {
            response.Entries.Add(new AuditEntry
            {
                Sequence = entry.Record.Sequence,
                At = Timestamp.FromDateTimeOffset(entry.Record.At),
                Actor = entry.Record.Actor,
                Action = entry.Record.Action,
                Target = entry.Record.Target,
                Outcome = entry.Record.Outcome,
                Details = entry.Record.Details,
                Hash = entry.Hash,
            });
        }

        return response;
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<VerifyAuditResponse> VerifyAudit(VerifyAuditRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verdict = await audit.VerifyAsync(context.CancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(context.Principal().Actor, "audit.verify", "audit_log", verdict.Intact ? "ok" : "failed", new { verdict.EntriesChecked, verdict.FirstBadSequence, verdict.Problem }, CancellationToken.None).ConfigureAwait(false);
        return new VerifyAuditResponse { Intact = verdict.Intact, EntriesChecked = verdict.EntriesChecked, FirstBadSequence = verdict.FirstBadSequence, Problem = verdict.Problem };
    }
}
