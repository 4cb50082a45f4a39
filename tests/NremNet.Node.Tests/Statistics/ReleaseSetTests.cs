using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Data;
using NremNet.Node.Audit;
using NremNet.Node.Tests.Infrastructure;

namespace NremNet.Node.Tests.Statistics;

/// <summary>
/// What a peer with the broadest agreement obtains by asking everything it may ask — every indicator, every breakdown
/// of up to two dimensions, every year range, code subsets, repeats — is exactly the protected release set the node
/// stored at import: the same flag and value for a cell in every answer, never a refusal that depends on the values,
/// never a value of a withheld cell. The integer attack on that set is in the domain tests (PeerAttackTests).
/// </summary>
public sealed class ReleaseSetTests(ITestOutputHelper output)
{
    private const int Year = 2024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PeerAskingEverything_SeesExactlyTheStoredReleaseSet_AndIsNeverRefusedForTheValues()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 2);
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(nl.CertificateFile)!, "..", "node-NL"), nl.CertificateFile, nl.KeyFile, Ct);
        await setup.AddUserAsync("nl-admin", "nl-admin", ["admin"], null, Ct);
        var admin = await setup.CreateTokenAsync("nl-admin", "test", TimeSpan.FromHours(1), Ct);
        using var console = nl.ConsoleChannel();

        // A small year: many small cells, so many withheld ones and rows with a small population.
        using (var buffer = new MemoryStream())
        {
            await SyntheticData.WriteCasesAsync(buffer, "NL", Year, Year, 150, Ct);
            var imported = await StatisticsTests.ImportAsync(new StatisticsService.StatisticsServiceClient(console), admin, buffer.ToArray(), DataKind.CaseRecords);
            Assert.True(imported.Imported, string.Join("; ", imported.Problems.Select(p => p.Message)));
        }

        await new AgreementService.AgreementServiceClient(console.CreateCallInvoker()).SetAgreementAsync(
            new SetAgreementRequest { Agreement = new Agreement { Country = "SE", Grants = { new Grant { Indicator = "*", Dimensions = { "*" } } }, Reference = "test: broadest agreement (synthetic)" } },
            new CallOptions(new Metadata { { "authorization", "Bearer " + admin } })).ResponseAsync;

        using var asSe = nl.PeerChannel(se.Certificate);
        var peer = new AggregateService.AggregateServiceClient(asSe);
        var seen = new Dictionary<string, (string Flag, long? Value)>(StringComparer.Ordinal);
        var queries = 0;
        var random = new Random(Year);
        foreach (var indicator in StatisticsCatalogue.Indicators)
        {
            foreach (var breakdown in Breakdowns(indicator))
            {
                var requests = new List<QueryRequest> { Request(indicator.Id, breakdown, Year, Year), Request(indicator.Id, breakdown, Year - 3, Year) };
                foreach (var dimension in breakdown)
                {
                    // Code subsets: one code, a few codes, all but one — what probed the small-population rule.
                    var codes = StatisticsCatalogue.Dimension(dimension).Codes.Select(c => c.Id).ToList();
                    requests.Add(WithFilter(Request(indicator.Id, breakdown, Year, Year), dimension, [codes[random.Next(codes.Count)]]));
                    requests.Add(WithFilter(Request(indicator.Id, breakdown, Year, Year), dimension, [.. codes.Where(_ => random.Next(2) == 0).DefaultIfEmpty(codes[0])]));
                    requests.Add(WithFilter(Request(indicator.Id, breakdown, Year, Year), dimension, [.. codes.Skip(1), StatisticsCatalogue.Total]));
                }

                foreach (var request in requests)
                {
                    queries++;
                    var answer = await peer.QueryAsync(request, cancellationToken: Ct).ResponseAsync;
                    foreach (var cell in answer.Cells)
                    {
                        Assert.True(cell.ConfidentialityStatus == Contracts.Aggregates.V1.ConfidentialityStatus.Free || !cell.HasValue, $"A withheld cell came with a value: {cell}");
                        // A cell's key without the dimensions at their total: the same cell, whichever breakdown shows it.
                        var key = indicator.Id + "|" + string.Join(';', cell.Key.Where(k => k.Value != StatisticsCatalogue.Total).Select(k => k.Key + "=" + k.Value).Order(StringComparer.Ordinal));
                        var shown = (cell.ConfidentialityStatus.ToString(), cell.HasValue ? cell.Value : (long?)null);
                        if (seen.TryGetValue(key, out var before))
                        {
                            Assert.True(before == shown, $"{key} was {before} in one answer and {shown} in another.");
                        }

                        seen[key] = shown;
                    }
                }
            }
        }

        // Every cell a peer saw is the stored cell, as protected at import; the year is fully covered.
        var store = nl.App.Services.GetRequiredService<NremNet.Node.Statistics.StatisticsStore>();
        var stored = new Dictionary<string, NremNet.Node.Statistics.StoredCell>(StringComparer.Ordinal);
        foreach (var indicator in StatisticsCatalogue.Indicators)
        {
            foreach (var cell in await store.CellsAsync(indicator.Id, [.. Breakdowns(indicator).Select(b => string.Join(';', b))], Year, Year, Ct))
            {
                var codes = CellCodes.Parse(cell.Cell);
                var key = indicator.Id + "|" + string.Join(';', codes.Codes.Select(c => c.Key + "=" + c.Value).Append("TIME_PERIOD=" + Year).Order(StringComparer.Ordinal));
                stored[key] = cell;
            }
        }

        var withheld = 0;
        foreach (var (key, (flag, value)) in seen.Where(s => s.Key.Contains("TIME_PERIOD=" + Year, StringComparison.Ordinal)))
        {
            Assert.True(stored.TryGetValue(key, out var cell), $"{key} was answered but is not in the stored release set.");
            var expected = cell.ConfStatus switch { "C" => Contracts.Aggregates.V1.ConfidentialityStatus.Primary, "D" => Contracts.Aggregates.V1.ConfidentialityStatus.Secondary, _ => Contracts.Aggregates.V1.ConfidentialityStatus.Free };
            Assert.Equal(expected.ToString(), flag);
            if (cell.ConfStatus == "F")
            {
                Assert.Equal(cell.Value, value);
                Assert.False(cell.Value is > 0 and < 5, $"{key}: a small count {cell.Value} was released.");
            }
            else
            {
                withheld++;
            }
        }

        output.WriteLine($"{queries} queries, {seen.Count} distinct cells seen, {stored.Count} stored for {Year}, {withheld} withheld");
        Assert.True(withheld > 0, "A small year with nothing withheld cannot be right.");
        Assert.Equal(stored.Count, seen.Count(s => s.Key.Contains("TIME_PERIOD=" + Year, StringComparison.Ordinal)));

        var audit = await nl.App.Services.GetRequiredService<AuditLog>().ListAsync(5_000, 0, "statistics.query", Ct);
        Assert.Equal(queries, audit.Count(e => e.Record.Actor == "peer:SE" && e.Record.Outcome == "ok"));
        Assert.DoesNotContain(audit, e => e.Record.Actor == "peer:SE" && e.Record.Outcome != "ok");
    }

    [Fact]
    public async Task PeerQuery_HugeBadRequest_GetsABoundedErrorAndABoundedAuditRecord()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 2);
        using var asSe = nl.PeerChannel(se.Certificate);
        var request = new QueryRequest { Indicator = new string('Q', 100_000), Breakdown = { "SEX" } };
        request.Filters.Add(new DimensionFilter { Dimension = "SEX", Codes = { Enumerable.Range(0, 20_000).Select(i => $"BAD{i}") } });
        Assert.True(request.CalculateSize() > 200_000);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new AggregateService.AggregateServiceClient(asSe).QueryAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.True(ex.Status.Detail.Length < 8_000, $"The error is {ex.Status.Detail.Length} characters for a bad request.");
        Assert.Contains("more problems", ex.Status.Detail, StringComparison.Ordinal);
        var audit = await nl.App.Services.GetRequiredService<AuditLog>().ListAsync(10, 0, "statistics.query", Ct);
        var record = Assert.Single(audit, e => e.Record.Actor == "peer:SE");
        Assert.Equal("invalid", record.Record.Outcome);
        Assert.True(record.Record.Details.Length + record.Record.Target.Length < 10_000, $"The audit record is {record.Record.Details.Length} characters.");
    }

    private static IEnumerable<string[]> Breakdowns(CatalogueIndicator indicator)
    {
        yield return [];
        for (var a = 0; a < indicator.Dimensions.Count; a++)
        {
            yield return [indicator.Dimensions[a]];
            for (var b = a + 1; b < indicator.Dimensions.Count; b++)
            {
                yield return [indicator.Dimensions[a], indicator.Dimensions[b]];
            }
        }
    }

    private static QueryRequest Request(string indicator, string[] breakdown, int start, int end) =>
        new() { Indicator = indicator, StartYear = start, EndYear = end, Breakdown = { breakdown } };

    private static QueryRequest WithFilter(QueryRequest request, string dimension, IEnumerable<string> codes)
    {
        request.Filters.Add(new DimensionFilter { Dimension = dimension, Codes = { codes } });
        return request;
    }
}
