using NremNet.Cli.Federation;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Tests.Practices;

/// <summary>What 'federation up' loads into running nodes, over their user API (against stand-in nodes, <see cref="DocumentNodes"/>).</summary>
public sealed class SampleDocumentsLoaderTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] Countries = ["NL", "SE", "FI"];

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Load_ThreeNodes_PublishesEachNodesPractices_AsksBothQuestions_AnswersFromTheOthers_AndLoadsNothingTwice()
    {
        await using var nodes = await DocumentNodes.StartAsync(_folder, log, Countries);
        var loader = new SampleDocumentsLoader(nodes.Cli.Profiles, Countries, TimeProvider.System);
        var steps = new List<string>();

        await loader.LoadAsync(steps.Add, TestContext.Current.CancellationToken);

        var store = nodes.Store;
        foreach (var country in Countries)
        {
            var owned = store.Documents.Values.Where(v => v[0].Version.Kind == DocumentKind.Practice && v[0].Version.OwnerCountry == country).ToList();
            Assert.Equal(SampleDocuments.Practices(country).Order(StringComparer.Ordinal), owned.Select(v => v[0].File).Order(StringComparer.Ordinal));
            Assert.Contains($"published {owned.Count} SYNTHETIC sample practices of {country} ({SampleDocuments.LanguageOf(country)} and en)", steps);
        }

        var questions = store.Documents.Values.Where(v => v[0].Version.Kind == DocumentKind.Question).ToList();
        Assert.Equal(["NL", "SE"], questions.Select(q => q[0].Version.OwnerCountry).Order());
        var refusal = questions.Single(q => q[0].Version.OwnerCountry == "NL")[0].Version.DocumentId;
        var residence = questions.Single(q => q[0].Version.OwnerCountry == "SE")[0].Version.DocumentId;
        Assert.Equal(["FI", "SE"], store.Answers.Keys.Where(k => k.Question == refusal).Select(k => k.Country).Order());
        Assert.Equal(["FI", "NL"], store.Answers.Keys.Where(k => k.Question == residence).Select(k => k.Country).Order());
        Assert.Contains($"SE, FI answered NL's SYNTHETIC question \"{SampleDocuments.RefusalQuestionTitle}\"", steps);
        Assert.Contains($"NL, FI answered SE's SYNTHETIC question \"{SampleDocuments.ResidenceQuestionTitle}\"", steps);
        var residenceQuestion = QuestionFile.Parse(questions.Single(q => q[0].Version.OwnerCountry == "SE")[0].File).Value!;
        Assert.Equal(["NL", "FI"], residenceQuestion.Recipients.Countries);

        // Resumed: what the nodes hold is left as it is.
        var documents = store.Documents.Count;
        var answers = store.Answers.Values.Sum(v => v.Count);
        steps.Clear();
        await loader.LoadAsync(steps.Add, TestContext.Current.CancellationToken);

        Assert.Equal(documents, store.Documents.Count);
        Assert.Equal(answers, store.Answers.Values.Sum(v => v.Count));
        Assert.All(Countries, c => Assert.Contains(steps, s => s == $"{c} holds its {SampleDocuments.Practices(c).Count} SYNTHETIC sample practices already"));
    }

    [Fact]
    public async Task Load_NodesThatDoNotServeThePracticeLibraryYet_SaysSoAndLoadsNothing()
    {
        await using var nodes = await DocumentNodes.StartAsync(_folder, log, ["NL", "SE"], serving: false);
        var steps = new List<string>();

        await new SampleDocumentsLoader(nodes.Cli.Profiles, ["NL", "SE"], TimeProvider.System).LoadAsync(steps.Add, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["NL does not serve the practice library yet: its SYNTHETIC sample practices and questions are left out", "SE does not serve the practice library yet: its SYNTHETIC sample practices and questions are left out"],
            steps.Order());
        Assert.Empty(nodes.Store.Documents);
    }

    public void Dispose() => _folder.Dispose();
}
