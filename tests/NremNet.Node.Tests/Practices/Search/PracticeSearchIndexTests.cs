using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Node.Practices.Search;
using static NremNet.Node.Tests.Practices.Search.SearchCorpus;

namespace NremNet.Node.Tests.Practices.Search;

/// <summary>Changes of the index: a new version replaces the entry, a withdrawal hides it, an erasure removes it.</summary>
public sealed class PracticeSearchIndexTests : IAsyncLifetime
{
    private SearchDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await SearchDatabase.WithCorpusAsync(Ct);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Remove_DocumentGoneFromHitsFacetsAndSpelling()
    {
        Assert.Single((await Search("helpline multilingual")).Hits);

        await _database.RemoveAsync(Helpline.Id, Ct);

        Assert.Empty((await Search("multilingual")).Hits);
        Assert.DoesNotContain(Helpline.Id, Ids(await Search("forced labour")));
        var browse = await _database.SearchAsync(new SearchPracticesRequest { IncludeWithdrawn = true, Limit = 200 }, Ct);
        Assert.Equal(All.Count - 1, browse.Total);
        Assert.DoesNotContain(Helpline.Id, Ids(browse));
        // NG's other three, and its withdrawn one.
        Assert.Equal(4, browse.Facets.Single(f => f.Name == "country").Values.Single(v => v.Value == "NG").Count);
        // Its words are no longer the index's: nothing to correct a typo to.
        Assert.Equal("", (await Search("multilingul")).DidYouMean);
    }

    [Fact]
    public async Task Remove_UnknownDocument_NothingHappens()
    {
        await _database.RemoveAsync("no-such-document", Ct);

        Assert.Equal(All.Count - 1, (await _database.SearchAsync(new SearchPracticesRequest(), Ct)).Total);
    }

    [Fact]
    public async Task Index_NewVersion_ReplacesTheEntry_NoDuplicates()
    {
        var edited = Helpline with
        {
            SignedAt = Helpline.SignedAt.AddDays(30),
            Practice = Helpline.Practice with
            {
                Title = "SYNTHETIC: Hotline for workers in forced labour",
                Summary = "A hotline in twelve languages where workers report forced labour.",
                Themes = ["protection"],
                Translations = [new PracticeTranslation { Language = "fr", Kind = TranslationKind.Machine, Title = "SYNTHÉTIQUE : Ligne d'écoute pour les travailleurs", Summary = "Une ligne d'écoute." }],
            },
        };

        await _database.IndexAsync([edited.Indexed(version: 2)], Ct);
        await _database.IndexAsync([edited.Indexed(version: 2)], Ct);

        var hit = Assert.Single((await Search("twelve")).Hits);
        Assert.Equal(2, hit.Practice.Version.Version);
        Assert.Equal(edited.Practice.Title, hit.Practice.Title);
        Assert.Empty((await Search("multilingual")).Hits);
        Assert.Single(Ids(await Search("forced labour")), id => id == Helpline.Id);
        Assert.Equal(Helpline.Id, Assert.Single((await Search("écoute", "fr")).Hits).Practice.Version.DocumentId);

        var browse = await _database.SearchAsync(new SearchPracticesRequest { Limit = 200 }, Ct);
        Assert.Equal(All.Count - 1, browse.Total);
        Assert.Single(Ids(browse), id => id == Helpline.Id);
        Assert.Equal(Helpline.Id, Ids(browse)[0]);
        Assert.DoesNotContain(browse.Facets.Single(f => f.Name == "theme").Values, v => v.Value == "data_collection" && v.Count == 2);
        Assert.Equal(1, browse.Facets.Single(f => f.Name == "theme").Values.Single(v => v.Value == "data_collection").Count);
        Assert.Equal(3, browse.Facets.Single(f => f.Name == "language").Values.Single(v => v.Value == "fr").Count);
    }

    [Fact]
    public async Task Index_Withdrawal_HidesUntilAskedFor()
    {
        await _database.IndexAsync([(Helpline with { State = DocumentState.Withdrawn }).Indexed(version: 2)], Ct);

        Assert.Empty((await Search("multilingual")).Hits);
        var shown = await _database.SearchAsync(new SearchPracticesRequest { Text = "multilingual", Language = "en", IncludeWithdrawn = true }, Ct);
        Assert.Equal(DocumentState.Withdrawn, Assert.Single(shown.Hits).Practice.Version.State);
    }

    [Fact]
    public async Task Index_ErasedOrNotAPractice_Refused()
    {
        var erased = (Helpline with { State = DocumentState.Erased }).Indexed(version: 2);
        var question = Helpline.Indexed();
        question.Version.Kind = DocumentKind.Question;

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => _database.IndexAsync([erased], Ct));
        Assert.Contains("erased one is removed", refusal.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => _database.IndexAsync([question], Ct));
        Assert.Single((await Search("helpline multilingual")).Hits);
    }

    [Fact]
    public async Task Index_RolledBack_LeavesNoTrace()
    {
        var added = new CorpusPractice("ng-rolled-back", "NG", At(2025, 1, 1), Helpline.Practice with { Title = "SYNTHETIC: Lighthouse keepers" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.Database.InTransactionAsync<bool>(async (connection, transaction) =>
        {
            await PracticeSearch.IndexAsync(connection, transaction, added.Indexed(), Ct);
            throw new InvalidOperationException("the store refused the version");
        }, Ct));

        Assert.Empty((await Search("lighthouse")).Hits);
    }

    [Fact]
    public async Task Search_SeesEachChange_WithoutRestart()
    {
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(i, (await Search("lighthouse")).Total);
            var added = new CorpusPractice($"ng-lighthouse-{i}", "NG", At(2025, 1, 1).AddDays(i), Helpline.Practice with { Title = $"SYNTHETIC: Lighthouse {i}" });
            await _database.IndexAsync([added.Indexed()], Ct);
        }

        var all = await Search("lighthouse");
        Assert.Equal(25, all.Total);
        Assert.Equal(SearchRequestCheck.DefaultLimit, all.Hits.Count);
        Assert.Equal(25, all.Facets.Single(f => f.Name == "year").Values.Single(v => v.Value == "2024").Count);
    }

    [Fact]
    public async Task Search_NewLanguage_IndexedOnDemand()
    {
        var german = new CorpusPractice("de-kitchen", "DE", At(2025, 2, 2), new Practice
        {
            Title = "SYNTHETISCH: Zwangsarbeit in Großküchen",
            Summary = "Kontrollen in Großküchen.",
            Body = "Die Kontrolleure sprechen mit den Beschäftigten.",
            Language = "de",
            Themes = ["prevention"],
            Evidence = new EvidenceAssessment { Grade = EvidenceGrade.Emerging },
            Period = new PracticePeriod { From = new YearMonth(2024, 1) },
            Organisation = "Zoll (synthetisch)",
        });

        await _database.IndexAsync([german.Indexed()], Ct);

        Assert.Equal(german.Id, Assert.Single((await Search("kontrolle", "de")).Hits).Practice.Version.DocumentId);
        Assert.Equal(german.Id, Assert.Single(await _database.BareMatchAsync("de", "\"kontroll\"", 10, Ct)));
    }

    [Fact]
    public async Task Search_FileReplacedByAnOlderCopy_ReloadsWhatTheCopyHolds()
    {
        var file = _database.Database.Path;
        await using (var connection = await _database.Database.OpenAsync(Ct))
        {
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(file, file + ".copy");
        await _database.RemoveAsync(Helpline.Id, Ct);
        await _database.RemoveAsync(Register.Id, Ct);
        Assert.Equal(All.Count - 3, (await _database.SearchAsync(new SearchPracticesRequest(), Ct)).Total);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }

        File.Move(file + ".copy", file, overwrite: true);

        var restored = await _database.SearchAsync(new SearchPracticesRequest { Limit = 100 }, Ct);
        Assert.Equal(All.Count - 1, restored.Total);
        Assert.Contains(Helpline.Id, Ids(restored));
        Assert.Single((await Search("multilingual")).Hits);
    }

    private Task<SearchPracticesResponse> Search(string text, string language = "en") =>
        _database.SearchAsync(new SearchPracticesRequest { Text = text, Language = language }, Ct);

    private static List<string> Ids(SearchPracticesResponse response) => response.Hits.Select(h => h.Practice.Version.DocumentId).ToList();

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);
}
