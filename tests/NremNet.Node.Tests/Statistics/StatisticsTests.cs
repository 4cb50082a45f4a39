using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics.Data;
using NremNet.Node.Audit;
using NremNet.Node.Tests.Infrastructure;

namespace NremNet.Node.Tests.Statistics;

/// <summary>Statistics on real nodes: imports, agreements over the real peer API with real certificates, federated queries.</summary>
public sealed class StatisticsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_BadFile_StoresNothing_GoodFileOnce_SameFileAgainChangesNothing()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var admin = await TokenAsync(nl, "nl-admin", "admin");
        using var channel = nl.ConsoleChannel();
        var statistics = new StatisticsService.StatisticsServiceClient(channel);

        var good = await CasesAsync("NL", 2023, 2024);
        var first = await ImportAsync(statistics, admin, good, DataKind.CaseRecords);
        Assert.True(first.Imported);
        Assert.True(first.Changed > 1000);
        Assert.Equal([2023, 2024], first.YearsRecomputed);
        var before = await statistics.GetDataSummaryAsync(new GetDataSummaryRequest(), Auth(admin)).ResponseAsync;

        // One good row changed and two bad rows: nothing of it may land.
        var lines = System.Text.Encoding.UTF8.GetString(good).Split('\n').ToList();
        var header = lines.FindIndex(l => l.StartsWith("record_id", StringComparison.Ordinal));
        lines[header + 1] = lines[header + 1].Replace(",F,", ",M,", StringComparison.Ordinal);
        lines[header + 2] = "SYN-BAD-1,1999,IDENT,F,30,NG,SEX,yes,no,";
        lines[header + 3] = "SYN-BAD-2,2023,MAYBE,Q,300,ZZ,FOO,perhaps,no,out:NL";
        var bad = await ImportAsync(statistics, admin, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), DataKind.CaseRecords);
        Assert.False(bad.Imported);
        Assert.True(bad.ProblemCount >= 8);
        Assert.Contains(bad.Problems, p => p.Line == header + 3 && p.Column == "year_identified");
        Assert.Contains(bad.Problems, p => p.Line == header + 4 && p.Column == "referrals");
        var after = await statistics.GetDataSummaryAsync(new GetDataSummaryRequest(), Auth(admin)).ResponseAsync;
        Assert.Equal(before.DataVersion, after.DataVersion);
        Assert.Equal(before.CaseRecords, after.CaseRecords);
        Assert.Equal(before.Years, after.Years);

        var again = await ImportAsync(statistics, admin, good, DataKind.CaseRecords);
        Assert.True(again.Imported);
        Assert.Equal(0, again.Changed);
        Assert.Equal(before.DataVersion, again.DataVersion);
        Assert.True(after.Synthetic);
    }

    [Fact]
    public async Task Import_ChangedRecords_StoresOnlyThem_RecomputesTheYearsTheyLeftAndJoined()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var admin = await TokenAsync(nl, "nl-admin", "admin");
        using var channel = nl.ConsoleChannel();
        var statistics = new StatisticsService.StatisticsServiceClient(channel);
        var good = await CasesAsync("NL", 2022, 2024);
        Assert.True((await ImportAsync(statistics, admin, good, DataKind.CaseRecords)).Imported);
        var before = await statistics.GetDataSummaryAsync(new GetDataSummaryRequest(), Auth(admin)).ResponseAsync;

        // One record of 2022 moves to 2023; one record of 2024 changes its sex.
        var lines = System.Text.Encoding.UTF8.GetString(good).Split('\n').ToList();
        var moved = lines.FindIndex(l => l.StartsWith("SYN-NL-2022-", StringComparison.Ordinal));
        var fields = lines[moved].Split(',');
        fields[1] = "2023";
        lines[moved] = string.Join(',', fields);
        var changed = lines.FindIndex(l => l.StartsWith("SYN-NL-2024-", StringComparison.Ordinal));
        fields = lines[changed].Split(',');
        fields[3] = fields[3] == "F" ? "M" : "F";
        lines[changed] = string.Join(',', fields);
        var result = await ImportAsync(statistics, admin, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), DataKind.CaseRecords);

        Assert.True(result.Imported);
        Assert.Equal(2, result.Changed);
        Assert.Equal(result.Rows - 2, result.Unchanged);
        Assert.Equal([2022, 2023, 2024], result.YearsRecomputed);
        var after = await statistics.GetDataSummaryAsync(new GetDataSummaryRequest(), Auth(admin)).ResponseAsync;
        Assert.Equal(before.CaseRecords, after.CaseRecords);
        long? Registered(GetDataSummaryResponse summary, int year) => summary.Years.Single(y => y.Indicator == "THB_VICT_REG" && y.Year == year).Total;
        Assert.Equal(Registered(before, 2022) - 1, Registered(after, 2022));
        Assert.Equal(Registered(before, 2023) + 1, Registered(after, 2023));
        Assert.Equal(Registered(before, 2024), Registered(after, 2024));
    }

    [Fact]
    public async Task PeerQuery_BaselineOpenToMembers_BreakdownsOnlyUnderAnAgreement_AllAudited()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        var fi = await network.StartNodeAsync("FI");
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 3);
        var admin = await TokenAsync(nl, "nl-admin", "admin");
        using var console = nl.ConsoleChannel();
        Assert.True((await ImportAsync(new StatisticsService.StatisticsServiceClient(console), admin, await CasesAsync("NL", 2024, 2024), DataKind.CaseRecords)).Imported);

        using var asSe = nl.PeerChannel(se.Certificate);
        using var asFi = nl.PeerChannel(fi.Certificate);
        var bySe = new AggregateService.AggregateServiceClient(asSe);
        var baseline = await bySe.QueryAsync(new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2024, EndYear = 2024 }, cancellationToken: Ct).ResponseAsync;
        Assert.Equal("NL", baseline.Country);
        var total = Assert.Single(baseline.Cells);
        Assert.True(total.Value > 500);
        Assert.True(baseline.Synthetic);

        var breakdown = new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2024, EndYear = 2024, Breakdown = { "EXPLOIT" } };
        var denied = await Assert.ThrowsAsync<RpcException>(() => bySe.QueryAsync(breakdown, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("no sharing agreement with SE", denied.Status.Detail, StringComparison.Ordinal);

        var agreements = new AgreementService.AgreementServiceClient(console.CreateCallInvoker());
        await agreements.SetAgreementAsync(new SetAgreementRequest { Agreement = new Agreement { Country = "SE", Grants = { new Grant { Indicator = "THB_VICT_REG", Dimensions = { "EXPLOIT" } } }, Reference = "test MoU (synthetic)" } }, Auth(admin)).ResponseAsync;

        var answer = await bySe.QueryAsync(breakdown, cancellationToken: Ct).ResponseAsync;
        Assert.Equal(Protection.Suppression, answer.Policy.Protection);
        Assert.Contains(answer.Cells, c => c.Key["EXPLOIT"] == "SEX" && c.Value > 0);
        Assert.All(answer.Cells.Where(c => c.ConfidentialityStatus != Contracts.Aggregates.V1.ConfidentialityStatus.Free), c => Assert.False(c.HasValue));
        Assert.All(answer.Cells.Where(c => c.HasValue && c.Value > 0), c => Assert.True(c.Value >= 5));

        var otherBreakdown = await Assert.ThrowsAsync<RpcException>(() => bySe.QueryAsync(new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2024, EndYear = 2024, Breakdown = { "SEX" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherBreakdown.StatusCode);
        var byFi = await Assert.ThrowsAsync<RpcException>(() => new AggregateService.AggregateServiceClient(asFi).QueryAsync(breakdown, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, byFi.StatusCode);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => bySe.QueryAsync(new QueryRequest { Indicator = "THB_VICT_REG", Breakdown = { "SEX", "AGE", "EXPLOIT" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);

        var audit = await nl.App.Services.GetRequiredService<AuditLog>().ListAsync(100, 0, "statistics.query", Ct);
        Assert.Contains(audit, e => e.Record.Actor == "peer:SE" && e.Record.Outcome == "ok" && e.Record.Details.Contains("withheldPrimary", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Record.Actor == "peer:SE" && e.Record.Outcome == "denied");
        Assert.Contains(audit, e => e.Record.Actor == "peer:FI" && e.Record.Outcome == "denied");
    }

    [Fact]
    public async Task PeerQuery_WithPerturbation_GivesTheSameAnswerEveryTime()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", configure: s => s["Node:Disclosure:CellKeyPerturbation"] = "true");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 2);
        var admin = await TokenAsync(nl, "nl-admin", "admin");
        using var console = nl.ConsoleChannel();
        Assert.True((await ImportAsync(new StatisticsService.StatisticsServiceClient(console), admin, await CasesAsync("NL", 2024, 2024), DataKind.CaseRecords)).Imported);
        using var asSe = nl.PeerChannel(se.Certificate);
        var query = new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2024, EndYear = 2024 };

        var first = await new AggregateService.AggregateServiceClient(asSe).QueryAsync(query, cancellationToken: Ct).ResponseAsync;
        var second = await new AggregateService.AggregateServiceClient(asSe).QueryAsync(query, cancellationToken: Ct).ResponseAsync;

        Assert.Equal(Protection.CellKeyPerturbation, first.Policy.Protection);
        Assert.Equal(2, first.Policy.PerturbationBound);
        Assert.Equal(first.Cells, second.Cells);
        Assert.True(first.Cells[0].Noisy);
    }

    [Fact]
    public async Task FederatedQuery_StoppedPeerAndHangingPeer_DoNotHoldUpTheOthers()
    {
        await using var network = await TestNetwork.StartAsync();
        // No practice-library pull rounds while BG hangs: a pull's connection attempt that runs into the channel's connect
        // timeout would put NL's channel to BG in transient failure, and the query would fail fast instead of waiting out
        // its deadline, which is what this test is about.
        static void Quiet(IDictionary<string, string?> settings) => settings["Node:Practices:PullInterval"] = "01:00:00";
        var nl = await network.StartNodeAsync("NL", configure: Quiet);
        var se = await network.StartNodeAsync("SE", configure: Quiet);
        var fi = await network.StartNodeAsync("FI", configure: Quiet);
        var bg = await network.StartNodeAsync("BG", configure: Quiet);
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 4);
        foreach (var node in new[] { nl, se })
        {
            var admin = await TokenAsync(node, node.Country.ToLowerInvariant() + "-admin", "admin");
            using var console = node.ConsoleChannel();
            Assert.True((await ImportAsync(new StatisticsService.StatisticsServiceClient(console), admin, await CasesAsync(node.Country, 2024, 2024), DataKind.CaseRecords)).Imported);
        }

        // FI is stopped; BG's port is taken over by a listener that accepts connections and never answers.
        await fi.StopAsync();
        var bgPort = bg.Peer.Port;
        await bg.StopAsync();
        using var hanging = new TcpListener(IPAddress.Loopback, bgPort);
        hanging.Start();
        var held = new ConcurrentQueue<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Enqueue(await hanging.AcceptSocketAsync(Ct));
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        }, Ct);

        var rapporteur = await TokenAsync(nl, "nl-rapporteur", "rapporteur");
        using var nlConsole = nl.ConsoleChannel();
        var request = new FederatedQueryRequest
        {
            Query = new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2020, EndYear = 2024 },
            Countries = { "NL", "SE", "FI", "BG", "DE" },
            // Long enough that SE answers in time on a loaded machine, and shorter than the channel's connect timeout (10 s),
            // so BG, whose TLS handshake never completes, runs out of the deadline rather than failing to connect.
            Deadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(7)),
        };
        var results = new List<FederatedQueryResponse>();
        using var call = new StatisticsService.StatisticsServiceClient(nlConsole).FederatedQuery(request, Auth(rapporteur));
        while (await call.ResponseStream.MoveNext(Ct))
        {
            results.Add(call.ResponseStream.Current);
        }

        Assert.Equal(5, results.Count);
        var by = results.ToDictionary(r => r.Country);
        Assert.True(by["NL"].Status == CountryStatus.Ok, $"{by["NL"].Status}: {by["NL"].Reason} {by["NL"].Answer}");
        Assert.True(by["SE"].Status == CountryStatus.Ok, $"{by["SE"].Status}: {by["SE"].Reason}");
        Assert.Equal([2024], by["SE"].Answer.YearsAvailable);
        Assert.Equal(CountryStatus.Unavailable, by["FI"].Status);
        Assert.Equal(CountryStatus.DeadlineExceeded, by["BG"].Status);
        Assert.Equal(CountryStatus.Denied, by["DE"].Status);
        Assert.Equal("BG", results[^1].Country);
        Assert.True(results.FindIndex(r => r.Country == "SE") < results.FindIndex(r => r.Country == "BG"));

        // Asked again, SE comes from the cache, with its age.
        var again = new List<FederatedQueryResponse>();
        request.Countries.Clear();
        request.Countries.Add("SE");
        using var second = new StatisticsService.StatisticsServiceClient(nlConsole).FederatedQuery(request, Auth(rapporteur));
        while (await second.ResponseStream.MoveNext(Ct))
        {
            again.Add(second.ResponseStream.Current);
        }

        Assert.True(Assert.Single(again).FromCache);
        // The accepting loop may still take a connection (NL reconnects to BG): stop it before letting go of what it holds.
        hanging.Stop();
        while (held.TryDequeue(out var socket))
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task FederatedQuery_NeedsTheRapporteurRole()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var admin = await TokenAsync(nl, "nl-admin", "admin");
        using var console = nl.ConsoleChannel();
        using var call = new StatisticsService.StatisticsServiceClient(console).FederatedQuery(new FederatedQueryRequest { Query = new QueryRequest { Indicator = "THB_VICT_REG" }, Countries = { "NL" } }, Auth(admin));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    private static CallOptions Auth(string token) => new(new Metadata { { "authorization", "Bearer " + token } });

    private static async Task<byte[]> CasesAsync(string country, int first, int last)
    {
        using var buffer = new MemoryStream();
        await SyntheticData.WriteCasesAsync(buffer, country, first, last, null, Ct);
        return buffer.ToArray();
    }

    internal static async Task<ImportResult> ImportAsync(StatisticsService.StatisticsServiceClient client, string token, byte[] content, DataKind kind)
    {
        using var call = client.ImportData(Auth(token));
        await call.RequestStream.WriteAsync(new ImportDataRequest { Kind = kind, FileName = "test.csv", TotalBytes = content.Length });
        for (var offset = 0; offset < content.Length; offset += 64 * 1024)
        {
            await call.RequestStream.WriteAsync(new ImportDataRequest { Chunk = ByteString.CopyFrom(content, offset, Math.Min(64 * 1024, content.Length - offset)) });
        }

        await call.RequestStream.CompleteAsync();
        ImportResult? result = null;
        while (await call.ResponseStream.MoveNext(Ct))
        {
            result = call.ResponseStream.Current.Result ?? result;
        }

        return result ?? throw new InvalidOperationException("The import sent no result.");
    }

    private static async Task<string> TokenAsync(TestNode node, string user, string role)
    {
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, Ct);
        await setup.AddUserAsync(user, user, [role], null, Ct);
        return await setup.CreateTokenAsync(user, "test", TimeSpan.FromHours(1), Ct);
    }
}
