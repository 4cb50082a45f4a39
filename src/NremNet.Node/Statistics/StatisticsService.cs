using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Countries;
using NremNet.Hosting.Grpc;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Statistics;

/// <summary><c>nremnet.local.v1.StatisticsService</c>: federated queries for rapporteurs, imports and the data summary for admins.</summary>
internal sealed class StatisticsService(FederatedQueries federated, StatisticsEngine engine, StatisticsStore store, DataImporter importer, IOptions<NodeOptions> options) : Proto.StatisticsService.StatisticsServiceBase
{
    private const int MaxCountries = 60;

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<GetCatalogueResponse> GetCatalogue(GetCatalogueRequest request, ServerCallContext context) =>
        Task.FromResult(new GetCatalogueResponse { Catalogue = StatisticsEngine.Catalogue() });

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task FederatedQuery(FederatedQueryRequest request, IServerStreamWriter<FederatedQueryResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
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
            await responseStream.WriteAsync(result, context.CancellationToken).ConfigureAwait(false);
        }
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task ImportData(IAsyncStreamReader<ImportDataRequest> requestStream, IServerStreamWriter<ImportDataResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal();
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The import sent no file."));
        }

        var first = requestStream.Current;
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
                await responseStream.WriteAsync(step, ct).ConfigureAwait(false);
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

                    if (!await requestStream.MoveNext(ct).ConfigureAwait(false))
                    {
                        break;
                    }

                    current = requestStream.Current;
                }

                total = received;
            }

            await using var content = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var steps = new Progress<ImportStep>(step => progress.Writer.TryWrite(new ImportDataResponse { Phase = step.Phase, Done = step.Done, Total = step.Total }));
            var result = await importer.ImportAsync(principal.Actor, kind, name, content, total, steps, ct).ConfigureAwait(false);
            progress.Writer.TryComplete();
            await pump.ConfigureAwait(false);
            await responseStream.WriteAsync(new ImportDataResponse { Phase = "done", Done = 1, Total = 1, Result = result }, ct).ConfigureAwait(false);
        }
        finally
        {
            progress.Writer.TryComplete();
            File.Delete(temporary);
        }
    }

    [Authorize(Policy = UserApiAccess.RapporteurOrAdmin)]
    public override async Task<GetDataSummaryResponse> GetDataSummary(GetDataSummaryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
