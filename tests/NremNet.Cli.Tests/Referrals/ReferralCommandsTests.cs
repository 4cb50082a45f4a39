using System.Text.Json;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Referrals;

/// <summary>The referral verbs end to end: NL's and SE's referral officers working one referral between two real nodes.</summary>
public sealed class ReferralCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly string SampleForm = RepositoryPaths.Combine("nodes", "samples", "referral-form.yaml");

    private readonly TempFolder _folder = new();
    private TestNetwork _network = null!;

    private CliRunner Cli => _network.Cli;

    public async ValueTask InitializeAsync() => _network = await TestNetwork.StartAsync(_folder, log);

    public async ValueTask DisposeAsync()
    {
        await _network.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task RoundTrip_NlSubmitsTheSample_SeAssessesAcceptsActivatesFollowsUpAndCloses_NlSeesEveryStepDelivered()
    {
        // No flags: the current profile is NL's admin, so the verbs run as NL's referral officer.
        var draft = await Cli.SucceedAsync("--json", "referral", "new", SampleForm);
        var referral = draft.Json.GetProperty("referral");
        var id = referral.GetProperty("header").GetProperty("referralId").GetString()!;
        Assert.Equal("REFERRAL_STATUS_DRAFT", referral.GetProperty("status").GetString());
        Assert.Equal("nl-referral-officer", referral.GetProperty("header").GetProperty("createdBy").GetString());
        Assert.Equal(0, referral.GetProperty("undelivered").GetInt32());
        var shortId = id[^8..];

        var submitted = await Cli.SucceedAsync("referral", "submit", shortId);
        Assert.Contains(submitted.Output.Successes, s => s.Contains($"Referral {id} (to SE) is now SUBMITTED", StringComparison.Ordinal));
        Assert.Contains(submitted.Output.Lines, l => l.Contains("NL nl-referral-officer DRAFT → SUBMITTED", StringComparison.Ordinal));

        // SE holds it once delivered, and acknowledges it by itself.
        await Eventually.UntilAsync(async () => await StatusAsync("SE", id) == "REFERRAL_STATUS_ACKNOWLEDGED", "SE to hold and acknowledge the referral");
        var incoming = await Cli.SucceedAsync("referral", "list", "--node", "SE", "--direction", "in");
        var table = incoming.Table("Referrals of SE");
        Assert.Equal(["id", "direction", "peer", "purpose", "urgency", "status", "updated", "undelivered"], table.Headers);
        Assert.Equal("in", table.Cell("…" + shortId, "direction"));
        Assert.Equal("NL", table.Cell("…" + shortId, "peer"));
        Assert.Equal("assistance", table.Cell("…" + shortId, "purpose"));
        Assert.Equal("urgent", table.Cell("…" + shortId, "urgency"));
        Assert.Equal("ACKNOWLEDGED", table.Cell("…" + shortId, "status"));

        // The sender may not make the receiver's moves; the node says which moves it may make.
        await Eventually.UntilAsync(async () => await StatusAsync("NL", id) == "REFERRAL_STATUS_ACKNOWLEDGED", "NL to hear SE acknowledge the referral");
        var notYours = await Cli.RunAsync("referral", "accept", id);
        Assert.Equal(ExitCodes.Conflict, notYours.ExitCode);
        Assert.Contains("from ACKNOWLEDGED the sending side may go to: WITHDRAWN", notYours.ErrorText, StringComparison.Ordinal);

        var noReason = await Cli.RunAsync("referral", "decline", id, "--node", "SE");
        Assert.NotEqual(ExitCodes.Ok, noReason.ExitCode);
        Assert.Contains("--reason", noReason.ErrorText, StringComparison.Ordinal);

        var assessed = await Cli.SucceedAsync("referral", "assess", id, "--profile", "SE-referral_officer");
        Assert.Contains(assessed.Output.Successes, s => s.Contains("(from NL) is now UNDER_ASSESSMENT", StringComparison.Ordinal));
        var tooEarly = await Cli.RunAsync("referral", "activate", id, "--node", "SE");
        Assert.Equal(ExitCodes.Conflict, tooEarly.ExitCode);
        Assert.Contains("UNDER_ASSESSMENT", tooEarly.ErrorText, StringComparison.Ordinal);
        Assert.Contains("ACCEPTED", tooEarly.ErrorText, StringComparison.Ordinal);

        await Cli.SucceedAsync("referral", "accept", id, "--node", "SE");
        var active = await Cli.SucceedAsync("--json", "referral", "activate", shortId, "--node", "SE");
        Assert.Equal("REFERRAL_STATUS_ACTIVE", active.Json.GetProperty("referral").GetProperty("status").GetString());

        var note = await Cli.SucceedAsync("referral", "note", id, "SYNTHETIC: the person arrived safely; shelter place confirmed.", "--node", "SE");
        Assert.Contains(note.Output.Successes, s => s.Contains("it has 1 note", StringComparison.Ordinal));
        await Cli.SucceedAsync("referral", "follow-up", id, "--node", "SE", "--reason", "SYNTHETIC: assistance under way");

        // The receiver reads the personal data; the read is audited on SE.
        var read = await Cli.SucceedAsync("referral", "read", id, "--node", "SE");
        Assert.Contains(read.Output.Warnings, w => w.Contains("recorded in SE's audit log as se-referral-officer", StringComparison.Ordinal));
        var personal = read.Table("Personal data of referral");
        Assert.Equal("Synthetic", personal.Cell("given_name", "value"));
        Assert.Equal("ro, en", personal.Cell("languages", "value"));
        Assert.Equal("medium", Assert.Single(read.Table("Safety risks").Rows)[0]);
        Assert.Equal(2, read.Table("Needs").Rows.Count);
        Assert.Contains("shelter place confirmed", Assert.Single(read.Table("Follow-up notes").Rows)[3], StringComparison.Ordinal);
        var audit = await Cli.SucceedAsync("--json", "audit", "list", "--profile", "SE-admin", "--action", "referral.read");
        Assert.Contains(audit.Json.GetProperty("entries").EnumerateArray(), e => e.GetProperty("target").GetString() == id && e.GetProperty("actor").GetString()!.Contains("se-referral-officer", StringComparison.Ordinal));

        var closed = await Cli.SucceedAsync("referral", "close", id, "--node", "SE");
        Assert.Contains(closed.Output.Successes, s => s.Contains("is now CLOSED", StringComparison.Ordinal));

        // NL follows every step, each of its own changes acknowledged by SE.
        await Eventually.UntilAsync(
            async () =>
            {
                var shown = await Cli.SucceedAsync("--json", "referral", "show", id);
                var r = shown.Json.GetProperty("referral");
                return r.GetProperty("status").GetString() == "REFERRAL_STATUS_CLOSED" && r.GetProperty("undelivered").GetInt32() == 0;
            },
            "NL to hear SE close the referral");
        var show = await Cli.SucceedAsync("referral", "show", shortId);
        var fields = show.Table($"Referral {id} to SE");
        Assert.Equal("CLOSED", fields.Cell("status", "value"));
        Assert.Equal("NL → SE (sent by this node)", fields.Cell("way", "value"));
        Assert.Equal("NL-SYN-0001", fields.Cell("person reference", "value"));
        Assert.Equal("identity, date_of_birth, contact, location, languages, health", fields.Cell("data carried", "value"));
        Assert.StartsWith("kept until ", fields.Cell("personal data", "value"), StringComparison.Ordinal);
        var history = show.Table("History of");
        Assert.Equal(["when", "country", "actor", "change", "reason", "delivered"], history.Headers);
        Assert.Equal(
            ["created (DRAFT)", "DRAFT → SUBMITTED", "SUBMITTED → ACKNOWLEDGED", "ACKNOWLEDGED → UNDER_ASSESSMENT", "UNDER_ASSESSMENT → ACCEPTED", "ACCEPTED → ACTIVE", "note", "ACTIVE → FOLLOW_UP", "FOLLOW_UP → CLOSED"],
            history.Rows.Select(r => r[3]));
        Assert.All(history.Rows.Where(r => r[1] == "SE"), r => Assert.Equal("received", r[5]));
        Assert.All(history.Rows.Where(r => r[1] == "NL" && r[3] != "created (DRAFT)"), r => Assert.Equal("yes", r[5]));
        Assert.Equal("—", history.Rows[0][5]);
        Assert.Equal("SYNTHETIC: assistance under way", history.Rows.Single(r => r[3] == "ACTIVE → FOLLOW_UP")[4]);

        var closedOut = await Cli.SucceedAsync("referral", "list", "--status", "closed,declined", "--peer", "se", "--purpose", "assistance");
        Assert.Equal("0", closedOut.Table("Referrals of NL").Cell("…" + shortId, "undelivered"));
        var none = await Cli.SucceedAsync("referral", "list", "--direction", "in");
        Assert.Contains(none.Output.Lines, l => l.Contains("No referral of NL matches", StringComparison.Ordinal));

        var outbox = await Cli.SucceedAsync("referral", "outbox", "--profile", "NL-admin");
        Assert.Contains(outbox.Output.Successes, s => s.Contains("The outbox of NL is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outbox_PeerDown_ShowsTheSubmissionWaiting_WithItsAttemptsAndLastError()
    {
        await _network.StopNodeAsync("SE");
        var draft = await Cli.SucceedAsync("--json", "referral", "new", RepositoryPaths.Combine("nodes", "samples", "referral-form.json"));
        var id = draft.Json.GetProperty("referral").GetProperty("header").GetProperty("referralId").GetString()!;
        await Cli.SucceedAsync("referral", "submit", id);

        JsonElement entry = default;
        await Eventually.UntilAsync(
            async () =>
            {
                var json = await Cli.SucceedAsync("--json", "referral", "outbox", "--peer", "SE");
                var entries = json.Json.GetProperty("entries").EnumerateArray().ToList();
                entry = entries.FirstOrDefault();
                return entries.Count == 1 && entry.GetProperty("attempts").GetInt32() >= 1 && entry.GetProperty("lastError").GetString()!.Length > 0;
            },
            "NL to try to deliver to the stopped SE");
        Assert.Equal(id, entry.GetProperty("referralId").GetString());
        Assert.Equal("submission", entry.GetProperty("kind").GetString());

        var outbox = await Cli.SucceedAsync("referral", "outbox", "--profile", "NL-admin");
        var table = outbox.Table("Outbox of NL");
        Assert.Equal(["message", "referral", "peer", "kind", "since", "attempts", "last error", "next attempt", "circuit"], table.Headers);
        var row = Assert.Single(table.Rows);
        Assert.Equal(["…" + id[^8..], "SE", "submission"], row.Skip(1).Take(3));
        Assert.NotEqual("—", row[6]);

        var list = await Cli.SucceedAsync("referral", "list");
        Assert.Equal("SUBMITTED", list.Table("Referrals of NL").Cell("…" + id[^8..], "status"));
        Assert.Equal("1", list.Table("Referrals of NL").Cell("…" + id[^8..], "undelivered"));
    }

    [Fact]
    public async Task New_FormOnlyTheNodeCanCheck_ShowsTheNodesProblemsAsATable()
    {
        // A profile whose node country is not known here: the sender's checks are left to the node.
        var officer = Cli.Profiles.Load().Profiles.Single(p => p.Name == "NL-referral_officer");
        Cli.Profiles.Upsert(officer with { Name = "NL-unnamed", Node = "?" }, makeCurrent: false);
        var form = _folder.Combine("from-se.yaml");
        await File.WriteAllTextAsync(
            form,
            File.ReadAllText(SampleForm).Replace("  country: NL", "  country: FI", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);

        var run = await Cli.RunAsync("referral", "new", form, "--profile", "NL-unnamed");

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        Assert.Contains(run.Output.Errors, e => e.Contains("The node refused from-se.yaml", StringComparison.Ordinal));
        Assert.Contains("is not NL", run.Table("Problems in from-se.yaml").Cell("sending_organisation.country", "problem"), StringComparison.Ordinal);
        var listed = await Cli.SucceedAsync("--json", "referral", "list");
        Assert.Equal(0, listed.Json.GetProperty("total").GetInt32());
    }

    private async Task<string?> StatusAsync(string node, string id)
    {
        var listed = await Cli.SucceedAsync("--json", "referral", "list", "--node", node);
        return listed.Json.GetProperty("referrals").EnumerateArray()
            .Where(r => r.GetProperty("header").GetProperty("referralId").GetString() == id)
            .Select(r => r.GetProperty("status").GetString())
            .FirstOrDefault();
    }
}
