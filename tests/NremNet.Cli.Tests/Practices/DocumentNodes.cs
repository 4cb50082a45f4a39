using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Cli.Profiles;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Documents;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;
using NremNet.Testing;
using DomainFinding = NremNet.Domain.Practices.PersonalDataFinding;
using ProtoFinding = NremNet.Contracts.Local.V1.PersonalDataFinding;

namespace NremNet.Cli.Tests.Practices;

/// <summary>
/// Stand-ins for the nodes' practice and question services (nremnet.local.v1), so the CLI's verbs and the sample loader
/// are tested end to end over real gRPC before the node serves them: one host per country on 127.0.0.1:0, sharing one
/// store that every host sees at once (replication is the node's business, not the CLI's). They keep the contract's
/// rules that the CLI relies on — the domain's file checks and personal-data guard, roles from the caller's token,
/// owners, versions, withdrawals and erasures — and nothing more. Profiles are saved as <c>federation up</c> names
/// them: <c>NL-admin</c> (the current one), <c>NL-rapporteur</c>, <c>NL-referral_officer</c>.
/// </summary>
internal sealed class DocumentNodes : IAsyncDisposable
{
    private readonly List<WebApplication> _hosts = [];

    private DocumentNodes(CliRunner cli, DocumentStore store)
    {
        Cli = cli;
        Store = store;
    }

    public CliRunner Cli { get; }

    public DocumentStore Store { get; }

    /// <summary>Starts a node for each of <paramref name="countries"/>; with <paramref name="serving"/> false, nodes that serve neither service (UNIMPLEMENTED).</summary>
    public static async Task<DocumentNodes> StartAsync(TempFolder folder, ITestOutputHelper log, IReadOnlyList<string> countries, bool serving = true)
    {
        var caFile = folder.Combine("ca.crt");
        using (var authority = TestPki.CreateAuthority("Test CA for document nodes"))
        {
            TestPki.WritePem(authority, caFile, null);
        }

        var cli = new CliRunner(folder.Combine("profiles.json"), log);
        var nodes = new DocumentNodes(cli, new DocumentStore(countries));
        foreach (var country in countries)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(nodes.Store);
            builder.Services.AddSingleton(new NodeCountry(country));
            var app = builder.Build();
            if (serving)
            {
                app.MapGrpcService<FakePracticeService>();
                app.MapGrpcService<FakeQuestionService>();
            }

            await app.StartAsync(TestContext.Current.CancellationToken);
            nodes._hosts.Add(app);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            foreach (var role in new[] { "admin", "rapporteur", "referral_officer" })
            {
                cli.Profiles.Upsert(
                    new Profile
                    {
                        Name = $"{country}-{role}",
                        Node = country,
                        Url = url,
                        Roles = [role],
                        Username = $"{country.ToLowerInvariant()}-{role.Replace('_', '-')}",
                        Token = $"{country}:{role}",
                        CaFile = caFile,
                        Demo = true,
                    },
                    makeCurrent: country == countries[0] && role == "admin");
            }
        }

        return nodes;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            await host.DisposeAsync();
        }
    }
}

/// <summary>The country a stand-in node is.</summary>
internal sealed record NodeCountry(string Code);

/// <summary>One version of a document as the stand-in nodes hold it.</summary>
internal sealed record StoredVersion(DocumentVersion Version, string File);

/// <summary>What every stand-in node holds: documents with their versions, answers, attachments.</summary>
internal sealed class DocumentStore(IReadOnlyList<string> countries)
{
    public Lock Gate { get; } = new();

    public IReadOnlyList<string> Countries { get; } = countries;

    public Dictionary<string, List<StoredVersion>> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>Answer files by question id and answering country.</summary>
    public Dictionary<(string Question, string Country), List<StoredVersion>> Answers { get; } = [];

    public Dictionary<string, (string Name, byte[] Content)> Attachments { get; } = new(StringComparer.Ordinal);

    /// <summary>The fingerprints confirmed with each publication, in order (what the node would audit).</summary>
    public List<string> Confirmed { get; } = [];

    public static DocumentVersion Version(string id, string owner, DocumentKind kind, int version, DocumentState state, string reason = "") => new()
    {
        DocumentId = id,
        OwnerCountry = owner,
        Kind = kind,
        Version = version,
        State = state,
        SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        StoredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        ReceivedFrom = owner,
        Reason = reason,
        Digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{id}/{version}"))),
    };

    /// <summary>The calling user's country and role, from the token the CLI sends ("CC:role").</summary>
    public static (string Country, string Role) Caller(ServerCallContext context)
    {
        var token = context.RequestHeaders.GetValue("authorization")?.Replace("Bearer ", string.Empty, StringComparison.Ordinal) ?? string.Empty;
        var parts = token.Split(':');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new RpcException(new Status(StatusCode.Unauthenticated, "no valid token"));
    }

    public static void Require(ServerCallContext context, string role)
    {
        if (Caller(context).Role != role)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"this takes the {role} role"));
        }
    }

    public static IEnumerable<FileProblem> Problems(IEnumerable<DocumentProblem> problems) =>
        problems.Select(p => new FileProblem { Path = p.Path, Line = p.Line ?? 0, Message = p.Message });

    public static IEnumerable<ProtoFinding> Findings(IEnumerable<DomainFinding> findings) =>
        findings.Select(f => new ProtoFinding { Kind = f.Kind.ToString(), Field = f.Field, Start = f.Start, Length = f.Length, Excerpt = f.Excerpt, Fingerprint = f.Fingerprint });
}

/// <summary>The practice service of a stand-in node.</summary>
internal sealed class FakePracticeService(DocumentStore store, NodeCountry node) : PracticeService.PracticeServiceBase
{
    public override Task<CheckPracticeResponse> CheckPractice(CheckPracticeRequest request, ServerCallContext context)
    {
        var parsed = PracticeFile.Parse(request.File);
        var response = new CheckPracticeResponse { Problems = { DocumentStore.Problems(parsed.Problems) } };
        if (parsed.Value is { } practice)
        {
            response.Findings.AddRange(DocumentStore.Findings(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice))));
        }

        return Task.FromResult(response);
    }

    public override Task<PublishPracticeResponse> PublishPractice(PublishPracticeRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        Checked(request.File, request.ConfirmedFindings);
        var id = Guid.CreateVersion7().ToString();
        var version = DocumentStore.Version(id, node.Code, DocumentKind.Practice, 1, DocumentState.Published);
        lock (store.Gate)
        {
            store.Documents[id] = [new StoredVersion(version, request.File)];
            store.Confirmed.AddRange(request.ConfirmedFindings);
        }

        return Task.FromResult(new PublishPracticeResponse { Version = version });
    }

    public override Task<EditPracticeResponse> EditPractice(EditPracticeRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        Checked(request.File, request.ConfirmedFindings);
        lock (store.Gate)
        {
            var versions = Owned(request.DocumentId);
            if (request.BaseVersion != 0 && request.BaseVersion != versions[^1].Version.Version)
            {
                throw new RpcException(new Status(StatusCode.Aborted, $"version {versions[^1].Version.Version} came after version {request.BaseVersion}"));
            }

            var version = DocumentStore.Version(request.DocumentId, node.Code, DocumentKind.Practice, versions.Count + 1, DocumentState.Published);
            versions.Add(new StoredVersion(version, request.File));
            return Task.FromResult(new EditPracticeResponse { Version = version });
        }
    }

    public override Task<WithdrawDocumentResponse> WithdrawDocument(WithdrawDocumentRequest request, ServerCallContext context) =>
        Task.FromResult(new WithdrawDocumentResponse { Version = Tombstone(request.DocumentId, DocumentState.Withdrawn, request.Reason, context) });

    public override Task<EraseDocumentResponse> EraseDocument(EraseDocumentRequest request, ServerCallContext context) =>
        Task.FromResult(new EraseDocumentResponse { Version = Tombstone(request.DocumentId, DocumentState.Erased, request.Reason, context) });

    public override Task<GetPracticeResponse> GetPractice(GetPracticeRequest request, ServerCallContext context)
    {
        lock (store.Gate)
        {
            var versions = Held(request.DocumentId);
            var shown = request.Version == 0 ? versions[^1] : versions.FirstOrDefault(v => v.Version.Version == request.Version)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"practice {request.DocumentId} has no version {request.Version}"));
            return Task.FromResult(new GetPracticeResponse { Version = shown.Version, File = shown.File, CurrentVersion = versions.Count });
        }
    }

    public override Task<GetDocumentHistoryResponse> GetDocumentHistory(GetDocumentHistoryRequest request, ServerCallContext context)
    {
        lock (store.Gate)
        {
            return Task.FromResult(new GetDocumentHistoryResponse { Versions = { Held(request.DocumentId).Select(v => v.Version) } });
        }
    }

    public override Task<SearchPracticesResponse> SearchPractices(SearchPracticesRequest request, ServerCallContext context)
    {
        var words = request.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        List<(StoredVersion Stored, Practice Practice)> matches;
        lock (store.Gate)
        {
            matches = [.. store.Documents.Values
                .Select(v => v[^1])
                .Where(v => v.Version.Kind == DocumentKind.Practice && (v.Version.State == DocumentState.Published || v.Version.State == DocumentState.Withdrawn && request.IncludeWithdrawn))
                .Where(v => request.Countries.Count == 0 || request.Countries.Contains(v.Version.OwnerCountry))
                .Select(v => (Stored: v, Practice: PracticeFile.Parse(v.File).Value!))
                .Where(p => request.Grades.Count == 0 || request.Grades.Contains(EvidenceCatalogue.Code(p.Practice.Evidence.Grade)))
                .Where(p => words.All(w => $"{p.Practice.Title} {p.Practice.Summary} {p.Practice.Body}".Contains(w, StringComparison.OrdinalIgnoreCase)))];
        }

        var response = new SearchPracticesResponse { Total = matches.Count };
        var limit = request.Limit == 0 ? 20 : request.Limit;
        foreach (var (stored, practice) in matches.Skip(request.Offset).Take(limit))
        {
            var snippet = new Snippet { Field = "summary", Text = practice.Summary };
            foreach (var word in words)
            {
                var at = practice.Summary.IndexOf(word, StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    snippet.Highlights.Add(new Highlight { Start = at, Length = word.Length });
                }
            }

            response.Hits.Add(new SearchHit
            {
                Practice = new PracticeSummary
                {
                    Version = stored.Version,
                    Title = practice.Title,
                    Summary = practice.Summary,
                    Language = practice.Language,
                    Themes = { practice.Themes },
                    EvidenceGrade = EvidenceCatalogue.Code(practice.Evidence.Grade),
                    Year = practice.Period.From?.Year ?? 0,
                    Organisation = practice.Organisation,
                },
                MatchedLanguage = practice.Language,
                Snippets = { snippet },
            });
        }

        var countries = new Facet { Name = "country" };
        countries.Values.AddRange(matches.GroupBy(m => m.Stored.Version.OwnerCountry).OrderByDescending(g => g.Count()).Select(g => new FacetValue { Value = g.Key, Count = g.Count() }));
        response.Facets.Add(countries);
        if (matches.Count == 0 && words.Length > 0)
        {
            response.DidYouMean = "labour inspection";
        }

        return Task.FromResult(response);
    }

    public override async Task<UploadAttachmentResponse> UploadAttachment(IAsyncStreamReader<UploadAttachmentRequest> requestStream, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        var name = string.Empty;
        using var content = new MemoryStream();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            name = name.Length == 0 ? requestStream.Current.Name : name;
            requestStream.Current.Chunk.WriteTo(content);
        }

        var inspection = AttachmentCheck.Inspect(content.ToArray(), name, PracticeLimits.DefaultMaxAttachmentBytes);
        if (inspection.Refusal is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, inspection.Problem));
        }

        lock (store.Gate)
        {
            store.Attachments[inspection.Sha256!] = (name, content.ToArray());
        }

        return new UploadAttachmentResponse { Sha256 = inspection.Sha256!, MediaType = inspection.MediaType!, Size = inspection.Size };
    }

    public override async Task DownloadAttachment(DownloadAttachmentRequest request, IServerStreamWriter<DownloadAttachmentResponse> responseStream, ServerCallContext context)
    {
        byte[] content;
        lock (store.Gate)
        {
            content = store.Attachments.TryGetValue(request.Sha256, out var held) ? held.Content : throw new RpcException(new Status(StatusCode.NotFound, "no such attachment"));
        }

        foreach (var chunk in content.Chunk(1000))
        {
            await responseStream.WriteAsync(new DownloadAttachmentResponse { Chunk = ByteString.CopyFrom(chunk) });
        }
    }

    public override Task<GetSyncStatusResponse> GetSyncStatus(GetSyncStatusRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "admin");
        return Task.FromResult(Status());
    }

    public override Task<SyncNowResponse> SyncNow(SyncNowRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "admin");
        return Task.FromResult(new SyncNowResponse { Status = Status() });
    }

    private GetSyncStatusResponse Status()
    {
        lock (store.Gate)
        {
            var response = new GetSyncStatusResponse
            {
                Epoch = "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                LatestSequence = store.Documents.Values.Sum(v => v.Count(s => s.Version.OwnerCountry == node.Code)),
                Practices = store.Documents.Values.Count(v => v[0].Version.Kind == DocumentKind.Practice),
                Questions = store.Documents.Values.Count(v => v[0].Version.Kind == DocumentKind.Question),
                Answers = store.Answers.Count,
            };
            foreach (var peer in store.Countries.Where(c => c != node.Code))
            {
                response.Peers.Add(new PeerSync
                {
                    Country = peer,
                    Epoch = "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                    Cursor = 7,
                    LatestKnown = 9,
                    Lag = 2,
                    LastSuccess = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    LastAttempt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    LastError = peer == "FI" ? "connection refused" : string.Empty,
                    Refused = peer == "SE" ? 1 : 0,
                });
            }

            return response;
        }
    }

    private static void Checked(string file, IEnumerable<string> confirmed)
    {
        var parsed = PracticeFile.Parse(file);
        if (parsed.Value is not { } practice)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("\n", parsed.Problems)));
        }

        var open = PersonalDataGuard.Unconfirmed(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice)), confirmed);
        if (open.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{open.Count} personal-data findings are not confirmed"));
        }
    }

    private DocumentVersion Tombstone(string id, DocumentState state, string reason, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        lock (store.Gate)
        {
            var versions = Owned(id);
            var version = DocumentStore.Version(id, node.Code, versions[0].Version.Kind, versions.Count + 1, state, reason);
            versions.Add(new StoredVersion(version, state == DocumentState.Erased ? string.Empty : versions[^1].File));
            return version;
        }
    }

    private List<StoredVersion> Held(string id) =>
        store.Documents.TryGetValue(id, out var versions) ? versions : throw new RpcException(new Status(StatusCode.NotFound, $"no document {id}"));

    private List<StoredVersion> Owned(string id)
    {
        var versions = Held(id);
        return versions[0].Version.OwnerCountry == node.Code
            ? versions
            : throw new RpcException(new Status(StatusCode.PermissionDenied, $"{id} belongs to {versions[0].Version.OwnerCountry}"));
    }
}

/// <summary>The question service of a stand-in node.</summary>
internal sealed class FakeQuestionService(DocumentStore store, NodeCountry node) : QuestionService.QuestionServiceBase
{
    public override Task<CheckQuestionResponse> CheckQuestion(CheckQuestionRequest request, ServerCallContext context) =>
        Task.FromResult(new CheckQuestionResponse { Problems = { DocumentStore.Problems(QuestionFile.Parse(request.File, DateTimeOffset.UtcNow).Problems) } });

    public override Task<AskQuestionResponse> AskQuestion(AskQuestionRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        var parsed = QuestionFile.Parse(request.File, DateTimeOffset.UtcNow);
        if (!parsed.Succeeded)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("\n", parsed.Problems)));
        }

        var id = Guid.CreateVersion7().ToString();
        var version = DocumentStore.Version(id, node.Code, DocumentKind.Question, 1, DocumentState.Published);
        lock (store.Gate)
        {
            // The node keeps the file as asked; the id and the asker are in the signed version.
            store.Documents[id] = [new StoredVersion(version, request.File)];
        }

        return Task.FromResult(new AskQuestionResponse { Version = version });
    }

    public override Task<ListQuestionsResponse> ListQuestions(ListQuestionsRequest request, ServerCallContext context)
    {
        lock (store.Gate)
        {
            var summaries = store.Documents.Values.Where(v => v[0].Version.Kind == DocumentKind.Question).Select(v => Summary(v[^1])).Reverse()
                .Where(s => !request.OpenOnly || s.Status == QuestionStatus.Open)
                .Where(s => !request.AwaitingThisNode || s.ForThisNode && !s.AnsweredByThisNode);
            return Task.FromResult(new ListQuestionsResponse { Questions = { summaries } });
        }
    }

    public override Task<GetQuestionResponse> GetQuestion(GetQuestionRequest request, ServerCallContext context)
    {
        lock (store.Gate)
        {
            var stored = Question(request.QuestionId);
            var question = Read(stored);
            var response = new GetQuestionResponse { Summary = Summary(stored), File = stored.File };
            foreach (var country in question.RecipientCountries(store.Countries))
            {
                var answer = store.Answers.GetValueOrDefault((request.QuestionId, country));
                response.Recipients.Add(new RecipientStatus { Country = country, Status = answer is null ? "pending" : "answered", Answer = answer?[^1].Version });
            }

            response.OwnAnswerFile = store.Answers.GetValueOrDefault((request.QuestionId, node.Code))?[^1].File ?? string.Empty;
            return Task.FromResult(response);
        }
    }

    public override Task<AnswerQuestionResponse> AnswerQuestion(AnswerQuestionRequest request, ServerCallContext context)
    {
        DocumentStore.Require(context, "rapporteur");
        lock (store.Gate)
        {
            var question = Read(Question(request.QuestionId));
            if (!question.IsAddressedTo(node.Code))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the question is not put to {node.Code}"));
            }

            var parsed = AnswerFile.Parse(request.File, question);
            if (!parsed.Succeeded)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("\n", parsed.Problems)));
            }

            var key = (request.QuestionId, node.Code);
            var versions = store.Answers.GetValueOrDefault(key) ?? [];
            var version = DocumentStore.Version(Guid.CreateVersion7().ToString(), node.Code, DocumentKind.Answer, versions.Count + 1, DocumentState.Published);
            versions.Add(new StoredVersion(version, request.File));
            store.Answers[key] = versions;
            return Task.FromResult(new AnswerQuestionResponse { Version = version });
        }
    }

    public override Task<CompileQuestionResponse> CompileQuestion(CompileQuestionRequest request, ServerCallContext context)
    {
        lock (store.Gate)
        {
            var question = Read(Question(request.QuestionId));
            var asker = question.AskingCountry == node.Code;
            var answers = store.Answers.Where(a => a.Key.Question == request.QuestionId)
                .Select(a => AnswerFile.Parse(a.Value[^1].File, question).Value! with { AnsweringCountry = a.Key.Country })
                .ToList();
            var compilation = QuestionCompilation.Build(question, asker ? answers : answers.Select(a => a.ForNetwork()), question.RecipientCountries(store.Countries), DateTimeOffset.UtcNow);
            var (content, type, extension) = request.Format switch
            {
                CompilationFormat.Csv => (compilation.ToCsv(), "text/csv", "csv"),
                CompilationFormat.Json => (compilation.ToJson(), "application/json", "json"),
                _ => (compilation.ToMarkdown(), "text/markdown", "md"),
            };
            return Task.FromResult(new CompileQuestionResponse
            {
                Content = content,
                MediaType = type,
                FileName = $"question-{request.QuestionId}.{extension}",
                Answers = answers.Count,
                AskerOnlyAnswers = asker ? answers.Count(a => a.HasAskerOnlyItems) : 0,
            });
        }
    }

    private StoredVersion Question(string id) =>
        store.Documents.TryGetValue(id, out var versions) && versions[0].Version.Kind == DocumentKind.Question
            ? versions[^1]
            : throw new RpcException(new Status(StatusCode.NotFound, $"no question {id}"));

    private static NetworkQuestion Read(StoredVersion stored) =>
        QuestionFile.Parse(stored.File).Value! with { Id = stored.Version.DocumentId, AskingCountry = stored.Version.OwnerCountry };

    private QuestionSummary Summary(StoredVersion stored)
    {
        var question = Read(stored);
        var answered = store.Answers.ContainsKey((stored.Version.DocumentId, node.Code));
        return new QuestionSummary
        {
            Version = stored.Version,
            Title = question.Title,
            Deadline = Timestamp.FromDateTimeOffset(question.Deadline),
            Status = stored.Version.State switch
            {
                DocumentState.Withdrawn => QuestionStatus.Withdrawn,
                DocumentState.Erased => QuestionStatus.Erased,
                _ => question.IsOverdue(DateTimeOffset.UtcNow) ? QuestionStatus.Closed : QuestionStatus.Open,
            },
            ForThisNode = question.IsAddressedTo(node.Code),
            AnsweredByThisNode = answered,
            Recipients = question.RecipientCountries(store.Countries).Count,
            Answers = store.Answers.Keys.Count(k => k.Question == stored.Version.DocumentId),
        };
    }
}
