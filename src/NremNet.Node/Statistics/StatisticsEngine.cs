using System.Globalization;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Domain.Statistics.Queries;
using NremNet.Node.Storage;
using DomainObservation = NremNet.Domain.Statistics.ObservationStatus;

namespace NremNet.Node.Statistics;

/// <summary>
/// Answers catalogue queries from the protected cell store: validates the query (refused only for what it asks, never
/// for the values), selects its cells from the release set, releases only free cells, perturbs or adds
/// differential-privacy noise as the asker's policy says, and states what was done and what the flags promise.
/// </summary>
internal sealed class StatisticsEngine(StatisticsStore store, NodeDatabase database, IOptions<NodeOptions> options, TimeProvider time)
{
    private int Threshold => options.Value.Disclosure.Threshold;

    /// <summary>The catalogue as the peer API lists it.</summary>
    public static ListIndicatorsResponse Catalogue()
    {
        var response = new ListIndicatorsResponse { CatalogueVersion = StatisticsCatalogue.Version, MaxBreakdownDimensions = StatisticsCatalogue.MaxBreakdownDimensions };
        foreach (var indicator in StatisticsCatalogue.Indicators)
        {
            var message = new Indicator { Id = indicator.Id, Label = indicator.Label, Definition = indicator.Definition, Unit = indicator.Unit };
            message.Dimensions.Add(indicator.Dimensions);
            response.Indicators.Add(message);
        }

        foreach (var dimension in StatisticsCatalogue.Dimensions)
        {
            var message = new Dimension { Id = dimension.Id, Label = dimension.Label, Definition = dimension.Definition, MultiValued = dimension.MultiValued };
            message.Codes.Add(dimension.Codes.Select(c => new Code { Id = c.Id, Label = c.Label, Definition = c.Definition }));
            response.Dimensions.Add(message);
        }

        return response;
    }

    /// <summary>Validates a query as asked.</summary>
    /// <exception cref="StatisticsRefusedException">OtherCatalogue: it asks for another catalogue; Invalid: every problem of the query.</exception>
    public StatisticsQuery Validate(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CatalogueVersion.Length > 0 && request.CatalogueVersion != StatisticsCatalogue.Version)
        {
            throw new StatisticsRefusedException(StatisticsRefusalKind.OtherCatalogue, $"This node answers from catalogue {StatisticsCatalogue.Version}, not {StatisticsQuery.Echo(request.CatalogueVersion)}.");
        }

        var currentYear = time.GetUtcNow().Year;
        var start = request.StartYear == 0 ? StatisticsCatalogue.FirstYear : request.StartYear;
        var end = request.EndYear == 0 ? (request.StartYear == 0 ? currentYear : request.StartYear) : request.EndYear;
        var (query, problems) = StatisticsQuery.Create(
            request.Indicator,
            request.Breakdown,
            start,
            end,
            request.Filters.Select(f => new KeyValuePair<string, IReadOnlyList<string>>(f.Dimension, [.. f.Codes])),
            currentYear);
        return query ?? throw new StatisticsRefusedException(StatisticsRefusalKind.Invalid, "The query", problems);
    }

    /// <summary>
    /// The protected answer to a query for <paramref name="asker"/> (a peer country, or the node's own country for
    /// its own people), with the protection decided for it.
    /// </summary>
    /// <remarks>
    /// Nothing here depends on the values: the answer selects the query's cells from the release set as it was
    /// protected at import, so whether and how a query is answered reveals nothing the protected set does not.
    /// </remarks>
    /// <exception cref="StatisticsRefusedException">BudgetSpent: the asker's or the node's privacy budget is spent.</exception>
    public async Task<QueryResponse> AnswerAsync(string asker, StatisticsQuery query, AccessDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(decision);
        var state = await store.StateAsync(cancellationToken).ConfigureAwait(false);
        var rows = await store.CellsAsync(query.Indicator.Id, query.Signatures, query.StartYear, query.EndYear, cancellationToken).ConfigureAwait(false);
        var years = rows.Select(r => (int)r.Year).Distinct().Order().ToList();

        // Public data (the population) is released as published: no noise, so no budget is spent on it.
        var dp = decision.Protection == Protection.DifferentialPrivacy && !query.Indicator.ExemptFromDisclosureControl && rows.Any(r => r.FromCaseRecords);
        if (dp)
        {
            if (await ReplayAsync(asker, query, state.Version, cancellationToken).ConfigureAwait(false) is { } replay)
            {
                return replay;
            }

            await SpendAsync(asker, query, decision, cancellationToken).ConfigureAwait(false);
        }

        var response = Build(query, rows, decision, state, years, dp);
        if (dp)
        {
            await KeepAsync(asker, query, state.Version, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private QueryResponse Build(StatisticsQuery query, IReadOnlyList<StoredCell> rows, AccessDecision decision, StatisticsState state, List<int> years, bool dp)
    {
        var exempt = query.Indicator.ExemptFromDisclosureControl;
        var perturb = decision.Protection == Protection.CellKeyPerturbation && !exempt;
        var sensitivity = GeometricMechanism.Sensitivity(query.Signatures);
        var response = new QueryResponse
        {
            Country = options.Value.Country,
            Indicator = query.Indicator.Id,
            CatalogueVersion = StatisticsCatalogue.Version,
            DataVersion = state.Version.ToString(CultureInfo.InvariantCulture),
            Synthetic = state.Synthetic,
            Source = rows.Count == 0 ? DataSource.None : rows.Any(r => r.FromCaseRecords) ? DataSource.CaseRecords : DataSource.PublishedStatistics,
        };
        response.Breakdown.Add(query.Breakdown);
        response.YearsAvailable.Add(years);
        if (state.UpdatedAt is { } updated)
        {
            response.DataUpdatedAt = Timestamp.FromDateTimeOffset(updated);
        }

        int primary = 0, secondary = 0;
        foreach (var row in rows.OrderBy(r => r.Year).ThenBy(r => r.Signature.Length).ThenBy(r => r.Cell, StringComparer.Ordinal))
        {
            var codes = CellCodes.Parse(row.Cell);
            if (!query.Wants(codes))
            {
                continue;
            }

            var cell = new Cell();
            foreach (var dimension in query.Breakdown)
            {
                cell.Key[dimension] = codes.Has(dimension) ? codes.CodeOf(dimension) : StatisticsCatalogue.Total;
            }

            cell.Key[StatisticsCatalogue.TimePeriod] = row.Year.ToString(CultureInfo.InvariantCulture);
            var observation = StatusCodes.ParseObservation(row.ObsStatus) ?? DomainObservation.Normal;
            switch (row.ConfStatus)
            {
                case "C":
                    primary++;
                    cell.ObservationStatus = Contracts.Aggregates.V1.ObservationStatus.Withheld;
                    cell.ConfidentialityStatus = Contracts.Aggregates.V1.ConfidentialityStatus.Primary;
                    break;
                case "D":
                    secondary++;
                    cell.ObservationStatus = Contracts.Aggregates.V1.ObservationStatus.Withheld;
                    cell.ConfidentialityStatus = Contracts.Aggregates.V1.ConfidentialityStatus.Secondary;
                    break;
                default:
                    cell.ConfidentialityStatus = Contracts.Aggregates.V1.ConfidentialityStatus.Free;
                    cell.ObservationStatus = Observation(observation);
                    if (observation == DomainObservation.Withheld)
                    {
                        // Withheld already when the country published it.
                        cell.ConfidentialityStatus = Contracts.Aggregates.V1.ConfidentialityStatus.Primary;
                    }
                    else if (row.Value is { } value)
                    {
                        var released = value;
                        if (row.FromCaseRecords && dp)
                        {
                            released = Math.Max(0, value + GeometricMechanism.Noise(decision.EpsilonPerQuery, sensitivity));
                            cell.Noisy = true;
                        }
                        else if (row.FromCaseRecords && perturb)
                        {
                            released = CellKeyPerturbation.Apply(value, (uint)row.CellKey, Threshold);
                            cell.Noisy = released != value || value > 0;
                        }

                        cell.Value = released;
                    }

                    break;
            }

            response.Cells.Add(cell);
        }

        if (exempt)
        {
            response.Policy = new DisclosurePolicy
            {
                Protection = Protection.None,
                PrimaryWithheld = primary,
                SecondaryWithheld = secondary,
                Description = $"public data ({query.Indicator.Label.ToLowerInvariant()}) as {options.Value.Country} published it, released without disclosure control: no suppression, perturbation or noise; a value withheld or missing at publication stays so.",
            };
            return response;
        }

        var policy = new DisclosurePolicy
        {
            Protection = decision.Protection,
            Threshold = Threshold,
            PrimaryWithheld = primary,
            SecondaryWithheld = secondary,
        };
        var describe = new List<string>
        {
            response.Source == DataSource.PublishedStatistics
                ? $"published statistics as {options.Value.Country} published them; non-zero counts below {Threshold} withheld at the source"
                : $"non-zero counts below {Threshold} withheld, with further cells, over the year's whole release set at once",
            DisclosureControl.FlagPromise(Threshold),
        };
        if (decision.Protection == Protection.CellKeyPerturbation)
        {
            policy.PerturbationBound = CellKeyPerturbation.Bound;
            describe.Add($"released counts perturbed consistently by at most ±{CellKeyPerturbation.Bound} (cell-key method)");
        }
        else if (decision.Protection == Protection.DifferentialPrivacy)
        {
            policy.Epsilon = dp ? decision.EpsilonPerQuery : 0;
            policy.BudgetTotal = decision.EpsilonPerYear;
            describe.Add(FormattableString.Invariant($"differential privacy: geometric noise, epsilon {decision.EpsilonPerQuery} per answer (expected |noise| {GeometricMechanism.ExpectedAbsoluteNoise(decision.EpsilonPerQuery, sensitivity):0.#})"));
        }

        policy.Description = string.Join("; ", describe) + ".";
        response.Policy = policy;
        return response;
    }

    private static Contracts.Aggregates.V1.ObservationStatus Observation(DomainObservation status) => status switch
    {
        DomainObservation.Missing => Contracts.Aggregates.V1.ObservationStatus.Missing,
        DomainObservation.Withheld => Contracts.Aggregates.V1.ObservationStatus.Withheld,
        DomainObservation.Estimated => Contracts.Aggregates.V1.ObservationStatus.Estimated,
        DomainObservation.Provisional => Contracts.Aggregates.V1.ObservationStatus.Provisional,
        _ => Contracts.Aggregates.V1.ObservationStatus.Normal,
    };

    /// <summary>The same differentially private query on the same data gets the same answer, without spending again.</summary>
    private async Task<QueryResponse?> ReplayAsync(string asker, StatisticsQuery query, long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT answer FROM dp_answers WHERE country = @asker AND query = @query AND data_version = @version",
            new { asker, query = query.Canonical, version },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        var response = QueryResponse.Parser.ParseFrom(bytes);
        response.Policy.BudgetRemaining = Math.Max(0, response.Policy.BudgetTotal - await Agreements.SpentAsync(connection, null, time.GetUtcNow().Year, asker, cancellationToken).ConfigureAwait(false));
        return response;
    }

    private async Task SpendAsync(string asker, StatisticsQuery query, AccessDecision decision, CancellationToken cancellationToken)
    {
        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var year = time.GetUtcNow().Year;
            var spent = await Agreements.SpentAsync(connection, transaction, year, asker, cancellationToken).ConfigureAwait(false);
            var all = await Agreements.SpentAsync(connection, transaction, year, null, cancellationToken).ConfigureAwait(false);
            if (spent + decision.EpsilonPerQuery > decision.EpsilonPerYear + 1e-9)
            {
                throw new StatisticsRefusedException(StatisticsRefusalKind.BudgetSpent, FormattableString.Invariant($"{asker} has spent {spent:0.###} of its {decision.EpsilonPerYear:0.###} epsilon for {year}; this answer needs {decision.EpsilonPerQuery:0.###}."));
            }

            if (all + decision.EpsilonPerQuery > options.Value.Disclosure.EpsilonCap + 1e-9)
            {
                throw new StatisticsRefusedException(StatisticsRefusalKind.BudgetSpent, FormattableString.Invariant($"This node has given out {all:0.###} of its {options.Value.Disclosure.EpsilonCap:0.###} epsilon for {year} across all peers."));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO dp_ledger (country, budget_year, epsilon, query, at) VALUES (@asker, @year, @epsilon, @query, @now)",
                new { asker, year, epsilon = decision.EpsilonPerQuery, query = query.Canonical, now = time.GetUtcNow() },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task KeepAsync(string asker, StatisticsQuery query, long version, QueryResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        response.Policy.BudgetRemaining = Math.Max(0, response.Policy.BudgetTotal - await Agreements.SpentAsync(connection, null, time.GetUtcNow().Year, asker, cancellationToken).ConfigureAwait(false));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT OR IGNORE INTO dp_answers (country, query, data_version, answer) VALUES (@asker, @query, @version, @answer)",
            new { asker, query = query.Canonical, version, answer = response.ToByteArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
