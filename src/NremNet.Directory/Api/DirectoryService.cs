using Grpc.Core;
using Microsoft.Extensions.Logging;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Members;
using NremNet.Directory.Snapshots;
using NremNet.Domain.Countries;
using NremNet.Domain.Membership;
using NremNet.Hosting.Grpc;
using Proto = NremNet.Contracts.Directory.V1;

namespace NremNet.Directory.Api;

/// <summary>
/// <c>nremnet.directory.v1.DirectoryService</c>: decides who may call what from the caller's certificate, checks the
/// request, and leaves the rest to the registry and the snapshot feed. Every refusal — the caller's, the request's or the
/// membership rules' (<see cref="MemberRefusedException"/>, mapped to a status code in <see cref="Refusal"/>) — is logged.
/// </summary>
internal sealed class DirectoryService(MemberRegistry registry, SnapshotFeed feed, ILogger<DirectoryService> logger) : Proto.DirectoryService.DirectoryServiceBase
{
    private const int MaxReasonLength = 1000;

    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
        Answer(context, () => RegisterAsync(request, context));

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Answer(context, () => HeartbeatAsync(request, context));

    public override Task<ApproveMemberResponse> ApproveMember(ApproveMemberRequest request, ServerCallContext context) =>
        Answer(context, () => ApproveMemberAsync(request, context));

    public override Task<SuspendMemberResponse> SuspendMember(SuspendMemberRequest request, ServerCallContext context) =>
        Answer(context, () => SuspendMemberAsync(request, context));

    public override Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context) =>
        Answer(context, () => RemoveMemberAsync(request, context));

    public override Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context) =>
        Answer(context, () => ListMembersAsync(context));

    public override Task<GetSnapshotResponse> GetSnapshot(GetSnapshotRequest request, ServerCallContext context) =>
        Answer(context, () => GetSnapshotAsync(context));

    public override Task WatchSnapshot(WatchSnapshotRequest request, IServerStreamWriter<WatchSnapshotResponse> responseStream, ServerCallContext context) =>
        Answer(context, async () =>
        {
            await WatchSnapshotAsync(request, responseStream, context).ConfigureAwait(false);
            return true;
        });

    /// <summary>The status a refusal of the membership rules answers with: the one place they meet gRPC.</summary>
    internal static RpcException Refusal(MemberRefusedException refusal) => new(new Status(
        refusal.Kind switch
        {
            MemberRefusalKind.NotFound => StatusCode.NotFound,
            MemberRefusalKind.WrongStatus => StatusCode.FailedPrecondition,
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Every kind of refusal has a status code."),
        },
        refusal.Message));

    private async Task<RegisterResponse> RegisterAsync(RegisterRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context).RequireNode("register a member");
        var application = request.Application;
        var problems = MemberApplications.Validate(application);
        if (problems.Count > 0)
        {
            throw RichErrors.InvalidArgument("The application", problems.Select(p => (p.Field == "application" ? p.Field : "application." + p.Field, p.Description)));
        }

        if (application.Country != caller.Identity.Country)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"A node may register only its own country: this certificate is for {caller.Identity.Country}, the application is for {application.Country}."));
        }

        if (application.CertificateThumbprint != caller.Thumbprint)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"The application's certificate_thumbprint {application.CertificateThumbprint} is not the thumbprint of the certificate this call presents ({caller.Thumbprint}): " +
                "register with the certificate the node serves and calls its peers with, and state its thumbprint."));
        }

        if (!application.Certificate.IsEmpty && !CertificateMatches(application))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"The application's certificate is not the certificate with thumbprint {application.CertificateThumbprint}: send the DER of the certificate this call presents."));
        }

        var member = await registry.RegisterAsync(application, caller.Description, context.CancellationToken).ConfigureAwait(false);
        return new RegisterResponse { Member = member.ToMessage() };
    }

    private static bool CertificateMatches(MemberApplication application)
    {
        try
        {
            var thumbprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(application.Certificate.Span));
            return thumbprint == application.CertificateThumbprint;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private async Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context).RequireNode("send heartbeats");
        ThrowIfInvalid("The heartbeat", CountryProblem(request.Country));
        if (request.Country != caller.Identity.Country)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"A node may send heartbeats only for its own country: this certificate is for {caller.Identity.Country}, the heartbeat is for {request.Country}."));
        }

        var member = await registry.HeartbeatAsync(request.Country, context.CancellationToken).ConfigureAwait(false);
        var current = CurrentSnapshot();
        DirectoryLog.Heartbeat(logger, request.Country, request.SnapshotVersion, current.Version);
        return new HeartbeatResponse { SnapshotVersion = current.Version, Status = member.Status };
    }

    private async Task<ApproveMemberResponse> ApproveMemberAsync(ApproveMemberRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context).RequireSecretariat("approve members");
        ThrowIfInvalid("The approval", CountryProblem(request.Country));
        var member = await registry.ApproveAsync(request.Country, caller.Description, context.CancellationToken).ConfigureAwait(false);
        return new ApproveMemberResponse { Member = member.ToMessage() };
    }

    private async Task<SuspendMemberResponse> SuspendMemberAsync(SuspendMemberRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context).RequireSecretariat("suspend members");
        ThrowIfInvalid("The suspension", CountryProblem(request.Country), ReasonProblem(request.Reason, "suspended"));
        var member = await registry.SuspendAsync(request.Country, request.Reason.Trim(), caller.Description, context.CancellationToken).ConfigureAwait(false);
        return new SuspendMemberResponse { Member = member.ToMessage() };
    }

    private async Task<RemoveMemberResponse> RemoveMemberAsync(RemoveMemberRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context).RequireSecretariat("remove members");
        ThrowIfInvalid("The removal", CountryProblem(request.Country), ReasonProblem(request.Reason, "removed"));
        var member = await registry.RemoveAsync(request.Country, request.Reason.Trim(), caller.Description, context.CancellationToken).ConfigureAwait(false);
        return new RemoveMemberResponse { Member = member.ToMessage() };
    }

    private async Task<ListMembersResponse> ListMembersAsync(ServerCallContext context)
    {
        Caller.Of(context).RequireSecretariat("list members");
        var members = await registry.ListAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new ListMembersResponse();
        response.Members.AddRange(members.Select(m => m.ToMessage()));
        return response;
    }

    private Task<GetSnapshotResponse> GetSnapshotAsync(ServerCallContext context)
    {
        Caller.Of(context);
        return Task.FromResult(new GetSnapshotResponse { Snapshot = CurrentSnapshot().Signed });
    }

    private async Task WatchSnapshotAsync(WatchSnapshotRequest request, IServerStreamWriter<WatchSnapshotResponse> responses, ServerCallContext context)
    {
        Caller.Of(context);
        using var subscription = feed.Subscribe();
        var current = subscription.Current ?? CurrentSnapshot();

        // The headers tell the caller the watch is established, even when there is nothing to send yet.
        await context.WriteResponseHeadersAsync(new Metadata()).ConfigureAwait(false);
        if (request.KnownVersion == 0 || current.Version > request.KnownVersion)
        {
            await responses.WriteAsync(new WatchSnapshotResponse { Snapshot = current.Signed }, context.CancellationToken).ConfigureAwait(false);
        }

        // Ends when the caller cancels (the token) or the directory shuts down (the feed completes the reader).
        await foreach (var next in subscription.Updates.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(new WatchSnapshotResponse { Snapshot = next.Signed }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private PublishedSnapshot CurrentSnapshot() =>
        feed.Current ?? throw new RpcException(new Status(StatusCode.Unavailable, "The directory is starting and has no snapshot yet; try again shortly."));

    /// <summary>Runs a handler; a refusal is logged and answered with its status, a refusal of the rules mapped first.</summary>
    private async Task<T> Answer<T>(ServerCallContext context, Func<Task<T>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            Refused(context, ex);
            throw;
        }
        catch (MemberRefusedException ex)
        {
            var refusal = Refusal(ex);
            Refused(context, refusal);
            throw refusal;
        }
    }

    private void Refused(ServerCallContext context, RpcException exception) =>
        DirectoryLog.CallRefused(logger, context.Method, Caller.Describe(context), exception.StatusCode, exception.Status.Detail);

    private static void ThrowIfInvalid(string what, params (string Field, string Description)?[] problems)
    {
        var found = problems.OfType<(string Field, string Description)>().ToList();
        if (found.Count > 0)
        {
            throw RichErrors.InvalidArgument(what, found);
        }
    }

    private static (string Field, string Description)? CountryProblem(string country) =>
        Country.IsValidCode(country) ? null : ("country", $"'{country}' is not an ISO 3166-1 alpha-2 code in upper case, e.g. NL.");

    private static (string Field, string Description)? ReasonProblem(string reason, string what) =>
        string.IsNullOrWhiteSpace(reason) ? ("reason", $"is required: say why the member is {what}, for the record.")
        : reason.Length > MaxReasonLength ? ("reason", $"is {reason.Length} characters long; at most {MaxReasonLength}.")
        : null;
}
