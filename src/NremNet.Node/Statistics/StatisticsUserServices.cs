using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Clients;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Countries;
using NremNet.Node.UserApi;
using NremNet.Rpc;

namespace NremNet.Node.Statistics;

/// <summary><c>nremnet.local.v1.StatisticsService</c>: federated queries for rapporteurs, imports and the data summary for admins.</summary>
internal sealed class StatisticsService(FederatedQueries federated, StatisticsEngine engine, StatisticsStore store, DataImporter importer, IOptions<NodeOptions> options) : IRpcService
{
    private const int MaxCountries = 60;

    public ServiceDefinition BindService() => ServiceBuilder.For(StatisticsClient.Descriptor)
        .Unary(StatisticsClient.GetCatalogueMethod, (_, _) => Task.FromResult(new GetCatalogueResponse { Catalogue = StatisticsEngine.Catalogue() }))
        .ServerStreaming(StatisticsClient.FederatedQueryMethod, FederatedQuery)
        .DuplexStreaming(StatisticsClient.ImportDataMethod, ImportData)
        .Unary(StatisticsClient.GetDataSummaryMethod, GetDataSummary)
        .Build();

    private async Task FederatedQuery(FederatedQueryRequest request, IServerStreamWriter<FederatedQueryResponse> responses, ServerCallContext context)
    {
        var query = engine.Validate(request.Query ?? new QueryRequest());
        var countries = request.Countries.Select(c => c.Trim().ToUpperInvariant()).Distinct().ToList();
        var problems = countries.Where(c => Country.Find(c) is null).Select(c => ("countries", $"'{c}' is not an ISO 3166-1 alpha-2 country code.")).ToList();
        if (countries.Count == 0)
        {
            problems.Add(("countries", "Name at least one country."));
        }
        else if (countries.Count > MaxCountries)
        {
            problems.Add(("countries", $"At most {MaxCountries} countries at once."));
        }

        var deadline = request.Deadline?.ToTimeSpan() ?? options.Value.Statistics.PeerDeadline;
        if (deadline <= TimeSpan.Zero || deadline > TimeSpan.FromMinutes(5))
        {
            problems.Add(("deadline", "must be above zero and at most 5 minutes."));
        }

        if (problems.Count > 0)
        {
            throw RichErrors.InvalidArgument("The federated query", problems);
        }

        await foreach (var result in federated.RunAsync(request.Query!, query, countries, deadline, request.Refresh, context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(result, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ImportData(IAsyncStreamReader<ImportDataRequest> requests, IServerStreamWriter<ImportDataResponse> responses, ServerCallContext context)
    {
        var principal = context.Principal();
        var ct = context.CancellationToken;
        if (!await requests.MoveNext(ct).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.InvalidArgument, "The import sent no file.");
        }

        var first = requests.Current;
        var kind = first.Kind;
        var name = string.IsNullOrWhiteSpace(first.FileName) ? "upload.csv" : Path.GetFileName(first.FileName);
        var total = first.TotalBytes;
        var folder = Path.Combine(options.Value.DataDirectory, "imports");
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        var progress = Channel.CreateBounded<ImportDataResponse>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var pump = Task.Run(async () =>
        {
            await foreach (var step in progress.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await responses.WriteAsync(step, ct).ConfigureAwait(false);
            }
        }, ct);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                long received = 0;
                var current = first;
                while (true)
                {
                    if (!current.Chunk.IsEmpty)
                    {
                        await file.WriteAsync(current.Chunk.Memory, ct).ConfigureAwait(false);
                        received += current.Chunk.Length;
                        progress.Writer.TryWrite(new ImportDataResponse { Phase = "receiving", Done = received, Total = total });
                    }

                    if (!await requests.MoveNext(ct).ConfigureAwait(false))
                    {
                        break;
                    }

                    current = requests.Current;
                }

                total = received;
            }

            await using var content = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var steps = new Progress<ImportStep>(step => progress.Writer.TryWrite(new ImportDataResponse { Phase = step.Phase, Done = step.Done, Total = step.Total }));
            var result = await importer.ImportAsync(principal.Actor, kind, name, content, total, steps, ct).ConfigureAwait(false);
            progress.Writer.TryComplete();
            await pump.ConfigureAwait(false);
            await responses.WriteAsync(new ImportDataResponse { Phase = "done", Done = 1, Total = 1, Result = result }, ct).ConfigureAwait(false);
        }
        finally
        {
            progress.Writer.TryComplete();
            File.Delete(temporary);
        }
    }

    private async Task<GetDataSummaryResponse> GetDataSummary(GetDataSummaryRequest request, ServerCallContext context)
    {
        var state = await store.StateAsync(context.CancellationToken).ConfigureAwait(false);
        var (cases, published, years, unprotectable) = await store.SummaryAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new GetDataSummaryResponse
        {
            Country = options.Value.Country,
            CaseRecords = cases,
            PublishedValues = published,
            DataVersion = state.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Synthetic = state.Synthetic,
            Threshold = options.Value.Disclosure.Threshold,
            Unprotectable = (int)unprotectable,
            CellKeyPerturbation = options.Value.Disclosure.CellKeyPerturbation,
        };
        if (state.UpdatedAt is { } updated)
        {
            response.UpdatedAt = Timestamp.FromDateTimeOffset(updated);
        }

        foreach (var year in years)
        {
            var message = new DataYear
            {
                Indicator = year.Indicator,
                Year = (int)year.Year,
                Source = year.FromCaseRecords ? DataSource.CaseRecords : DataSource.PublishedStatistics,
                Cells = (int)year.Cells,
                Primary = (int)year.Primary,
                Secondary = (int)year.Secondary,
            };
            if (year.Total is { } t)
            {
                message.Total = t;
            }

            response.Years.Add(message);
        }

        return response;
    }
}

/// <summary><c>nremnet.local.v1.AgreementService</c>: the node admin's sharing agreements.</summary>
internal sealed class AgreementService(Agreements agreements, IOptions<NodeOptions> options) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(AgreementClient.Descriptor)
        .Unary(AgreementClient.ListAgreementsMethod, ListAgreements)
        .Unary(AgreementClient.SetAgreementMethod, async (request, context) =>
            new SetAgreementResponse { Agreement = await agreements.SetAsync(context.Principal().Actor, request.Agreement ?? throw new RpcException(StatusCode.InvalidArgument, "The agreement is missing."), context.CancellationToken).ConfigureAwait(false) })
        .Unary(AgreementClient.RemoveAgreementMethod, async (request, context) =>
            new RemoveAgreementResponse { Removed = await agreements.RemoveAsync(context.Principal().Actor, request.Country.Trim().ToUpperInvariant(), context.CancellationToken).ConfigureAwait(false) })
        .Build();

    private async Task<ListAgreementsResponse> ListAgreements(ListAgreementsRequest request, ServerCallContext context)
    {
        var response = new ListAgreementsResponse
        {
            EpsilonCap = options.Value.Disclosure.EpsilonCap,
            EpsilonSpent = await agreements.SpentAsync(null, context.CancellationToken).ConfigureAwait(false),
            Baseline = Agreements.Baseline,
        };
        response.Agreements.Add(await agreements.ListAsync(context.CancellationToken).ConfigureAwait(false));
        return response;
    }
}
