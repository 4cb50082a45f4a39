using System.Diagnostics;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Cli.Questions;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Federation;

/// <summary>
/// Loads the SYNTHETIC sample documents (<see cref="SampleDocuments"/>) into a running federation through each node's
/// user API, as its demo rapporteur: every node's practices, then the two network questions, then the answers of the
/// nodes that answer them. What a node holds already (a practice or question with the same title of the same owner,
/// an answer of the node) is left as it is, so a resumed federation loads nothing twice. Nodes that do not serve the
/// practice library yet are skipped, with a line that says so.
/// </summary>
internal sealed class SampleDocumentsLoader(ProfileStore profiles, IReadOnlyList<string> countries, TimeProvider time)
{
    /// <summary>How long a recipient may take to receive a question from its asker before its answer is given up.</summary>
    public static readonly TimeSpan ReplicationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Publishes what is missing; reports each step.</summary>
    public async Task LoadAsync(Action<string> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var sessions = new Dictionary<string, DocumentSession>(StringComparer.Ordinal);
        try
        {
            foreach (var country in countries)
            {
                if (Writer(country) is { } profile)
                {
                    sessions[country] = new DocumentSession(NodeConnection.Open(profile));
                }
                else
                {
                    step($"{country} has no rapporteur profile: its SYNTHETIC sample practices and answers are left out");
                }
            }

            var progress = new Lock();
            void Report(string text)
            {
                lock (progress)
                {
                    step(text);
                }
            }

            var published = await Task.WhenAll(sessions.Select(async s => (Country: s.Key, Served: await PublishPracticesAsync(s.Key, s.Value, Report, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
            var serving = published.Where(p => p.Served).ToDictionary(p => p.Country, p => sessions[p.Country], StringComparer.Ordinal);
            if (serving.Count == 0)
            {
                return;
            }

            foreach (var sample in SampleDocuments.Questions(time.GetUtcNow(), serving.Keys))
            {
                await AskAndAnswerAsync(sample, serving, Report, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Publishes the country's sample practices it does not hold yet; false when its node does not serve the practice library.</summary>
    private static async Task<bool> PublishPracticesAsync(string country, DocumentSession session, Action<string> step, CancellationToken cancellationToken)
    {
        try
        {
            var held = await OwnTitlesAsync(country, session, cancellationToken).ConfigureAwait(false);
            var files = SampleDocuments.Practices(country);
            var missing = files.Where(f => !held.Contains(PracticeFile.Parse(f).Value?.Title ?? string.Empty)).ToList();
            if (missing.Count == 0)
            {
                step($"{country} holds its {files.Count} SYNTHETIC sample practices already");
                return true;
            }

            foreach (var file in missing)
            {
                await session.Practices.PublishPracticeAsync(new PublishPracticeRequest { File = file }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            }

            var language = SampleDocuments.LanguageOf(country);
            step($"published {missing.Count} SYNTHETIC sample practices of {country} ({(language == "en" ? "en" : language + " and en")})");
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            step($"{country} does not serve the practice library yet: its SYNTHETIC sample practices and questions are left out");
            return false;
        }
        catch (RpcException ex)
        {
            throw new CliException(ExitCode(ex), $"Could not publish {country}'s SYNTHETIC sample practices: {CliContext.Describe(ex)}");
        }
    }

    /// <summary>Asks a sample question unless its asker holds it already, then answers it from each recipient that answers it.</summary>
    private async Task AskAndAnswerAsync(SampleQuestion sample, IReadOnlyDictionary<string, DocumentSession> sessions, Action<string> step, CancellationToken cancellationToken)
    {
        var asker = sessions[sample.AskingCountry];
        string id;
        try
        {
            var listed = await asker.Questions.ListQuestionsAsync(new ListQuestionsRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            var existing = listed.Questions.FirstOrDefault(q => q.Title == sample.Title && q.Version.OwnerCountry == sample.AskingCountry);
            if (existing is not null)
            {
                id = existing.Version.DocumentId;
            }
            else
            {
                var response = await asker.Questions.AskQuestionAsync(new AskQuestionRequest { File = sample.File }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
                id = response.Version.DocumentId;
                step($"{sample.AskingCountry} asked the SYNTHETIC network question \"{sample.Title}\"");
            }
        }
        catch (RpcException ex)
        {
            throw new CliException(ExitCode(ex), $"{sample.AskingCountry} could not ask the SYNTHETIC sample question \"{sample.Title}\": {CliContext.Describe(ex)}");
        }

        var asked = QuestionFile.Parse(sample.File).Value!;
        var answered = new List<string>();
        foreach (var (country, session) in sessions.Where(s => asked.IsAddressedTo(s.Key)))
        {
            if (await AnswerAsync(id, country, session, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                if (outcome.Length == 0)
                {
                    answered.Add(country);
                }
                else
                {
                    step(outcome);
                }
            }
        }

        if (answered.Count > 0)
        {
            step($"{string.Join(", ", answered)} answered {sample.AskingCountry}'s SYNTHETIC question \"{sample.Title}\"");
        }
    }

    /// <summary>
    /// Answers question <paramref name="id"/> from <paramref name="country"/> once its node holds it: empty when it
    /// answered now, a line to show when it could not, null when there was nothing to do (not asked, answered already,
    /// or one of the countries that leave a sample question unanswered).
    /// </summary>
    private async Task<string?> AnswerAsync(string id, string country, DocumentSession session, CancellationToken cancellationToken)
    {
        var held = await ReceivedAsync(id, country, session, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return $"{country} did not receive question {id} within {ReplicationTimeout.TotalSeconds:F0} s; its SYNTHETIC answer is left out (see 'nremnet practice sync --node {country}')";
        }

        if (!held.Summary.ForThisNode || held.OwnAnswerFile.Length > 0 || held.Summary.Status != QuestionStatus.Open
            || QuestionText.Read(held) is not { } question
            || SampleDocuments.Answer(question, country) is not { } file)
        {
            return null;
        }

        try
        {
            await session.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = file }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            return string.Empty;
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
        {
            throw new CliException(ExitCode(ex), $"{country} could not answer the SYNTHETIC sample question {id}: {CliContext.Describe(ex)}");
        }
    }

    /// <summary>The question as the recipient's node holds it, once it has taken it from a peer; null after <see cref="ReplicationTimeout"/>.</summary>
    private async Task<GetQuestionResponse?> ReceivedAsync(string id, string country, DocumentSession session, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pulled = false;
        while (true)
        {
            try
            {
                return await session.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                if (Stopwatch.GetElapsedTime(started) > ReplicationTimeout)
                {
                    return null;
                }
            }

            // The owner's hint makes peers pull within seconds; the node's admin may also pull at once.
            if (!pulled && Admin(country) is { } admin)
            {
                pulled = true;
                try
                {
                    using var connection = NodeConnection.Open(admin);
                    await new PracticeService.PracticeServiceClient(connection.Invoker).SyncNowAsync(new SyncNowRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
                }
                catch (RpcException)
                {
                    // Pulling now only speeds things up; the node's own pull brings the question too.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The titles of the practices <paramref name="country"/> owns, as its node holds them (withdrawn ones included).</summary>
    private static async Task<HashSet<string>> OwnTitlesAsync(string country, DocumentSession session, CancellationToken cancellationToken)
    {
        var titles = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += DocumentIds.Page)
        {
            var request = new SearchPracticesRequest { Countries = { country }, IncludeWithdrawn = true, Limit = DocumentIds.Page, Offset = offset, Order = SearchOrder.Oldest };
            var page = await session.Practices.SearchPracticesAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
            titles.UnionWith(page.Hits.Select(h => h.Practice.Title));
            if (page.Hits.Count < DocumentIds.Page || offset + page.Hits.Count >= page.Total)
            {
                return titles;
            }
        }
    }

    private Profile? Writer(string country) => Find(country, DocumentProfile.Writer);

    private Profile? Admin(string country) => Find(country, DocumentProfile.Admin);

    private Profile? Find(string country, string role) =>
        profiles.Load().Profiles.FirstOrDefault(p => string.Equals(p.Node, country, StringComparison.OrdinalIgnoreCase) && p.Roles.Contains(role, StringComparer.OrdinalIgnoreCase));

    private static int ExitCode(RpcException exception) => ExitCodes.For(exception.StatusCode);
}
