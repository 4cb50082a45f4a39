using NremNet.Cli.Cli;
using NremNet.Cli.Federation;
using NremNet.Cli.Practices;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Tests.Practices;

/// <summary>The practice verbs end to end, against real nodes NL, SE and FI that replicate between them (<see cref="TestNetwork"/>).</summary>
public sealed class PracticeCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly string[] SearchHeaders = ["id", "country", "title", "grade", "year", "lang", "where it matches"];

    private readonly TempFolder _folder = new();
    private TestNetwork? _network;

    private CliRunner Cli => _network?.Cli ?? new CliRunner(_folder.Combine("profiles.json"), log);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }

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
    public async Task Publish_ProblemsPersonalDataAndTheWrongRole_AreRefusedSayingWhatToDo_ThenThePracticeAndItsAttachmentReachThePeers()
    {
        await StartAsync();

        // A file with problems: each with its line and field, nothing published.
        var broken = PracticeFile.Example
            .Replace("  grade: PROMISING", "  grade: EXCELLENT", StringComparison.Ordinal)
            .Replace("themes: [prevention, protection, partnership]", "themes: [prevention, hope]", StringComparison.Ordinal);
        var problems = await Cli.RunAsync("practice", "publish", Write("broken.md", broken));
        Assert.Equal(ExitCodes.CheckFailed, problems.ExitCode);
        var table = problems.Table("Problems in broken.md");
        Assert.Equal(["line", "field", "problem"], table.Headers);
        Assert.Contains(table.Rows, r => r[1] == "themes[1]" && r[0] == "8" && r[2].Contains("'hope'", StringComparison.Ordinal));
        Assert.Contains(table.Rows, r => r[1] == "evidence.grade" && r[2].Contains("EXCELLENT", StringComparison.Ordinal));
        Assert.Contains(problems.Output.Errors, e => e.Contains("nothing was published", StringComparison.Ordinal));

        // Publishing takes a rapporteur.
        var officer = await Cli.RunAsync("practice", "publish", Write("p.md", SampleDocuments.Practices("SE")[0]), "--profile", "SE-referral_officer");
        Assert.Equal(ExitCodes.PermissionDenied, officer.ExitCode);
        Assert.Contains("Permission denied: SE does not let se-referral-officer (role referral_officer) do this.", officer.ErrorText, StringComparison.Ordinal);
        Assert.Contains("takes a rapporteur (or editor) account", officer.ErrorText, StringComparison.Ordinal);

        // An image stored on NL, to paste into the practice file; a file of no accepted type is refused before it is sent.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];
        var image = _folder.Combine("leaflet.png");
        await File.WriteAllBytesAsync(image, png, TestContext.Current.CancellationToken);
        var attached = await Cli.SucceedAsync("practice", "attach", image);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png));
        Assert.Contains(attached.Output.Lines, l => l == "- name: leaflet.png");
        Assert.Contains(attached.Output.Lines, l => l == "  media_type: image/png");
        Assert.Contains(attached.Output.Lines, l => l == $"  size: {png.Length}");
        Assert.Contains(attached.Output.Lines, l => l == $"  sha256: {sha}");
        var text = await Cli.RunAsync("practice", "attach", Write("notes.pdf", "just some notes"));
        Assert.Equal(ExitCodes.Usage, text.ExitCode);
        Assert.Contains("cannot be attached", text.ErrorText, StringComparison.Ordinal);

        // Personal data: each finding with its fingerprint, and the command that confirms them.
        var practice = PracticeFile.Parse(SampleDocuments.Practices("NL").First(f => f.Contains("language: en", StringComparison.Ordinal))).Value! with
        {
            Attachments = [new PracticeAttachment("leaflet.png", "image/png", png.Length, sha)],
        };
        var file = Write("personal.md", PracticeFile.Write(practice with { Body = practice.Body + "\n\nAsk the survivor Maria Lopez, maria.lopez@mail.example.com, how it went." }));
        var refused = await Cli.RunAsync("practice", "publish", file);
        Assert.Equal(ExitCodes.CheckFailed, refused.ExitCode);
        var findings = refused.Table("Possible personal data in personal.md");
        Assert.Equal(["line", "field", "looks like", "excerpt", "fingerprint"], findings.Headers);
        Assert.Equal(2, findings.Rows.Count);
        Assert.All(findings.Rows, r => Assert.Equal("body", r[1]));
        Assert.Contains(findings.Rows, r => r[2] == "e-mail address" && r[3].Contains('•') && !r[3].Contains("maria.lopez", StringComparison.Ordinal));
        Assert.Contains(findings.Rows, r => r[2] == "a person's name next to a case");
        var fingerprints = findings.Rows.Select(r => r[4]).ToList();
        Assert.Contains(refused.Output.Lines, l => l.Contains($"nremnet practice publish {file} --confirm {fingerprints[0]} --confirm {fingerprints[1]}", StringComparison.Ordinal));

        var partly = await Cli.RunAsync("practice", "publish", file, "--confirm", fingerprints[0], "--confirm", "not-a-finding");
        Assert.Equal(ExitCodes.CheckFailed, partly.ExitCode);
        Assert.Contains(partly.Output.Warnings, w => w.Contains("--confirm not-a-finding matches no finding", StringComparison.Ordinal));
        Assert.Single(partly.Table("Possible personal data in personal.md").Rows);
        Assert.Equal(0, (await _network!.HeldAsync("NL")).Practices);

        var published = await Cli.SucceedAsync("practice", "publish", file, "--confirm", string.Join(',', fingerprints));
        Assert.Contains(published.Output.Successes, s => s.StartsWith($"Published practice NL-PR-{DateTimeOffset.UtcNow.Year}-0001 (version 1) of NL: {practice.Title}", StringComparison.Ordinal));
        Assert.Contains(published.Output.Lines, l => l.Contains("2 personal-data findings confirmed by nl-rapporteur", StringComparison.Ordinal));
        var audit = await Cli.SucceedAsync("--json", "audit", "list", "--profile", "NL-admin", "--action", "document.personal-data-confirmed");
        var confirmation = Assert.Single(audit.Json.GetProperty("entries").EnumerateArray());
        Assert.Contains("nl-rapporteur", confirmation.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.All(fingerprints, f => Assert.Contains(f, confirmation.GetProperty("details").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain("maria", confirmation.GetProperty("details").GetString(), StringComparison.OrdinalIgnoreCase);

        // SE takes the practice, then its attachment, from NL.
        var saved = _folder.Combine("copy.png");
        await Eventually.UntilAsync(async () => (await Cli.RunAsync("practice", "download", sha, "--out", saved, "--node", "SE")).ExitCode == ExitCodes.Ok, "SE to fetch the attachment of NL's practice");
        Assert.Equal(png, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
        var shown = await Cli.SucceedAsync("practice", "show", $"NL-PR-{DateTimeOffset.UtcNow.Year}-0001", "--node", "SE");
        Assert.Contains(sha, shown.Table("Practice NL-PR-").Cell("attachments", "value"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishShowEditHistoryWithdrawErase_AsTheRapporteur_EachStepSaysWhatHappened_AndEveryNodeFollows()
    {
        await StartAsync();
        var sample = SampleDocuments.Practices("NL").First(f => f.Contains("language: nl", StringComparison.Ordinal));
        var practice = PracticeFile.Parse(sample).Value!;
        var published = await Cli.SucceedAsync("--json", "practice", "publish", Write("nl.md", sample));
        var version = published.Json.GetProperty("version");
        var id = version.GetProperty("documentId").GetString()!;
        Assert.Equal($"NL-PR-{DateTimeOffset.UtcNow.Year}-0001", id);
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.Equal("NL", version.GetProperty("ownerCountry").GetString());
        Assert.Equal("DOCUMENT_STATE_PUBLISHED", version.GetProperty("state").GetString());

        // Any user of any node reads it once its node has taken it, by its id as tables show it.
        await HeldAsync("SE", id, 1);
        var shown = await Cli.SucceedAsync("practice", "show", id.ToLowerInvariant(), "--node", "SE", "--lang", "en");
        var fields = shown.Table($"Practice {id} of NL");
        Assert.Equal(practice.Title, fields.Cell("title", "value"));
        Assert.Equal("NL — Netherlands", fields.Cell("owner", "value"));
        Assert.StartsWith("version 1 (current), published", fields.Cell("version", "value"), StringComparison.Ordinal);
        Assert.EndsWith("from its owner", fields.Cell("received", "value"), StringComparison.Ordinal);
        Assert.Equal("en (human translation)", fields.Cell("translations", "value"));
        Assert.StartsWith(EvidenceCatalogue.Code(practice.Evidence.Grade) + " — ", fields.Cell("evidence grade", "value"), StringComparison.Ordinal);
        Assert.Equal(8, shown.Table("Self-assessment behind").Rows.Count);
        Assert.Contains(shown.Output.Lines, l => l.StartsWith("── Translation into en (human translation)", StringComparison.Ordinal));
        Assert.Contains(shown.Output.Lines, l => l.Contains("SYNTHETISCHE voorbeeldinhoud", StringComparison.Ordinal) && !l.Contains("**", StringComparison.Ordinal));
        Assert.DoesNotContain(shown.Output.Lines, l => l.StartsWith("To edit:", StringComparison.Ordinal));

        // The file as published is the file sent, with the id the node gave it.
        var raw = await Cli.SucceedAsync("practice", "show", id, "--file");
        Assert.Equal(PracticeFile.Write(practice with { Id = id }), raw.Console);
        var own = await Cli.SucceedAsync("practice", "show", id);
        Assert.Contains(own.Output.Lines, l => l.Contains($"practice edit {id} practice.md --base-version 1", StringComparison.Ordinal));

        var edited = Write("edited.md", PracticeFile.Write(PracticeFile.Parse(raw.Console).Value! with { Summary = practice.Summary + " Bijgewerkt in 2026." }));
        var edit = await Cli.SucceedAsync("practice", "edit", id, edited, "--base-version", "1");
        Assert.Contains(edit.Output.Successes, s => s.StartsWith($"Published version 2 of practice {id}", StringComparison.Ordinal));
        var stale = await Cli.RunAsync("practice", "edit", id, edited, "--base-version", "1");
        Assert.Equal(ExitCodes.Conflict, stale.ExitCode);
        Assert.Contains("is at version 2, not 1", stale.ErrorText, StringComparison.Ordinal);

        await HeldAsync("SE", id, 2);
        var notOwner = await Cli.RunAsync("practice", "withdraw", id, "--reason", "not ours", "--node", "SE");
        Assert.Equal(ExitCodes.PermissionDenied, notOwner.ExitCode);
        Assert.Contains($"{id} belongs to NL", notOwner.ErrorText, StringComparison.Ordinal);

        var withdrawn = await Cli.SucceedAsync("practice", "withdraw", id, "--reason", "SYNTHETIC: replaced by a newer practice");
        Assert.Contains(withdrawn.Output.Successes, s => s.StartsWith($"Withdrew practice {id} (version 3", StringComparison.Ordinal));
        await HeldAsync("FI", id, 3);
        var afterWithdrawal = await Cli.SucceedAsync("practice", "show", id, "--node", "FI");
        Assert.StartsWith("WITHDRAWN by NL on ", afterWithdrawal.Output.Warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("Reason: SYNTHETIC: replaced by a newer practice", afterWithdrawal.Output.Warnings[0], StringComparison.Ordinal);

        var dryRun = await Cli.SucceedAsync("practice", "erase", id, "--reason", "SYNTHETIC: published by mistake");
        Assert.Contains(dryRun.Output.Warnings, w => w.StartsWith($"Nothing was erased. With --yes this would erase practice {id} of NL, \"{practice.Title}\", and its 3 versions", StringComparison.Ordinal));
        Assert.Equal(3, (await Cli.SucceedAsync("--json", "practice", "history", id)).Json.GetProperty("versions").GetArrayLength());
        await Cli.SucceedAsync("practice", "erase", id, "--reason", "SYNTHETIC: published by mistake", "--yes");

        // An erased practice is in no search, yet its history is found by its id on every node.
        await HeldAsync("SE", id, 4);
        var history = await Cli.SucceedAsync("practice", "history", id, "--node", "SE");
        var versions = history.Table($"History of practice {id} of NL, as SE holds it");
        Assert.Equal(DocumentText.HistoryHeaders, versions.Headers);
        Assert.Equal(["published", "published", "WITHDRAWN", "ERASED"], versions.Rows.Select(r => r[1]));
        Assert.Equal("SYNTHETIC: published by mistake", versions.Rows[3][3]);
        Assert.All(versions.Rows, r => Assert.Equal("NL", r[5]));
        Assert.StartsWith("ERASED by NL on ", history.Output.Warnings[0], StringComparison.Ordinal);
        var erased = await Cli.RunAsync("practice", "show", id, "--file", "--node", "SE");
        Assert.Equal(ExitCodes.NotFound, erased.ExitCode);
        Assert.Contains("was erased by NL", erased.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAndSync_TwelvePracticesOfNlAndSe_FoundOnFiWithMarkedWordsFacetsAndDidYouMean_AndEachPeersFeedShown()
    {
        await StartAsync();
        foreach (var country in new[] { "NL", "SE" })
        {
            foreach (var file in SampleDocuments.Practices(country).Take(6))
            {
                await Cli.SucceedAsync("practice", "publish", Write($"{country}.md", file), "--node", country);
            }
        }

        await Eventually.UntilAsync(async () => (await _network!.HeldAsync("FI")).Practices == 12, "FI to take NL's and SE's practices");
        var run = await Cli.SucceedAsync("practice", "search", "SYNTHETIC", "--query-lang", "en", "--country", "nl,SE", "--limit", "5", "--node", "FI");

        var hits = run.Table("Practices on FI matching \"SYNTHETIC\"");
        Assert.Equal(SearchHeaders, hits.Headers);
        Assert.Equal(5, hits.Rows.Count);
        Assert.All(hits.Rows, r => Assert.Matches(@"^(NL|SE)-PR-\d{4}-000[1-6]$", r[0]));
        Assert.All(hits.Rows, r => Assert.Contains("**", r[6], StringComparison.Ordinal));
        var facets = run.Table("Facets: counts among all 12 hits");
        Assert.Equal("NL 6 · SE 6", facets.Cell("country", "values and counts"));
        Assert.Contains(run.Output.Lines, l => l == "Hits 1–5 of 12; '--offset 5' shows the next.");

        // Misspelt words: the node corrects them from the words it indexes, and shows what the correction finds.
        var corrected = await Cli.SucceedAsync("practice", "search", "labur inspecton", "--query-lang", "en", "--node", "FI");
        Assert.Contains(corrected.Output.Lines, l => l == "No practice matches \"labur inspecton\"; showing results for \"labour inspector\".");
        var found = corrected.Table("Practices on FI matching \"labour inspector\"");
        Assert.NotEmpty(found.Rows);
        Assert.All(found.Rows, r => Assert.Contains("**Labour inspectors**", r[6], StringComparison.Ordinal));

        // NL's admin sees NL follow SE's and FI's feeds, each read to its end after pulling now.
        var sync = await Cli.SucceedAsync("practice", "sync", "--now");
        Assert.Contains(sync.Output.Lines, l => l.StartsWith("NL holds 12 practices, 0 questions and 0 answers; its own feed is at change ", StringComparison.Ordinal));
        var peers = sync.Table("Peers NL replicates from (after pulling now)");
        Assert.Equal(["peer", "epoch", "cursor", "lag", "last success", "last attempt", "last error", "refused"], peers.Headers);
        Assert.Equal(["FI", "SE"], peers.Rows.Select(r => r[0]));
        Assert.Matches(@"^(\d+) of \1$", peers.Cell("SE", "cursor"));
        Assert.Equal("0", peers.Cell("SE", "lag"));
        Assert.Equal("—", peers.Cell("SE", "last error"));
        Assert.Equal("0", peers.Cell("FI", "refused"));
        Assert.DoesNotContain(sync.Output.Warnings, w => w.StartsWith("The last pull from", StringComparison.Ordinal));

        var json = await Cli.SucceedAsync("--json", "practice", "sync", "--node", "SE");
        Assert.Equal(2, json.Json.GetProperty("peers").GetArrayLength());
        // Any user sees the status; pulling now takes an admin or a rapporteur.
        var status = await Cli.SucceedAsync("practice", "sync", "--profile", "SE-referral_officer");
        Assert.Equal(["FI", "NL"], status.Table("Peers SE replicates from").Rows.Select(r => r[0]));
        var refused = await Cli.RunAsync("practice", "sync", "--profile", "SE-referral_officer", "--now");
        Assert.Equal(ExitCodes.PermissionDenied, refused.ExitCode);
        Assert.Contains("Pulling from the peers now takes an admin (or rapporteur) account of the node", refused.ErrorText, StringComparison.Ordinal);
    }

    private async Task StartAsync() => _network = await TestNetwork.StartAsync(_folder, log, "NL", "SE", "FI");

    /// <summary>Waits until <paramref name="country"/> holds version <paramref name="version"/> of a document.</summary>
    private Task HeldAsync(string country, string id, int version) =>
        Eventually.UntilAsync(
            async () =>
            {
                var history = await Cli.RunAsync("--json", "practice", "history", id, "--node", country);
                return history.ExitCode == ExitCodes.Ok && history.Json.GetProperty("versions").GetArrayLength() == version;
            },
            $"{country} to hold version {version} of {id}");

    private string Write(string name, string text)
    {
        var path = _folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
