using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Hosting.Storage;
using NremNet.Node.Practices.Search;

namespace NremNet.Node.Tests.Practices.Search;

/// <summary>A practice of the fixed corpus: its id, owner, signing time and state, and its content.</summary>
internal sealed record CorpusPractice(string Id, string Owner, DateTimeOffset SignedAt, Practice Practice, DocumentState State = DocumentState.Published)
{
    /// <summary>The practice as the document store hands it to the index.</summary>
    public IndexedPractice Indexed(int version = 1) => new(
        new DocumentVersion
        {
            DocumentId = Id,
            OwnerCountry = Owner,
            Kind = DocumentKind.Practice,
            Version = version,
            State = State,
            SignedAt = Timestamp.FromDateTimeOffset(SignedAt),
            StoredAt = Timestamp.FromDateTimeOffset(SignedAt.AddMinutes(1)),
            ReceivedFrom = Owner,
            Digest = new string('a', 63) + version,
            Reason = State == DocumentState.Withdrawn ? "SYNTHETIC: replaced by a newer programme" : "",
        },
        Practice with { Id = Id });
}

/// <summary>
/// A fixed, SYNTHETIC corpus of 15 practices in English, French, Spanish, Dutch, Swedish, Finnish and Bulgarian, some
/// with translations, across owners, themes, forms of exploitation, target groups, grades and periods; one is
/// withdrawn. The tests state what each query must find in it.
/// </summary>
internal static class SearchCorpus
{
    public static readonly CorpusPractice ForcedLabourAgriculture = new("ng-forced-agri", "NG", At(2024, 3, 1), Practice(
        "en",
        "SYNTHETIC: Joint inspections against forced labour in agriculture",
        "Labour inspectors and outreach workers visit farms together to identify seasonal workers in forced labour.",
        "Seasonal workers on farms often had their passports taken by recruiters. Inspectors and outreach workers now visit together; "
            + "outreach workers talk to the workers **separately**, in their own language.",
        ["prevention", "protection"], ["LAB"], ["migrants", "high_risk_workers"], EvidenceGrade.Evaluated, (2019, 1), (2021, 12),
        "Labour Inspectorate (synthetic)", ["labour inspection", "agriculture"],
        new PracticeTranslation
        {
            Language = "fr",
            Kind = TranslationKind.Human,
            Title = "SYNTHÉTIQUE : Inspections conjointes contre le travail forcé dans l'agriculture",
            Summary = "Les inspecteurs du travail et les travailleurs de proximité visitent les fermes ensemble.",
        }));

    public static readonly CorpusPractice SexualExploitationHotels = new("nl-hotels", "NL", At(2023, 5, 10), Practice(
        "en",
        "SYNTHETIC: Identifying victims of sexual exploitation in hotels",
        "Hotel staff learn to recognise the signs that guests are exploited.",
        "A training for hotel receptionists and cleaners on the indicators of sexual exploitation. Staff who see a possible victim call a dedicated helpline.",
        ["prevention", "partnership"], ["SEX"], ["women", "frontline_professionals"], EvidenceGrade.Promising, (2020, 6), (2023, 5),
        "Hotel association (synthetic)", ["hospitality", "training"],
        new PracticeTranslation
        {
            Language = "nl",
            Kind = TranslationKind.Human,
            Title = "SYNTHETISCH: Slachtoffers van seksuele uitbuiting herkennen in hotels",
            Summary = "Hotelpersoneel leert de signalen van uitbuiting bij gasten herkennen.",
        }));

    public static readonly CorpusPractice ChildShelterSweden = new("se-child-shelter", "SE", At(2022, 11, 20), Practice(
        "sv",
        "SYNTETISK: Skyddat boende för barn som utsatts för människohandel",
        "Ett skyddat boende med personal dygnet runt för barn som är offer för människohandel.",
        "Boendet tar emot barn från hela landet. Varje barn får en egen kontaktperson och skolgång.",
        ["protection"], [], ["children", "unaccompanied_children"], EvidenceGrade.Evaluated, (2018, 1), (2022, 6),
        "Kommunen (syntetisk)", ["skyddat boende"],
        new PracticeTranslation
        {
            Language = "en",
            Kind = TranslationKind.Machine,
            Title = "SYNTHETIC: Sheltered housing for child victims of trafficking",
            Summary = "A shelter staffed around the clock for children who are victims of trafficking.",
        }));

    public static readonly CorpusPractice VictimIdentificationFinland = new("fi-reception", "FI", At(2024, 1, 15), Practice(
        "fi",
        "SYNTEETTINEN: Ihmiskaupan uhrien tunnistaminen vastaanottokeskuksissa",
        "Vastaanottokeskusten työntekijät oppivat tunnistamaan merkit ajoissa.",
        "Koulutus kestää kaksi päivää.",
        ["protection", "partnership"], [], ["asylum_seekers", "frontline_professionals"], EvidenceGrade.Emerging, (2023, 1), null,
        "Maahanmuuttovirasto (synteettinen)", []));

    public static readonly CorpusPractice SheltersArgentina = new("ar-shelters", "AR", At(2021, 8, 1), Practice(
        "es",
        "SINTÉTICO: Protección de víctimas de trata en albergues especializados",
        "Albergues con atención psicológica y jurídica para víctimas de trata.",
        "Las víctimas reciben alojamiento seguro y asesoría legal durante el proceso penal.",
        ["protection"], ["SEX", "LAB"], ["victims", "women"], EvidenceGrade.Promising, (2017, 3), (2020, 12),
        "Ministerio (sintético)", ["albergues"]));

    public static readonly CorpusPractice MunicipalApproach = new("nl-municipal", "NL", At(2022, 2, 2), Practice(
        "nl",
        "SYNTHETISCH: Bestuurlijke aanpak van arbeidsuitbuiting door de gemeente",
        "De gemeente gebruikt vergunningen en controles om arbeidsuitbuiting in de bouw te voorkomen.",
        "Wethouders en ambtenaren werken samen met de arbeidsinspectie.",
        ["prevention", "partnership"], ["LAB"], ["employers", "high_risk_workers"], EvidenceGrade.Emerging, (2021, 1), (2023, 12),
        "Gemeente (synthetisch)", ["bestuurlijke aanpak"]));

    public static readonly CorpusPractice WithdrawnShelter = new("ng-emergency-shelter", "NG", At(2023, 9, 9), Practice(
        "en",
        "SYNTHETIC: Emergency shelter for child victims",
        "An emergency shelter for children found during police operations.",
        "The shelter closed when its funding ended.",
        ["protection"], [], ["children"], EvidenceGrade.Emerging, (2015, 1), (2019, 12),
        "Police (synthetic)", ["emergency"]), DocumentState.Withdrawn);

    public static readonly CorpusPractice RestaurantsFrance = new("fr-restaurants", "FR", At(2020, 4, 4), Practice(
        "fr",
        "SYNTHÉTIQUE : Le travail forcé dans la restauration",
        "Des contrôles ciblés dans les restaurants repèrent les cuisiniers exploités.",
        "Les inspecteurs vérifient les horaires et les salaires.",
        ["prosecution"], ["LAB"], ["migrants"], EvidenceGrade.Promising, (2019, 5), (2020, 3),
        "Inspection du travail (synthétique)", []));

    public static readonly CorpusPractice Helpline = new("ng-helpline", "NG", At(2024, 6, 30), Practice(
        "en",
        "SYNTHETIC: Helpline for workers in forced labour",
        "A multilingual helpline where workers report forced labour and debt bondage.",
        "Calls are answered in eight languages. Callers who show indicators of trafficking are referred to assistance with their consent.",
        ["protection", "data_collection"], ["LAB"], ["migrants"], EvidenceGrade.Evaluated, (2020, 1), (2024, 6),
        "Workers' centre (synthetic)", ["helpline"]));

    public static readonly CorpusPractice Register = new("ng-register", "NG", At(2024, 2, 2), Practice(
        "en",
        "SYNTHETIC: Data collection on presumed victims",
        "A shared register of presumed victims for comparable statistics.",
        "Agencies record each presumed victim once, with a pseudonymous identifier.",
        ["data_collection", "monitoring"], [], ["victims"], EvidenceGrade.Emerging, (2022, 1), null,
        "National rapporteur (synthetic)", ["statistics"]));

    public static readonly CorpusPractice ConstructionArgentina = new("ar-construction", "AR", At(2023, 12, 12), Practice(
        "es",
        "SINTÉTICO: Trabajo forzoso en la construcción",
        "Inspecciones conjuntas en obras de construcción para detectar trabajo forzoso.",
        "Los inspectores entrevistan a los trabajadores sin la presencia del empleador.",
        ["prevention"], ["LAB"], ["high_risk_workers", "migrants"], EvidenceGrade.Promising, (2022, 3), (2023, 11),
        "Inspección (sintético)", []));

    public static readonly CorpusPractice BerryPickersSweden = new("se-berries", "SE", At(2021, 1, 1), Practice(
        "sv",
        "SYNTETISK: Tvångsarbete inom jordbruket",
        "Kontroller av bärplockare för att upptäcka tvångsarbete.",
        "Arbetsmiljöverket och polisen gör gemensamma kontroller.",
        ["prosecution", "partnership"], ["LAB"], ["migrants", "high_risk_workers"], EvidenceGrade.Emerging, (2019, 7), (2020, 9),
        "Polisen (syntetisk)", []));

    /// <summary>A long body with one rare word in its middle, for snippet windows.</summary>
    public static readonly CorpusPractice Mentoring = new("nl-mentoring", "NL", At(2020, 10, 10), Practice(
        "en",
        "SYNTHETIC: Mentoring programme for survivors",
        "Survivors mentor newly identified persons.",
        string.Concat(Enumerable.Repeat("The programme pairs each participant with a mentor who has lived through similar experiences. ", 5))
            + "Trained interpreters join every first meeting. "
            + string.Concat(Enumerable.Repeat("Mentors meet their participants weekly in a quiet place of their choosing. ", 5)),
        ["protection"], [], ["victims"], EvidenceGrade.Promising, (2016, 1), (2018, 12),
        "Survivor network (synthetic)", ["mentoring"]));

    public static readonly CorpusPractice CampaignBulgaria = new("bg-campaign", "BG", At(2024, 7, 1), Practice(
        "bg",
        "СИНТЕТИЧНО: Информационна кампания в училищата",
        "Ученици научават как да разпознават рискови предложения за работа в чужбина.",
        "Кампанията обхвана сто училища.",
        ["prevention"], [], ["children", "general_public"], EvidenceGrade.Emerging, (2024, 1), (2024, 6),
        "Национална комисия (синтетично)", []));

    public static readonly CorpusPractice EmployersGuidance = new("ng-employers", "NG", At(2022, 7, 7), Practice(
        "en",
        "SYNTHETIC: Guidance for employers on labour exploitation in supply chains",
        "Employers check their suppliers for signs of labour exploitation.",
        "A checklist and a telephone line for companies.",
        ["prevention"], ["LAB"], ["employers"], EvidenceGrade.Emerging, (2021, 1), (2022, 6),
        "Business council (synthetic)", ["supply chains"]));

    /// <summary>Every practice of the corpus.</summary>
    public static readonly IReadOnlyList<CorpusPractice> All =
    [
        ForcedLabourAgriculture, SexualExploitationHotels, ChildShelterSweden, VictimIdentificationFinland, SheltersArgentina,
        MunicipalApproach, WithdrawnShelter, RestaurantsFrance, Helpline, Register, ConstructionArgentina, BerryPickersSweden,
        Mentoring, CampaignBulgaria, EmployersGuidance,
    ];

    /// <summary>A practice of the corpus by id.</summary>
    public static CorpusPractice Get(string id) => All.Single(p => p.Id == id);

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);

    private static Practice Practice(
        string language,
        string title,
        string summary,
        string body,
        string[] themes,
        string[] exploitation,
        string[] targetGroups,
        EvidenceGrade grade,
        (int Year, int Month) from,
        (int Year, int Month)? to,
        string organisation,
        string[] tags,
        params PracticeTranslation[] translations) => new()
        {
            Title = title,
            Summary = summary,
            Body = body,
            Language = language,
            Translations = translations,
            Themes = themes,
            Exploitation = exploitation,
            TargetGroups = targetGroups,
            Evidence = new EvidenceAssessment { Grade = grade },
            Period = new PracticePeriod
            {
                From = new YearMonth(from.Year, from.Month),
                To = to is { } end ? new YearMonth(end.Year, end.Month) : null,
            },
            Organisation = organisation,
            Tags = tags,
        };
}

/// <summary>A node database in a temporary folder with the search tables, as a migration of <c>node.db</c> creates them.</summary>
internal sealed class SearchDatabase : IAsyncDisposable
{
    private readonly string _folder;

    private SearchDatabase(string folder)
    {
        _folder = folder;
        Database = new SqliteDatabase(Path.Combine(folder, "node.db"));
    }

    public SqliteDatabase Database { get; }

    public static async Task<SearchDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var database = new SearchDatabase(System.IO.Directory.CreateTempSubdirectory("nremnet-search-").FullName);
        await database.Database.MigrateAsync([new Migration(1, "practice search", PracticeSearchSchema.Sql)], cancellationToken);
        return database;
    }

    /// <summary>A database holding the whole corpus.</summary>
    public static async Task<SearchDatabase> WithCorpusAsync(CancellationToken cancellationToken)
    {
        var database = await CreateAsync(cancellationToken);
        await database.IndexAsync(SearchCorpus.All.Select(p => p.Indexed()), cancellationToken);
        return database;
    }

    public Task IndexAsync(IEnumerable<IndexedPractice> practices, CancellationToken cancellationToken) =>
        Database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var practice in practices)
            {
                await PracticeSearch.IndexAsync(connection, transaction, practice, cancellationToken);
            }

            return true;
        }, cancellationToken);

    public Task RemoveAsync(string documentId, CancellationToken cancellationToken) =>
        Database.InTransactionAsync(async (connection, transaction) =>
        {
            await PracticeSearch.RemoveAsync(connection, transaction, documentId, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<SearchPracticesResponse> SearchAsync(SearchPracticesRequest request, CancellationToken cancellationToken, string nodeLanguage = "en", IReadOnlySet<string>? inactiveOwners = null) =>
        PracticeSearch.SearchAsync(Database, request, nodeLanguage, owner => inactiveOwners?.Contains(owner) == true, cancellationToken);

    public async Task<IReadOnlyList<string>> BareMatchAsync(string language, string match, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        return await PracticeSearch.BareMatchAsync(connection, language, match, limit, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temporary folder is left for the system to clean.
        }
    }
}

/// <summary>The corpus indexed once, for the tests that only read.</summary>
public sealed class SearchCorpusFixture : IAsyncLifetime
{
    internal SearchDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Database = await SearchDatabase.WithCorpusAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
