using Grpc.Core;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Data;
using NremNet.Node.Tests.Infrastructure;

namespace NremNet.Node.Tests.Statistics;

/// <summary>
/// The population is public data: a node releases it as published, to a peer whose agreement asks for perturbation
/// or differential privacy too — no noise, no withheld cell, no budget spent — and says so in the answer's policy.
/// </summary>
public sealed class PopulationTests
{
    private const int Year = 2024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PeerQuery_Population_IsReleasedAsPublished_WithoutNoiseOrBudget_EvenUnderDifferentialPrivacy()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", configure: s => s["Node:Disclosure:CellKeyPerturbation"] = "true");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Count >= 2);
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(nl.CertificateFile)!, "..", "node-NL"), nl.CertificateFile, nl.KeyFile, Ct);
        await setup.AddUserAsync("nl-admin", "nl-admin", ["admin"], null, Ct);
        var admin = await setup.CreateTokenAsync("nl-admin", "test", TimeSpan.FromHours(1), Ct);
        using var console = nl.ConsoleChannel();
        using (var buffer = new MemoryStream())
        {
            await SyntheticData.WriteStatisticsAsync(buffer, "NL", Year, Year, Ct);
            var imported = await StatisticsTests.ImportAsync(new StatisticsService.StatisticsServiceClient(console), admin, buffer.ToArray(), DataKind.PublishedStatistics);
            Assert.True(imported.Imported, string.Join("; ", imported.Problems.Select(p => p.Message)));
        }

        // An epsilon budget that two noisy answers would spend.
        await new AgreementService.AgreementServiceClient(console.CreateCallInvoker()).SetAgreementAsync(
            new SetAgreementRequest
            {
                Agreement = new Agreement
                {
                    Country = "SE",
                    Grants = { new Grant { Indicator = "*", Dimensions = { "*" } } },
                    Protection = Protection.DifferentialPrivacy,
                    EpsilonPerQuery = 1,
                    EpsilonPerYear = 1.5,
                    Reference = "test: differential privacy (synthetic)",
                },
            },
            new CallOptions(new Metadata { { "authorization", "Bearer " + admin } })).ResponseAsync;

        using var asSe = nl.PeerChannel(se.Certificate);
        var peer = new AggregateService.AggregateServiceClient(asSe);
        var query = new QueryRequest { Indicator = "POPULATION", Breakdown = { "SEX", "AGE" }, StartYear = Year, EndYear = Year };
        var answers = new List<QueryResponse>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await peer.QueryAsync(query, cancellationToken: Ct).ResponseAsync);
        }

        var published = SyntheticData.Statistics("NL", Year, Year).Where(v => v.Indicator == StatisticsCatalogue.Population.Id).ToDictionary(v => v.Cell.Key, v => v.Value);
        var answer = answers[0];
        Assert.Equal(Protection.None, answer.Policy.Protection);
        Assert.Contains("without disclosure control", answer.Policy.Description, StringComparison.Ordinal);
        Assert.Equal(DataSource.PublishedStatistics, answer.Source);
        Assert.Equal(published.Count, answer.Cells.Count);
        foreach (var cell in answer.Cells)
        {
            var key = CellCodes.Of(cell.Key.Where(k => k.Key != StatisticsCatalogue.TimePeriod)).Key;
            Assert.Equal((Contracts.Aggregates.V1.ConfidentialityStatus.Free, false, published[key]), (cell.ConfidentialityStatus, cell.Noisy, (long?)cell.Value));
        }

        Assert.All(answers.Skip(1), a => Assert.Equal(answer.Cells, a.Cells));
        var spent = (await new AgreementService.AgreementServiceClient(console.CreateCallInvoker()).ListAgreementsAsync(
            new ListAgreementsRequest(), new CallOptions(new Metadata { { "authorization", "Bearer " + admin } })).ResponseAsync).Agreements.Single(a => a.Country == "SE").EpsilonSpent;
        Assert.Equal(0, spent);
    }
}
