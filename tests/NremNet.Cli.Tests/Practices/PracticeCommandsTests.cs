using NremNet.Cli.Cli;
using NremNet.Cli.Federation;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Tests.Practices;

/// <summary>The practice verbs end to end over gRPC, against stand-in nodes NL, SE and FI (<see cref="DocumentNodes"/>).</summary>
public sealed class PracticeCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private DocumentNodes _nodes = null!;

    private CliRunner Cli => _nodes.Cli;

    public async ValueTask InitializeAsync() => _nodes = await DocumentNodes.StartAsync(_folder, log, ["NL", "SE", "FI"]);

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Template_PrintsTheExamplePracticeFileAsItIs()
    {
        var run = await Cli.SucceedAsync("practice", "template");

        Assert.Equal(PracticeFile.Example.TrimEnd('\n') + "\n", run.Console);
        Assert.True(PracticeFile.Parse(run.Console).Succeeded);
    }

    [Fact]
    public async Task Publish_FileWithProblems_ListsEachWithLineAndField_AndPublishesNothing()
    {
        var broken = PracticeFile.Example
            .Replace("  grade: PROMISING", "  grade: EXCELLENT", StringComparison.Ordinal)
            .Replace("themes: [prevention, protection, partnership]", "themes: [prevention, hope]", StringComparison.Ordinal);
        var file = Write("broken.md", broken);

        var run = await Cli.RunAsync("practice", "publish", file);

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        var table = run.Table("Problems in broken.md");
        Assert.Equal(["line", "field", "problem"], table.Headers);
        Assert.Contains(table.Rows, r => r[1] == "themes[1]" && r[0] == "8" && r[2].Contains("'hope'", StringComparison.Ordinal));
        Assert.Contains(table.Rows, r => r[1] == "evidence.grade" && r[2].Contains("EXCELLENT", StringComparison.Ordinal));
        Assert.Contains(run.Output.Errors, e => e.Contains("nothing was published", StringComparison.Ordinal));
        Assert.Empty(_nodes.Store.Documents);
    }

    [Fact]
    public async Task Publish_PersonalData_ShowsEachFindingWithItsFingerprint_ThenPublishesWhenConfirmed()
    {
        var practice = PracticeFile.Parse(SampleDocuments.Practices("NL").First(f => f.Contains("language: en", StringComparison.Ordinal))).Value!;
        var file = Write("personal.md", PracticeFile.Write(practice with { Body = practice.Body + "\n\nAsk the survivor Maria Lopez, maria.lopez@mail.example.com, how it went." }));

        var refused = await Cli.RunAsync("practice", "publish", file);

        Assert.Equal(ExitCodes.CheckFailed, refused.ExitCode);
        var findings = refused.Table("Possible personal data in personal.md");
        Assert.Equal(["line", "field", "looks like", "excerpt", "fingerprint"], findings.Headers);
        Assert.Equal(2, findings.Rows.Count);
        Assert.All(findings.Rows, r => Assert.Equal("body", r[1]));
        Assert.Contains(findings.Rows, r => r[2] == "Email" && r[3].Contains('•') && !r[3].Contains("maria.lopez", StringComparison.Ordinal));
        Assert.Contains(findings.Rows, r => r[2] == "PersonName");
        var fingerprints = findings.Rows.Select(r => r[4]).ToList();
        Assert.Contains(refused.Output.Lines, l => l.Contains($"nremnet practice publish {file} --confirm {fingerprints[0]} --confirm {fingerprints[1]}", StringComparison.Ordinal));
        Assert.Empty(_nodes.Store.Documents);

        var partly = await Cli.RunAsync("practice", "publish", file, "--confirm", fingerprints[0], "--confirm", "not-a-finding");
        Assert.Equal(ExitCodes.CheckFailed, partly.ExitCode);
        Assert.Contains(partly.Output.Warnings, w => w.Contains("--confirm not-a-finding matches no finding", StringComparison.Ordinal));
        Assert.Single(partly.Table("Possible personal data in personal.md").Rows);

        var published = await Cli.SucceedAsync("practice", "publish", file, "--confirm", string.Join(',', fingerprints));
        Assert.Contains(published.Output.Successes, s => s.Contains("Published practice", StringComparison.Ordinal) && s.Contains(practice.Title, StringComparison.Ordinal));
        Assert.Contains(published.Output.Lines, l => l.Contains("2 personal-data findings confirmed by nl-rapporteur", StringComparison.Ordinal));
        Assert.Equal(fingerprints.Order(), _nodes.Store.Confirmed.Order());
    }

    [Fact]
    public async Task PublishShowEditHistoryWithdrawErase_AsTheRapporteur_EachStepSaysWhatHappened()
    {
        var sample = SampleDocuments.Practices("NL").First(f => f.Contains("language: nl", StringComparison.Ordinal));
        var practice = PracticeFile.Parse(sample).Value!;
        var published = await Cli.SucceedAsync("--json", "practice", "publish", Write("nl.md", sample));
        var version = published.Json.GetProperty("version");
        var id = version.GetProperty("documentId").GetString()!;
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.Equal("NL", version.GetProperty("ownerCountry").GetString());
        Assert.Equal("DOCUMENT_STATE_PUBLISHED", version.GetProperty("state").GetString());

        // Any user of any node reads it, by the end of its id as tables show it.
        var shown = await Cli.SucceedAsync("practice", "show", id[^8..], "--node", "SE", "--lang", "en");
        var fields = shown.Table($"Practice …{id[^8..]} of NL");
        Assert.Equal(practice.Title, fields.Cell("title", "value"));
        Assert.Equal("NL — Netherlands", fields.Cell("owner", "value"));
        Assert.StartsWith("version 1 (current), published", fields.Cell("version", "value"), StringComparison.Ordinal);
        Assert.Equal("en (human translation)", fields.Cell("translations", "value"));
        Assert.StartsWith(EvidenceCatalogue.Code(practice.Evidence.Grade) + " — ", fields.Cell("evidence grade", "value"), StringComparison.Ordinal);
        Assert.Equal(8, shown.Table("Self-assessment behind").Rows.Count);
        Assert.Contains(shown.Output.Lines, l => l.StartsWith("── Translation into en (human translation)", StringComparison.Ordinal));
        Assert.Contains(shown.Output.Lines, l => l.Contains("SYNTHETISCHE voorbeeldinhoud", StringComparison.Ordinal) && !l.Contains("**", StringComparison.Ordinal));
        Assert.DoesNotContain(shown.Output.Lines, l => l.StartsWith("To edit:", StringComparison.Ordinal));

        var raw = await Cli.SucceedAsync("practice", "show", id, "--file");
        Assert.Equal(sample, raw.Console);
        var own = await Cli.SucceedAsync("practice", "show", id);
        Assert.Contains(own.Output.Lines, l => l.Contains($"practice edit {id[^8..]} practice.md --base-version 1", StringComparison.Ordinal));

        var edited = Write("edited.md", PracticeFile.Write(practice with { Summary = practice.Summary + " Bijgewerkt in 2026." }));
        var edit = await Cli.SucceedAsync("practice", "edit", id, edited, "--base-version", "1");
        Assert.Contains(edit.Output.Successes, s => s.StartsWith($"Published version 2 of practice {id}", StringComparison.Ordinal));
        var stale = await Cli.RunAsync("practice", "edit", id, edited, "--base-version", "1");
        Assert.Equal(ExitCodes.Conflict, stale.ExitCode);
        Assert.Contains("version 2 came after version 1", stale.ErrorText, StringComparison.Ordinal);

        var notOwner = await Cli.RunAsync("practice", "withdraw", id, "--reason", "not ours", "--node", "SE");
        Assert.Equal(ExitCodes.PermissionDenied, notOwner.ExitCode);
        Assert.Contains($"belongs to NL", notOwner.ErrorText, StringComparison.Ordinal);

        var withdrawn = await Cli.SucceedAsync("practice", "withdraw", id, "--reason", "SYNTHETIC: replaced by a newer practice");
        Assert.Contains(withdrawn.Output.Successes, s => s.StartsWith($"Withdrew practice {id} (version 3", StringComparison.Ordinal));
        var afterWithdrawal = await Cli.SucceedAsync("practice", "show", id, "--node", "FI");
        Assert.StartsWith("WITHDRAWN by NL on ", afterWithdrawal.Output.Warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("Reason: SYNTHETIC: replaced by a newer practice", afterWithdrawal.Output.Warnings[0], StringComparison.Ordinal);

        var dryRun = await Cli.SucceedAsync("practice", "erase", id, "--reason", "SYNTHETIC: published by mistake");
        Assert.Contains(dryRun.Output.Warnings, w => w.StartsWith($"Nothing was erased. With --yes this would erase practice {id} of NL", StringComparison.Ordinal));
        Assert.Equal(3, _nodes.Store.Documents[id].Count);
        await Cli.SucceedAsync("practice", "erase", id, "--reason", "SYNTHETIC: published by mistake", "--yes");

        var history = await Cli.SucceedAsync("practice", "history", id, "--node", "SE");
        var versions = history.Table($"History of practice {id} of NL, as SE holds it");
        Assert.Equal(DocumentTextHistoryHeaders, versions.Headers);
        Assert.Equal(["published", "published", "WITHDRAWN", "ERASED"], versions.Rows.Select(r => r[1]));
        Assert.Equal("SYNTHETIC: published by mistake", versions.Rows[3][3]);
        var erased = await Cli.RunAsync("practice", "show", id, "--file");
        Assert.Equal(ExitCodes.NotFound, erased.ExitCode);
        Assert.Contains("was erased by NL", erased.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AsAUserWithoutTheRapporteurRole_SaysPermissionDeniedAndWhichRoleItTakes()
    {
        var run = await Cli.RunAsync("practice", "publish", Write("p.md", SampleDocuments.Practices("SE")[0]), "--profile", "SE-referral_officer");

        Assert.Equal(ExitCodes.PermissionDenied, run.ExitCode);
        Assert.Contains("Permission denied: SE does not let se-referral-officer (role referral_officer) do this.", run.ErrorText, StringComparison.Ordinal);
        Assert.Contains("takes a rapporteur (or editor) account", run.ErrorText, StringComparison.Ordinal);
        Assert.Empty(_nodes.Store.Documents);
    }

    [Fact]
    public async Task Search_ShowsHitsWithMarkedWordsAndFacets_AndDidYouMeanWhenNothingMatches()
    {
        foreach (var country in new[] { "NL", "SE" })
        {
            foreach (var file in SampleDocuments.Practices(country).Take(6))
            {
                await Cli.SucceedAsync("practice", "publish", Write($"{country}.md", file), "--node", country);
            }
        }

        var run = await Cli.SucceedAsync("practice", "search", "SYNTHETIC", "--country", "nl,SE", "--limit", "5", "--node", "FI");

        var hits = run.Table("Practices on FI matching \"SYNTHETIC\"");
        Assert.Equal(SearchHeaders, hits.Headers);
        Assert.Equal(5, hits.Rows.Count);
        // English summaries hold the word; the others have it in their title only, and show the start of the summary.
        Assert.All(hits.Rows.Where(r => r[5] == "en"), r => Assert.Contains("**SYNTHETIC**", r[6], StringComparison.Ordinal));
        Assert.Contains(hits.Rows, r => r[5] == "en");
        var facets = run.Table("Facets: counts among all 12 hits");
        Assert.Equal("NL 6 · SE 6", facets.Cell("country", "values and counts"));
        Assert.Contains(run.Output.Lines, l => l == "Hits 1–5 of 12; '--offset 5' shows the next.");

        var none = await Cli.SucceedAsync("practice", "search", "labur inspecton");
        Assert.Contains(none.Output.Lines, l => l == "Did you mean: labour inspection?");
    }

    [Fact]
    public async Task Search_WrongFilterValues_NamesEveryOneAtOnceBeforeCallingTheNode()
    {
        var run = await Cli.RunAsync("practice", "search", "shelter", "--theme", "prevention,hope", "--grade", "GOOD", "--country", "XX", "--lang", "english", "--year", "1800", "--limit", "500");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        foreach (var expected in new[] { "--theme 'hope' is not one of", "--grade 'GOOD' is not an evidence grade; one of EMERGING, PROMISING, EVALUATED", "--country 'XX'", "--lang 'english'", "--year '1800'", "--limit is 500" })
        {
            Assert.Contains(expected, run.ErrorText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Attach_AnImage_PrintsTheLinesToPasteIntoThePracticeFile_AndATextFileIsRefusedHere()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];
        var image = _folder.Combine("leaflet.png");
        await File.WriteAllBytesAsync(image, png, TestContext.Current.CancellationToken);

        var run = await Cli.SucceedAsync("practice", "attach", image);

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png));
        Assert.Contains(run.Output.Lines, l => l == "- name: leaflet.png");
        Assert.Contains(run.Output.Lines, l => l == "  media_type: image/png");
        Assert.Contains(run.Output.Lines, l => l == $"  size: {png.Length}");
        Assert.Contains(run.Output.Lines, l => l == $"  sha256: {sha}");
        var saved = _folder.Combine("copy.png");
        await Cli.SucceedAsync("practice", "download", sha, "--out", saved, "--node", "SE");
        Assert.Equal(png, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));

        var text = Write("notes.pdf", "just some notes");
        var refused = await Cli.RunAsync("practice", "attach", text);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("cannot be attached", refused.ErrorText, StringComparison.Ordinal);
        Assert.Equal([sha], _nodes.Store.Attachments.Keys);
    }

    [Fact]
    public async Task Sync_AsTheAdmin_ShowsEachPeerWithCursorLagErrorsAndRefusals()
    {
        var run = await Cli.SucceedAsync("practice", "sync", "--now");

        var peers = run.Table("Peers NL replicates from (after pulling now)");
        Assert.Equal(["peer", "epoch", "cursor", "lag", "last success", "last attempt", "last error", "refused"], peers.Headers);
        Assert.Equal(["FI", "SE"], peers.Rows.Select(r => r[0]));
        Assert.Equal("7 of 9", peers.Cell("SE", "cursor"));
        Assert.Equal("2", peers.Cell("SE", "lag"));
        Assert.Equal("connection refused", peers.Cell("FI", "last error"));
        Assert.Contains(run.Output.Warnings, w => w.StartsWith("The last pull from FI failed", StringComparison.Ordinal));
        Assert.Contains(run.Output.Warnings, w => w.StartsWith("Versions from SE were refused", StringComparison.Ordinal));

        var json = await Cli.SucceedAsync("--json", "practice", "sync", "--node", "SE");
        Assert.Equal(2, json.Json.GetProperty("peers").GetArrayLength());
    }

    private static readonly string[] DocumentTextHistoryHeaders = ["version", "state", "signed", "reason", "stored", "from", "digest"];

    private static readonly string[] SearchHeaders = ["id", "country", "title", "grade", "year", "lang", "where it matches"];

    private string Write(string name, string text)
    {
        var path = _folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
