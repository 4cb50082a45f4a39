using Google.Protobuf;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Referrals;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Hosting.Grpc;
using NremNet.Testing;

namespace NremNet.Cli.Tests.Referrals;

/// <summary>Referral form files read and checked on the command line: no node involved.</summary>
public sealed class ReferralFormFileTests(ITestOutputHelper log) : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_SampleFiles_YamlAndJsonGiveTheSameForm_WithNoProblemsAndConsentCoveringIt()
    {
        var yaml = ReferralFormFile.Read(RepositoryPaths.Combine("nodes", "samples", "referral-form.yaml"), NoInput);
        var json = ReferralFormFile.Read(RepositoryPaths.Combine("nodes", "samples", "referral-form.json"), NoInput);

        Assert.Empty(yaml.Check("NL", Today));
        Assert.Empty(json.Check("NL", Today));
        Assert.Empty(ReferralForms.Validate(yaml.Form, "NL", Today));
        Assert.Empty(yaml.ConsentProblems());
        Assert.Equal(yaml.Form, json.Form);
        Assert.Equal("SE", yaml.Form.ReceiverCountry);
        Assert.Equal(Purpose.Assistance, yaml.Form.Purpose);
        Assert.Equal(Phase.FirstAssistance, yaml.Form.Phase);
        Assert.Equal("NL-SYN-0001", yaml.Form.PersonReference);
        Assert.Equal("1998-04", yaml.Form.PersonalData.DateOfBirth);
        Assert.Equal(["ro", "en"], yaml.Form.PersonalData.Languages);
        Assert.Equal(RiskLevel.Medium, Assert.Single(yaml.Form.SafetyRisks).Level);
        Assert.All(yaml.Form.Needs, n => Assert.Contains("SYNTHETIC", n, StringComparison.Ordinal));
        Assert.Equal(ReferralForms.DistinctCategories(yaml.Form.PersonalData), yaml.Form.Consent.DataScope);
        var retention = DateOnly.ParseExact(yaml.Form.RetentionUntil, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retention, Today.AddYears(1), Today.AddYears(10));
    }

    [Fact]
    public void Parse_SameFormInYamlAndJson_GivesEqualForms_AttachmentsReadRelativeToTheFormFile()
    {
        var folder = _folder.Combine("forms");
        System.IO.Directory.CreateDirectory(Path.Combine(folder, "files"));
        File.WriteAllBytes(Path.Combine(folder, "files", "intake.pdf"), [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);
        var yaml = ReferralFormFile.Parse(
            """
            receiver_country: SE
            phase: return
            purpose: safe_return
            urgency: immediate
            sending_organisation: {name: Synthetic NGO NL, country: NL}
            receiving_organisation: {name: Synthetic shelter SE}
            person_reference: NL-SYN-0002
            personal_data:
              given_name: 'Synthetic'
              citizenship: NO
              date_of_birth: 1990
              languages: [nb]
              family: "sister in Bergen (synthetic)"
            needs: []
            safety_risks: [{description: none known (synthetic), level: low}]
            consent: {given: true, date: 2026-11-01, data_scope: [identity, date_of_birth, languages, family], recipient_countries: [SE], explained_in_language: nb, withdrawal_explained: true}
            legal_basis: synthetic basis
            retention_until: 2027-11-30
            attachments:
              - {path: files/intake.pdf, media_type: application/pdf}
            """,
            json: false,
            folder);
        var json = ReferralFormFile.Parse(
            """
            {
              "$comment": "synthetic",
              "receiver_country": "SE", "phase": "return", "purpose": "safe_return", "urgency": "immediate",
              "sending_organisation": {"name": "Synthetic NGO NL", "country": "NL"},
              "receiving_organisation": {"name": "Synthetic shelter SE"},
              "person_reference": "NL-SYN-0002",
              "personal_data": {"given_name": "Synthetic", "citizenship": "NO", "date_of_birth": "1990", "languages": ["nb"], "family": "sister in Bergen (synthetic)"},
              "needs": [],
              "safety_risks": [{"description": "none known (synthetic)", "level": "low"}],
              "consent": {"given": true, "date": "2026-11-01", "data_scope": ["identity", "date_of_birth", "languages", "family"], "recipient_countries": ["SE"], "explained_in_language": "nb", "withdrawal_explained": true},
              "legal_basis": "synthetic basis",
              "retention_until": "2027-11-30",
              "attachments": [{"path": "files/intake.pdf", "media_type": "application/pdf"}]
            }
            """,
            json: true,
            folder);

        Assert.Empty(yaml.Check("NL", Today));
        Assert.Empty(json.Check("NL", Today));
        Assert.Equal(yaml.Form, json.Form);

        // YAML 1.2 core schema: NO is text (not false as in YAML 1.1), and a number where text is expected is taken as written.
        Assert.Equal("NO", yaml.Form.PersonalData.Citizenship);
        Assert.Equal("1990", yaml.Form.PersonalData.DateOfBirth);
        Assert.Equal(Purpose.SafeReturn, yaml.Form.Purpose);
        Assert.Equal(Urgency.Immediate, yaml.Form.Urgency);
        var attachment = Assert.Single(yaml.Form.Attachments);
        Assert.Equal("intake.pdf", attachment.Name);
        Assert.Equal("application/pdf", attachment.MediaType);
        Assert.Equal(ByteString.CopyFrom(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31), attachment.Content);
    }

    [Fact]
    public void Check_FormWithManyProblems_ReportsEveryOneAtOnce_EachFieldOnce()
    {
        var reading = ReferralFormFile.Parse(
            """
            receiver_country: SE
            phase: first_assistance
            purpose: save_return
            urgency: urgent
            sending_organisation: {name: Synthetic NGO NL, country: NL, fax: "+31 0"}
            receiving_organisation: Synthetic shelter SE
            person_reference: Jane Doe
            personal_data: {given_name: Synthetic, sex: female, languages: ro}
            nickname: Syn
            needs: shelter
            safety_risks:
              - {description: exploiter nearby (synthetic), level: severe}
              - [not, a, risk]
            consent: {given: "yes", data_scope: [identity, shoe_size], recipient_countries: [SE]}
            legal_basis: synthetic basis
            retention_until: 2026-01-01
            attachments:
              - {path: missing.pdf, media_type: application/pdf}
              - {media_type: application/pdf, size: 3}
            """,
            json: false,
            _folder.Path);

        var problems = reading.Check("NL", Today);
        log.WriteLine(string.Join(Environment.NewLine, problems));

        var expected = new Dictionary<string, string>
        {
            ["purpose"] = "'save_return' is not one of assistance, risk_assessment, safe_return",
            ["sending_organisation.fax"] = "unknown field; sending_organisation has: name, unit, country, email, phone",
            ["receiving_organisation"] = "a mapping of name, unit, country, email, phone is expected, not the text 'Synthetic shelter SE'",
            ["person_reference"] = "a pseudonym, never a name",
            ["personal_data.sex"] = "'female' is not F, M or X",
            ["personal_data.languages"] = "a list is expected, not the text 'ro'",
            ["nickname"] = "unknown field; a referral form has: receiver_country, phase",
            ["needs"] = "a list is expected, not the text 'shelter'",
            ["safety_risks[0].level"] = "'severe' is not one of low, medium, high",
            ["safety_risks[1]"] = "a mapping of description, level is expected, not a list",
            ["consent.given"] = "true or false is expected, not the text 'yes'",
            ["consent.data_scope[1]"] = "'shoe_size' is not one of identity, date_of_birth",
            ["retention_until"] = "2026-01-01 is not after today (2026-11-22)",
            ["attachments[0].path"] = "there is no file " + _folder.Combine("missing.pdf"),
            ["attachments[1].size"] = "unknown field; an attachment has: path (relative to the form file), media_type",
            ["attachments[1].path"] = "required: the file to attach",
        };
        foreach (var (field, problem) in expected)
        {
            var found = problems.Where(p => p.Field == field).ToList();
            Assert.True(found.Count == 1, $"{field}: expected one problem, found {found.Count}: {string.Join("; ", found)}");
            Assert.Contains(problem, found[0].Problem, StringComparison.Ordinal);
        }

        // A problem found while reading is not repeated by the form rules for the same field or what it holds.
        Assert.DoesNotContain(problems, p => p.Field.StartsWith("receiving_organisation.", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Field.StartsWith("safety_risks[1].", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Field.StartsWith("attachments[0].", StringComparison.Ordinal) && p.Field != "attachments[0].path");
        Assert.Equal(problems.Count, problems.Select(p => p.Field).Distinct().Count());
    }

    [Theory]
    [InlineData("receiver_country: SE\nphase: [first\n", false, "not valid YAML at line")]
    [InlineData("{\"receiver_country\": \"SE\",}", true, "not valid JSON")]
    [InlineData("- receiver_country: SE\n", false, "the form is a list; it must be a mapping of fields")]
    [InlineData("a: 1\n---\nb: 2\n", false, "2 YAML documents")]
    public void Parse_UnreadableOrShapelessFile_IsOneProblemOfTheWholeForm_WithoutTheRulesRepeatingEveryField(string text, bool json, string problem)
    {
        var problems = ReferralFormFile.Parse(text, json, _folder.Path).Check("NL", Today);

        var only = Assert.Single(problems);
        Assert.Contains(problem, only.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"purpose": "assistance", "purpose": "safe_return"}""", true)]
    [InlineData("purpose: assistance\npurpose: safe_return\n", false)]
    public void Parse_KeyGivenTwice_IsAProblem(string text, bool json)
    {
        var reading = ReferralFormFile.Parse(text, json, _folder.Path);

        var problem = Assert.Single(reading.Problems);
        Assert.Contains("purpose", problem.ToString(), StringComparison.Ordinal);
        Assert.Contains(json ? "given twice" : "Duplicate key", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SenderUnknownHere_LeavesTheSendersCountryToTheNode()
    {
        var reading = ReferralFormFile.Read(RepositoryPaths.Combine("nodes", "samples", "referral-form.yaml"), NoInput);

        Assert.Empty(reading.Check(null, Today));
        Assert.Contains(reading.Check("FI", Today), p => p.Field == "sending_organisation.country" && p.Problem.Contains("is not FI", StringComparison.Ordinal));
    }

    [Fact]
    public void ConsentProblems_ConsentNotCoveringReceiverOrData_AreNamed_ButTheFormIsValid()
    {
        var text = File.ReadAllText(RepositoryPaths.Combine("nodes", "samples", "referral-form.yaml"))
            .Replace("recipient_countries: [SE]", "recipient_countries: [FI]", StringComparison.Ordinal)
            .Replace("data_scope: [identity, date_of_birth, contact, location, languages, health]", "data_scope: [identity]", StringComparison.Ordinal);

        var reading = ReferralFormFile.Parse(text, json: false, _folder.Path);

        Assert.Empty(reading.Check("NL", Today));
        var consent = reading.ConsentProblems();
        Assert.Contains(consent, p => p.Field == "consent.recipient_countries" && p.Problem.Contains("SE", StringComparison.Ordinal));
        Assert.Contains(consent, p => p.Field == "consent.data_scope" && p.Problem.Contains("date_of_birth, contact, location, languages, health", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_UnknownExtensionOrMissingFile_SaysWhatIsExpected()
    {
        var extension = Assert.Throws<CliException>(() => ReferralFormFile.Read(_folder.Combine("form.txt"), NoInput));
        Assert.Equal(ExitCodes.Usage, extension.ExitCode);
        Assert.Contains(".yaml, .yml or .json", extension.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<CliException>(() => ReferralFormFile.Read(_folder.Combine("form.yaml"), NoInput));
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
    }

    [Fact]
    public void Read_Dash_ReadsJsonFromStandardInput()
    {
        var sample = File.ReadAllText(RepositoryPaths.Combine("nodes", "samples", "referral-form.json"));

        var reading = ReferralFormFile.Read("-", () => new StringReader(sample));

        Assert.Empty(reading.Check("NL", Today));
        Assert.Equal("NL-SYN-0001", reading.Form.PersonReference);
    }

    [Fact]
    public async Task New_FormWithProblems_ListsThemAndExitsCheckFailed_WithoutCallingTheNode()
    {
        // The profile names a node nobody listens at and a CA file that does not exist: any call would fail otherwise.
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);
        cli.Profiles.Upsert(
            new Profile { Name = "NL-referral_officer", Node = "NL", Url = $"https://127.0.0.1:{Eventually.FreePort()}", Roles = ["referral_officer"], Username = "nl-officer", Token = "unused", CaFile = _folder.Combine("no-ca.crt") },
            makeCurrent: true);
        var form = _folder.Combine("bad.yaml");
        await File.WriteAllTextAsync(
            form,
            File.ReadAllText(RepositoryPaths.Combine("nodes", "samples", "referral-form.yaml"))
                .Replace("purpose: assistance", "purpose: shelter", StringComparison.Ordinal)
                .Replace("receiver_country: SE", "receiver_country: NL", StringComparison.Ordinal)
                .Replace("recipient_countries: [SE]", "recipient_countries: [FI]", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);

        var run = await cli.RunAsync("referral", "new", form);

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        var table = run.Table("Problems in bad.yaml");
        Assert.Equal(["field", "problem"], table.Headers);
        Assert.Contains("'shelter' is not one of", table.Cell("purpose", "problem"), StringComparison.Ordinal);
        Assert.Contains("NL is this node's own", table.Cell("receiver_country", "problem"), StringComparison.Ordinal);
        Assert.Contains(run.Output.Errors, e => e.Contains("nothing was saved", StringComparison.Ordinal));
        Assert.Contains(run.Output.Warnings, w => w.StartsWith("It cannot be submitted until consent.recipient_countries is right", StringComparison.Ordinal));

        var json = await cli.RunAsync("--json", "referral", "new", form);
        Assert.Equal(ExitCodes.CheckFailed, json.ExitCode);
        Assert.False(json.Json.GetProperty("saved").GetBoolean());
        Assert.Equal(table.Rows.Count, json.Json.GetProperty("problems").GetArrayLength());
        Assert.Equal(["receiver_country", "purpose", "receiving_organisation.country"], json.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()));
    }

    [Fact]
    public void NodeProblems_InvalidArgument_AreTheFieldViolations_ElseTheFieldLinesOfTheMessage()
    {
        var rich = RichErrors.InvalidArgument("The referral form", [("purpose", "required: one of assistance"), ("safety_risks[0].level", "required: one of low, medium, high")]);
        Assert.Equal(
            [new FormProblem("purpose", "required: one of assistance"), new FormProblem("safety_risks[0].level", "required: one of low, medium, high")],
            NewReferralCommand.NodeProblems(rich));

        var plain = new RpcException(new Status(StatusCode.InvalidArgument, "The referral form has 2 problems:\n- sending_organisation.country: 'SE' is not NL\npersonal_data.languages[1]: 'xx1' is not an ISO 639-1 code\n"));
        Assert.Equal(
            [new FormProblem("sending_organisation.country", "'SE' is not NL"), new FormProblem("personal_data.languages[1]", "'xx1' is not an ISO 639-1 code")],
            NewReferralCommand.NodeProblems(plain));
    }

    private static TextReader NoInput() => throw new InvalidOperationException("No standard input in this test.");
}
