using NremNet.Cli.Federation;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Tests.Practices;

/// <summary>What 'federation up' loads into running nodes, over their user API: three real nodes that replicate between them (<see cref="TestNetwork"/>).</summary>
public sealed class SampleDocumentsLoaderTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] Countries = ["NL", "SE", "FI"];

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Load_ThreeNodes_PublishesEachNodesPractices_AsksBothQuestions_AnswersFromTheOthers_EveryNodeHoldsAll_AndLoadsNothingTwice()
    {
        await using var network = await TestNetwork.StartAsync(_folder, log, Countries);
        var loader = new SampleDocumentsLoader(network.Cli.Profiles, Countries, TimeProvider.System);
        var steps = new List<string>();

        await loader.LoadAsync(steps.Add, TestContext.Current.CancellationToken);

        foreach (var country in Countries)
        {
            Assert.Contains($"published {SampleDocuments.Practices(country).Count} SYNTHETIC sample practices of {country} ({SampleDocuments.LanguageOf(country)} and en)", steps);
        }

        Assert.Contains($"NL asked the SYNTHETIC network question \"{SampleDocuments.RefusalQuestionTitle}\"", steps);
        Assert.Contains($"SE asked the SYNTHETIC network question \"{SampleDocuments.ResidenceQuestionTitle}\"", steps);
        Assert.Contains($"SE, FI answered NL's SYNTHETIC question \"{SampleDocuments.RefusalQuestionTitle}\"", steps);
        Assert.Contains($"NL, FI answered SE's SYNTHETIC question \"{SampleDocuments.ResidenceQuestionTitle}\"", steps);

        // Every node holds every country's practices, and both questions with both answers each.
        long practices = Countries.Sum(c => SampleDocuments.Practices(c).Count);
        foreach (var node in Countries)
        {
            await Eventually.UntilAsync(async () => await network.HeldAsync(node) == (practices, 2, 4), $"{node} to hold every sample practice, question and answer");
            foreach (var owner in Countries)
            {
                var titles = SampleDocuments.Practices(owner).Select(f => PracticeFile.Parse(f).Value!.Title).Order(StringComparer.Ordinal);
                Assert.Equal(titles, (await TitlesAsync(network, node, owner)).Order(StringComparer.Ordinal));
            }
        }

        var questions = (await network.Cli.SucceedAsync("--json", "question", "list", "--node", "FI")).Json.GetProperty("questions").EnumerateArray().ToList();
        var refusal = questions.Single(q => q.GetProperty("title").GetString() == SampleDocuments.RefusalQuestionTitle);
        var residence = questions.Single(q => q.GetProperty("title").GetString() == SampleDocuments.ResidenceQuestionTitle);
        Assert.Equal("NL", refusal.GetProperty("version").GetProperty("ownerCountry").GetString());
        Assert.Equal("SE", residence.GetProperty("version").GetProperty("ownerCountry").GetString());
        Assert.All(new[] { refusal, residence }, q => Assert.Equal((2, 2, "QUESTION_STATUS_OPEN"), (q.GetProperty("answers").GetInt32(), q.GetProperty("recipients").GetInt32(), q.GetProperty("status").GetString())));
        var residenceId = residence.GetProperty("version").GetProperty("documentId").GetString()!;
        var shown = await network.Cli.SucceedAsync("question", "show", residenceId, "--node", "FI");
        Assert.Equal("NL, FI", shown.Table($"Question {residenceId} of SE").Cell("put to", "value"));
        Assert.Equal(["answered", "answered"], shown.Table("Recipients, as FI holds their answers").Rows.Select(r => r[1]));

        // Resumed: what the nodes hold is left as it is.
        steps.Clear();
        await loader.LoadAsync(steps.Add, TestContext.Current.CancellationToken);

        Assert.All(Countries, c => Assert.Contains($"{c} holds its {SampleDocuments.Practices(c).Count} SYNTHETIC sample practices already", steps));
        Assert.Equal(Countries.Length, steps.Count);
        foreach (var node in Countries)
        {
            Assert.Equal((practices, 2L, 4L), await network.HeldAsync(node));
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The titles of the practices of <paramref name="owner"/> that <paramref name="node"/> finds.</summary>
    private static async Task<IReadOnlyList<string>> TitlesAsync(TestNetwork network, string node, string owner)
    {
        var found = await network.Cli.SucceedAsync("--json", "practice", "search", "--country", owner, "--limit", "200", "--node", node);
        return [.. found.Json.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("practice").GetProperty("title").GetString()!)];
    }
}
