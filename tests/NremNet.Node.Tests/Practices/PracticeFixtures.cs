using Dapper;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Node.Tests.Infrastructure;
using NremNet.Node.Tests.Referrals;
using PracticeClient = NremNet.Contracts.Local.V1.PracticeService.PracticeServiceClient;
using QuestionClient = NremNet.Contracts.Local.V1.QuestionService.QuestionServiceClient;

namespace NremNet.Node.Tests.Practices;

/// <summary>A library node in a test: its node, a rapporteur's token and the clients of its user API.</summary>
internal sealed record LibraryNode(TestNode Node, string Token, PracticeClient Practices, QuestionClient Questions)
{
    public string Country => Node.Country;

    public CallOptions Auth => ReferralFixtures.Auth(Token);

    /// <summary>The node's database file.</summary>
    public string DatabaseFile => PracticeFixtures.DatabaseOf(Node);
}

/// <summary>Nodes that replicate practices fast, SYNTHETIC practice files, and waiting for versions to arrive.</summary>
internal static class PracticeFixtures
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Settings for a node that pulls every peer every two seconds.</summary>
    public static void FastPull(IDictionary<string, string?> settings)
    {
        settings["Node:Practices:PullInterval"] = "00:00:02";
        settings["Node:Practices:PullTimeout"] = "00:00:05";
    }

    /// <summary>Starts <paramref name="countries"/> and waits until each holds every other's certificate; each with a rapporteur.</summary>
    public static async Task<LibraryNode[]> StartAsync(TestNetwork network, params string[] countries)
    {
        var nodes = new List<TestNode>();
        foreach (var country in countries)
        {
            nodes.Add(await network.StartNodeAsync(country, configure: FastPull));
        }

        foreach (var node in nodes)
        {
            await node.WaitForSnapshotAsync(s => countries.All(c => s.Members.Any(m => m.Country == c && !m.Certificate.IsEmpty)));
        }

        var library = new List<LibraryNode>();
        foreach (var node in nodes)
        {
            library.Add(await OpenAsync(node));
        }

        return [.. library];
    }

    /// <summary>A rapporteur's token and clients on a running node.</summary>
    public static async Task<LibraryNode> OpenAsync(TestNode node, string user = "rapporteur")
    {
        var token = await ReferralFixtures.TokenAsync(node, user + "-" + Guid.NewGuid().ToString("N")[..6], "rapporteur");
        var channel = node.ConsoleChannel();
        return new LibraryNode(node, token, new PracticeClient(channel), new QuestionClient(channel));
    }

    /// <summary>A valid SYNTHETIC practice file: the shipped example with the title, body and language given, without attachments.</summary>
    public static string PracticeFile(string title, string body = "A SYNTHETIC practice used in tests. It describes **joint visits**.", string language = "en")
    {
        var example = Domain.Practices.PracticeFile.Parse(Domain.Practices.PracticeFile.Example).Value!;
        return Domain.Practices.PracticeFile.Write(example with { Title = title, Body = body, Language = language, Attachments = [], Translations = [] });
    }

    /// <summary>Publishes a practice; returns its id.</summary>
    public static async Task<string> PublishAsync(LibraryNode node, string title, string? body = null)
    {
        var response = await node.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = body is null ? PracticeFile(title) : PracticeFile(title, body) }, node.Auth);
        return response.Version.DocumentId;
    }

    /// <summary>The versions of a document a node holds (empty when none).</summary>
    public static async Task<IReadOnlyList<DocumentVersion>> VersionsAsync(LibraryNode node, string documentId)
    {
        try
        {
            return [.. (await node.Practices.GetDocumentHistoryAsync(new GetDocumentHistoryRequest { DocumentId = documentId }, node.Auth)).Versions];
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>Waits until every node in <paramref name="nodes"/> holds <paramref name="documentId"/> at <paramref name="version"/> in <paramref name="state"/>.</summary>
    public static async Task HeldEverywhereAsync(IEnumerable<LibraryNode> nodes, string documentId, int version, DocumentState state = DocumentState.Published, TimeSpan? within = null)
    {
        foreach (var node in nodes)
        {
            IReadOnlyList<DocumentVersion> last = [];
            await Eventually.HoldsAsync(async () =>
            {
                last = await VersionsAsync(node, documentId);
                return last.Count > 0 && last[^1].Version == version && last[^1].State == state;
            }, $"{node.Country} holding version {version} ({state}) of {documentId} (holds {string.Join(", ", last.Select(v => $"v{v.Version} {v.State}"))})", within ?? TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The node's database file.</summary>
    public static string DatabaseOf(TestNode node) =>
        Path.Combine(node.App.Configuration["Node:DataDirectory"]!, "node.db");

    /// <summary>Audit records of <paramref name="action"/> on a node whose details contain <paramref name="fragment"/>.</summary>
    public static async Task<int> AuditCountAsync(LibraryNode node, string action, string fragment)
    {
        await using var connection = new SqliteConnection($"Data Source={node.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = @Action AND (details LIKE @Fragment OR target LIKE @Fragment)",
            new { Action = action, Fragment = "%" + fragment + "%" });
    }

    /// <summary>Runs SQL on a node's database (an attacker with the file, or a test reaching in).</summary>
    public static async Task<T> QueryAsync<T>(string databaseFile, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync(Ct);
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000");
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    /// <summary>
    /// Appends a signed document to a node's feed as if it had stored it (a compromised or relaying node): peers read only
    /// the signed bytes, so the row's own columns are filler.
    /// </summary>
    public static async Task InjectAsync(string databaseFile, SignedDocument signed, string documentId, int version, string owner, DocumentKind kind = DocumentKind.Practice)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync(Ct);
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000");
        await connection.ExecuteAsync("""
            INSERT INTO doc_versions (document_id, version, owner_country, kind, state, signed_at, reason, subject_id, digest, signed, stored_at, received_from)
            VALUES (@Id, @Version, @Owner, @Kind, 1, '2026-01-01T00:00:00.0000000Z', '', '', @Digest, @Signed, '2026-01-01T00:00:00.0000000Z', @Owner)
            """, new { Id = $"{documentId}#injected-{Guid.NewGuid():N}", Version = version, Owner = owner, Kind = (int)kind, Digest = Guid.NewGuid().ToString("N"), Signed = signed.ToByteArray() });
    }

    /// <summary>A practice with the given fields, for building envelopes by hand.</summary>
    public static Practice Practice(string id, string title) =>
        Domain.Practices.PracticeFile.Parse(PracticeFile(title)).Value! with { Id = id };
}
