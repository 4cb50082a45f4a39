using Google.Protobuf;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralFormsTests
{
    private const string Sender = "NL";
    private static readonly DateOnly Today = new(2026, 3, 15);
    private const int MiB = 1024 * 1024;

    private static readonly Dictionary<string, (Action<ReferralForm> Break, (string Field, string Says)[] Expected)> Faults = new(StringComparer.Ordinal)
    {
        ["receiver missing"] = (f => f.ReceiverCountry = "", [("receiver_country", "required: the ISO 3166-1 alpha-2 code")]),
        ["receiver not a code"] = (f => f.ReceiverCountry = "Sweden", [("receiver_country", "'Sweden' is not an ISO 3166-1 alpha-2 country code")]),
        ["receiver lower case"] = (f => f.ReceiverCountry = "se", [("receiver_country", "'se' is not an ISO 3166-1 alpha-2 country code")]),
        ["receiver unknown"] = (f => f.ReceiverCountry = "ZZ", [("receiver_country", "'ZZ' is not")]),
        ["receiver own country"] = (f =>
        {
            f.ReceiverCountry = "NL";
            f.ReceivingOrganisation.Country = "NL";
        }, [("receiver_country", "a referral goes to another country; NL is this node's own")]),
        ["phase missing"] = (f => f.Phase = Phase.Unspecified, [("phase", "required: one of identification")]),
        ["phase undefined"] = (f => f.Phase = (Phase)77, [("phase", "required: one of")]),
        ["purpose missing"] = (f => f.Purpose = Purpose.Unspecified, [("purpose", "required: one of assistance")]),
        ["urgency missing"] = (f => f.Urgency = Urgency.Unspecified, [("urgency", "required: one of routine, urgent, immediate")]),
        ["sending organisation missing"] = (f => f.SendingOrganisation = null, [("sending_organisation", "required")]),
        ["sending organisation unnamed"] = (f => f.SendingOrganisation.Name = " ", [("sending_organisation.name", "required")]),
        ["sending organisation abroad"] = (f => f.SendingOrganisation.Country = "BE", [("sending_organisation.country", "'BE' is not NL")]),
        ["receiving organisation elsewhere"] = (f => f.ReceivingOrganisation.Country = "NO", [("receiving_organisation.country", "'NO' is not SE")]),
        ["sending organisation bad email"] = (f => f.SendingOrganisation.Email = "trm at comensha.example", [("sending_organisation.email", "'trm at comensha.example' is not an e-mail address")]),
        ["receiving organisation bad email"] = (f => f.ReceivingOrganisation.Email = "nmr@localhost", [("receiving_organisation.email", "is not an e-mail address")]),
        ["person reference missing"] = (f => f.PersonReference = "", [("person_reference", "required")]),
        ["person reference with spaces"] = (f => f.PersonReference = "Ana Popescu", [("person_reference", "a pseudonym, never a name")]),
        ["person reference too short"] = (f => f.PersonReference = "N1", [("person_reference", "3 to 64")]),
        ["sex Q"] = (f => f.PersonalData.Sex = "Q", [("personal_data.sex", "'Q' is not F, M or X")]),
        ["citizenship ZZ"] = (f => f.PersonalData.Citizenship = "ZZ", [("personal_data.citizenship", "'ZZ' is not an ISO 3166-1 alpha-2 country code")]),
        ["born tomorrow"] = (f => f.PersonalData.DateOfBirth = "2026-03-16", [("personal_data.date_of_birth", "2026-03-16 is not a possible date of birth")]),
        ["born next month"] = (f => f.PersonalData.DateOfBirth = "2026-04", [("personal_data.date_of_birth", "not a possible date of birth")]),
        ["born next year"] = (f => f.PersonalData.DateOfBirth = "2027", [("personal_data.date_of_birth", "not a possible date of birth")]),
        ["born 1890"] = (f => f.PersonalData.DateOfBirth = "1890", [("personal_data.date_of_birth", "not a possible date of birth")]),
        ["birth date bad format"] = (f => f.PersonalData.DateOfBirth = "16/04/1998", [("personal_data.date_of_birth", "'16/04/1998' is not YYYY, YYYY-MM or YYYY-MM-DD")]),
        ["birth date no such day"] = (f => f.PersonalData.DateOfBirth = "1998-02-30", [("personal_data.date_of_birth", "is not YYYY, YYYY-MM or YYYY-MM-DD")]),
        ["birth month 13"] = (f => f.PersonalData.DateOfBirth = "1998-13", [("personal_data.date_of_birth", "is not YYYY, YYYY-MM or YYYY-MM-DD")]),
        ["language RO"] = (f => f.PersonalData.Languages.Add("RO"), [("personal_data.languages[2]", "'RO' is not an ISO 639-1 code")]),
        ["given name with a control character"] = (f => f.PersonalData.GivenName = "Ana\u0007", [("personal_data.given_name", "contains control characters")]),
        ["family too long"] = (f =>
        {
            f.Purpose = Purpose.FamilyTracing;
            f.PersonalData.Contact = "";
            f.PersonalData.Family = new string('f', 4001);
            f.Consent.DataScope.Add(DataCategory.Family);
        }, [("personal_data.family", "4001 characters; at most 4000")]),
        ["contact for an information request"] = (f =>
        {
            f.Purpose = Purpose.InformationRequest;
            f.PersonalData.Languages.Clear();
        }, [("personal_data.contact", "contact data is not needed for purpose information_request: leave it out (data minimisation); this purpose may carry identity, date_of_birth, proceedings")]),
        ["health for family tracing"] = (f =>
        {
            f.Purpose = Purpose.FamilyTracing;
            f.PersonalData.Contact = "";
            f.PersonalData.Health = "diabetic";
        }, [("personal_data.health", "health data is not needed for purpose family_tracing")]),
        ["need blank"] = (f => f.Needs.Add(" "), [("needs[2]", "required")]),
        ["no safety risks"] = (f => f.SafetyRisks.Clear(), [("safety_risks", "safety risks are always shared")]),
        ["safety risk without level"] = (f => f.SafetyRisks[0].Level = RiskLevel.Unspecified, [("safety_risks[0].level", "required: one of low, medium, high")]),
        ["safety risk without description"] = (f => f.SafetyRisks[0].Description = "", [("safety_risks[0].description", "required")]),
        ["consent missing"] = (f => f.Consent = null, [("consent", "required: the consent record")]),
        ["consent dated tomorrow"] = (f => f.Consent.Date = "2026-03-16", [("consent.date", "2026-03-16 is in the future")]),
        ["consent date bad format"] = (f => f.Consent.Date = "10.03.2026", [("consent.date", "'10.03.2026' is not a date YYYY-MM-DD")]),
        ["consent undated"] = (f => f.Consent.Date = "", [("consent.date", "required when consent is given")]),
        ["consent language RO"] = (f => f.Consent.ExplainedInLanguage = "RO", [("consent.explained_in_language", "'RO' is not an ISO 639-1 code")]),
        ["consent recipient not a code"] = (f => f.Consent.RecipientCountries.Add("Sweden"), [("consent.recipient_countries[1]", "'Sweden' is not an ISO 3166-1 alpha-2 country code")]),
        ["consent scope unspecified"] = (f => f.Consent.DataScope.Add(DataCategory.Unspecified), [("consent.data_scope[4]", "not a kind of data")]),
        ["legal basis missing"] = (f => f.LegalBasis = "", [("legal_basis", "required: e.g. GDPR")]),
        ["retention missing"] = (f => f.RetentionUntil = "", [("retention_until", "required")]),
        ["retention today"] = (f => f.RetentionUntil = "2026-03-15", [("retention_until", "2026-03-15 is not after today (2026-03-15)")]),
        ["retention past"] = (f => f.RetentionUntil = "2025-12-31", [("retention_until", "2025-12-31 is not after today (2026-03-15)")]),
        ["retention over ten years"] = (f => f.RetentionUntil = "2036-03-16", [("retention_until", "2036-03-16 is more than 10 years away")]),
        ["retention bad format"] = (f => f.RetentionUntil = "15 March 2028", [("retention_until", "'15 March 2028' is not a date YYYY-MM-DD")]),
        ["six attachments"] = (f =>
        {
            for (var i = 0; i < 5; i++)
            {
                f.Attachments.Add(File($"note-{i}.txt", "text/plain", 10));
            }
        }, [("attachments", "6 attachments; at most 5 are allowed")]),
        ["attachment too big"] = (f => f.Attachments.Add(File("scan.jpg", "image/jpeg", MiB + 1)), [("attachments[1].content", "1,048,577 bytes; at most 1,048,576 per attachment")]),
        ["attachment empty"] = (f => f.Attachments.Add(File("empty.pdf", "application/pdf", 0)), [("attachments[1].content", "the file is empty")]),
        ["attachment name with a path"] = (f => f.Attachments.Add(File("../etc/passwd", "text/plain", 5)), [("attachments[1].name", "without '/'")]),
        ["attachment name with a backslash"] = (f => f.Attachments.Add(File("c:\\report.pdf", "application/pdf", 5)), [("attachments[1].name", "a file name")]),
        ["attachment unnamed"] = (f => f.Attachments.Add(File("", "application/pdf", 5)), [("attachments[1].name", "a file name of 1 to 200 characters")]),
        ["attachment bad media type"] = (f => f.Attachments.Add(File("report.pdf", "PDF", 5)), [("attachments[1].media_type", "'PDF' is not a media type")]),
        ["attachments too big together"] = (f =>
        {
            f.Attachments.Add(File("a.pdf", "application/pdf", MiB));
            f.Attachments.Add(File("b.pdf", "application/pdf", MiB));
        }, [("attachments", "2,099,200 bytes in all; at most 2,097,152")]),
    };

    public static TheoryData<string> FaultNames() => [.. Faults.Keys];

    [Fact]
    public void Validate_CompleteForm_HasNoProblems()
    {
        var form = ValidForm();

        Assert.Empty(ReferralForms.Validate(form, Sender, Today));
        Assert.Empty(ReferralForms.ConsentProblems(form.Consent, form.ReceiverCountry, ReferralForms.DistinctCategories(form.PersonalData)));
    }

    [Fact]
    public void Validate_Boundaries_AreAllowed()
    {
        var form = ValidForm();
        form.RetentionUntil = "2036-03-15";
        form.Consent.Date = "2026-03-15";
        form.PersonalData.DateOfBirth = "2026-03";
        form.PersonReference = "N-1";
        form.Attachments.Clear();
        form.Attachments.Add(File("a.pdf", "application/pdf", MiB));
        form.Attachments.Add(File("b.pdf", "application/pdf", MiB));
        for (var i = 0; i < 3; i++)
        {
            form.Attachments.Add(File($"c{i}.txt", "text/plain", 0));
        }

        var problems = ReferralForms.Validate(form, Sender, Today);

        // Only the three empty files: five attachments and exactly 2 MiB in all are allowed.
        Assert.Equal(["attachments[2].content", "attachments[3].content", "attachments[4].content"], problems.Select(p => p.Field));
    }

    [Theory]
    [MemberData(nameof(FaultNames))]
    public void Validate_OneFault_IsReportedOnItsField(string fault)
    {
        var (breakIt, expected) = Faults[fault];
        var form = ValidForm();
        breakIt(form);

        var problems = ReferralForms.Validate(form, Sender, Today);

        Assert.Equal(expected.Select(e => e.Field), problems.Select(p => p.Field));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Contains(expected[i].Says, problems[i].Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ManyFaults_ReportsEveryOneAtOnce()
    {
        var form = ValidForm();
        form.ReceiverCountry = "NL";
        form.Phase = Phase.Unspecified;
        form.Purpose = Purpose.InformationRequest;
        form.Urgency = Urgency.Unspecified;
        form.SendingOrganisation.Country = "BE";
        form.SendingOrganisation.Email = "not-an-email";
        form.PersonReference = "Ana Popescu";
        form.PersonalData.Sex = "Q";
        form.PersonalData.Citizenship = "ZZ";
        form.PersonalData.DateOfBirth = "2030-01-01";
        form.PersonalData.Languages[1] = "RO";
        form.SafetyRisks.Clear();
        form.Consent.Date = "2026-04-01";
        form.RetentionUntil = "2040-01-01";
        form.Attachments.Clear();
        form.Attachments.Add(File("empty.pdf", "application/pdf", 0));
        form.Attachments.Add(File("dir/evil.pdf", "PDF", 10));
        form.Attachments.Add(File("big.bin", "application/octet-stream", MiB + 1));
        form.Attachments.Add(File("a.pdf", "application/pdf", MiB));
        form.Attachments.Add(File("b.pdf", "application/pdf", MiB));
        form.Attachments.Add(File("c.pdf", "application/pdf", 1));

        var problems = ReferralForms.Validate(form, Sender, Today);

        (string Field, string Says)[] expected =
        [
            ("receiver_country", "NL is this node's own"),
            ("phase", "required"),
            ("urgency", "required"),
            ("sending_organisation.country", "'BE' is not NL"),
            ("sending_organisation.email", "'not-an-email' is not an e-mail address"),
            ("receiving_organisation.country", "'SE' is not NL"),
            ("person_reference", "never a name"),
            ("personal_data.sex", "'Q'"),
            ("personal_data.citizenship", "'ZZ'"),
            ("personal_data.date_of_birth", "2030-01-01 is not a possible date of birth"),
            ("personal_data.languages[1]", "'RO'"),
            ("personal_data.contact", "contact data is not needed for purpose information_request"),
            ("personal_data.languages", "languages data is not needed for purpose information_request"),
            ("safety_risks", "always shared"),
            ("consent.date", "2026-04-01 is in the future"),
            ("retention_until", "more than 10 years away"),
            ("attachments", "6 attachments; at most 5"),
            ("attachments[0].content", "the file is empty"),
            ("attachments[1].name", "a file name"),
            ("attachments[1].media_type", "'PDF'"),
            ("attachments[2].content", "1,048,577 bytes"),
            ("attachments", "3,145,740 bytes in all"),
        ];
        Assert.Equal(expected.Select(e => e.Field).Order(StringComparer.Ordinal), problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        foreach (var (field, says) in expected)
        {
            Assert.Contains(problems, p => p.Field == field && p.Problem.Contains(says, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FormProblem_ToString_IsFieldColonProblem()
    {
        Assert.Equal("consent.date: 2026-04-01 is in the future", new FormProblem("consent.date", "2026-04-01 is in the future").ToString());
    }

    [Fact]
    public void ConsentProblems_AllGood_IsEmpty()
    {
        var consent = ValidForm().Consent;

        Assert.Empty(ReferralForms.ConsentProblems(consent, "SE", [DataCategory.Identity, DataCategory.Contact, DataCategory.Identity]));
        Assert.Empty(ReferralForms.ConsentProblems(consent, "SE", []));
    }

    [Fact]
    public void ConsentProblems_NotGiven_IsTheOnlyProblem()
    {
        var consent = ValidForm().Consent;
        consent.Given = false;
        consent.WithdrawalExplained = false;

        var problem = Assert.Single(ReferralForms.ConsentProblems(consent, "DK", [DataCategory.Health]));
        Assert.Equal("consent.given", problem.Field);
        Assert.Contains("no referral is submitted without consent", problem.Problem, StringComparison.Ordinal);

        Assert.Equal("consent.given", Assert.Single(ReferralForms.ConsentProblems(null, "SE", [])).Field);
    }

    [Fact]
    public void ConsentProblems_ReceiverNotARecipient_NamesTheCountriesCovered()
    {
        var consent = ValidForm().Consent;
        consent.RecipientCountries.Clear();
        consent.RecipientCountries.Add("DE");
        consent.RecipientCountries.Add("DK");

        var problem = Assert.Single(ReferralForms.ConsentProblems(consent, "SE", [DataCategory.Identity]));

        Assert.Equal(new FormProblem("consent.recipient_countries", "the consent does not cover sending to SE (it covers: DE, DK)"), problem);

        consent.RecipientCountries.Clear();
        Assert.Equal("the consent does not cover sending to SE (it covers: no country)", Assert.Single(ReferralForms.ConsentProblems(consent, "SE", [])).Problem);
    }

    [Fact]
    public void ConsentProblems_CarriedCategoryOutsideTheScope_IsNamed()
    {
        var consent = ValidForm().Consent;

        var problem = Assert.Single(ReferralForms.ConsentProblems(consent, "SE",
            [DataCategory.Health, DataCategory.Identity, DataCategory.HomeRegion, DataCategory.Health, DataCategory.Contact]));

        Assert.Equal(new FormProblem("consent.data_scope", "the consent does not cover the kinds of data the referral carries: home_region, health"), problem);
    }

    [Fact]
    public void ConsentProblems_WithdrawalNotExplained_IsReported()
    {
        var consent = ValidForm().Consent;
        consent.WithdrawalExplained = false;

        var problem = Assert.Single(ReferralForms.ConsentProblems(consent, "SE", [DataCategory.Identity]));

        Assert.Equal("consent.withdrawal_explained", problem.Field);
        Assert.Contains("withdraw consent at any time", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsentProblems_SeveralFaults_AreAllReported()
    {
        var consent = ValidForm().Consent;
        consent.WithdrawalExplained = false;

        var problems = ReferralForms.ConsentProblems(consent, "FI", [DataCategory.Proceedings]);

        Assert.Equal(["consent.recipient_countries", "consent.data_scope", "consent.withdrawal_explained"], problems.Select(p => p.Field));
        Assert.EndsWith(": proceedings", problems[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Categories_EveryField_NamesItsCategoryAndField()
    {
        var data = new PersonalData
        {
            GivenName = "Ana", FamilyName = "Popescu", Sex = "F", Citizenship = "RO", DateOfBirth = "1998", Contact = "+40 700 000 000",
            CurrentLocation = "Malmö", Languages = { "ro" }, IdentityDocument = "passport 05123456 RO", Family = "mother in Iași",
            HomeRegion = "Iași", Health = "asthma", Proceedings = "Rechtbank Amsterdam 13/123456",
        };

        Assert.Equal(
            [
                (DataCategory.Identity, "given_name"), (DataCategory.Identity, "family_name"), (DataCategory.Identity, "sex"),
                (DataCategory.Identity, "citizenship"), (DataCategory.DateOfBirth, "date_of_birth"), (DataCategory.Contact, "contact"),
                (DataCategory.Location, "current_location"), (DataCategory.Languages, "languages"),
                (DataCategory.IdentityDocument, "identity_document"), (DataCategory.Family, "family"), (DataCategory.HomeRegion, "home_region"),
                (DataCategory.Health, "health"), (DataCategory.Proceedings, "proceedings"),
            ],
            ReferralForms.Categories(data));
        Assert.Equal(Enum.GetValues<DataCategory>().Where(c => c != DataCategory.Unspecified), ReferralForms.DistinctCategories(data));
    }

    [Fact]
    public void Categories_BlankFieldsAndNoData_CarryNothing()
    {
        var data = new PersonalData { GivenName = "  ", Health = "\t", Proceedings = "court case", Sex = "X" };

        Assert.Equal([(DataCategory.Identity, "sex"), (DataCategory.Proceedings, "proceedings")], ReferralForms.Categories(data));
        Assert.Equal([DataCategory.Identity, DataCategory.Proceedings], ReferralForms.DistinctCategories(data));
        Assert.Empty(ReferralForms.Categories(null));
        Assert.Empty(ReferralForms.DistinctCategories(null));
        Assert.Empty(ReferralForms.Categories(new PersonalData()));
    }

    [Fact]
    public void DistinctCategories_ValidForm_AreInEnumOrder()
    {
        Assert.Equal([DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Languages],
            ReferralForms.DistinctCategories(ValidForm().PersonalData));
    }

    [Theory]
    [InlineData(DataCategory.DateOfBirth, "date_of_birth")]
    [InlineData(DataCategory.IdentityDocument, "identity_document")]
    [InlineData(DataCategory.Health, "health")]
    public void CategoryName_IsSnakeCase(DataCategory category, string name)
    {
        Assert.Equal(name, ReferralForms.CategoryName(category));
    }

    [Fact]
    public void PurposeCategories_EveryPurposeHasItsOwnList()
    {
        Assert.Equal(
            Enum.GetValues<Purpose>().Where(p => p != Purpose.Unspecified).Order(),
            ReferralForms.PurposeCategories.Keys.Order());
        Assert.Equal([DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Proceedings], ReferralForms.PurposeCategories[Purpose.InformationRequest].Order());
        Assert.DoesNotContain(DataCategory.Contact, (IReadOnlySet<DataCategory>)ReferralForms.PurposeCategories[Purpose.FamilyTracing]);
    }

    /// <summary>
    /// A complete, valid referral from NL to SE for assistance: identity, date of birth, languages and contact, all
    /// covered by a consent for SE.
    /// </summary>
    internal static ReferralForm ValidForm() => new()
    {
        ReceiverCountry = "SE",
        Phase = Phase.FirstAssistance,
        Purpose = Purpose.Assistance,
        Urgency = Urgency.Urgent,
        SendingOrganisation = new Organisation
        {
            Name = "CoMensha", Unit = "Referral desk", Country = "NL", Email = "trm@comensha.example", Phone = "+31 33 000 0000",
        },
        ReceivingOrganisation = new Organisation
        {
            Name = "NMR Sweden", Unit = "National support", Country = "SE", Email = "nmr@stod.example.se", Phone = "+46 8 000 000",
        },
        PersonReference = "NL-2026-0042",
        PersonalData = new PersonalData
        {
            GivenName = "Ana", FamilyName = "Popescu", Sex = "F", Citizenship = "RO", DateOfBirth = "1998-04",
            Contact = "through the shelter, +31 20 000 0000", Languages = { "ro", "en" },
        },
        Needs = { "safe shelter", "medical check" },
        SafetyRisks = { new SafetyRisk { Description = "the recruiter knows her family's address", Level = RiskLevel.High } },
        Consent = new Consent
        {
            Given = true, Date = "2026-03-10",
            DataScope = { DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Languages, DataCategory.Contact },
            RecipientCountries = { "SE" }, ExplainedInLanguage = "ro", WithdrawalExplained = true,
        },
        LegalBasis = "GDPR art. 6(1)(e) and 9(2)(g); Dutch TRM arrangement",
        RetentionUntil = "2028-03-15",
        Attachments = { File("assessment.pdf", "application/pdf", 2048) },
    };

    private static Attachment File(string name, string mediaType, int size) =>
        new() { Name = name, MediaType = mediaType, Content = ByteString.CopyFrom(new byte[size]) };
}
