using System.Globalization;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Countries;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Queries;
using NremNet.Node.Audit;
using NremNet.Node.Storage;

namespace NremNet.Node.Statistics;

/// <summary>What a peer may ask, and with what protection.</summary>
/// <param name="Allowed">Whether the query may be answered.</param>
/// <param name="Reason">Why not, in words.</param>
/// <param name="Protection">The protection its answer gets.</param>
/// <param name="EpsilonPerQuery">Differential privacy: epsilon an answer spends.</param>
/// <param name="EpsilonPerYear">Differential privacy: the peer's yearly budget.</param>
internal sealed record AccessDecision(bool Allowed, string Reason, Protection Protection, double EpsilonPerQuery, double EpsilonPerYear);

/// <summary>
/// Sharing agreements: per peer country, which indicators and breakdowns it may ask for beyond the network baseline
/// (yearly totals per indicator, open to every active member), and the protection its answers get. Deny by default.
/// </summary>
internal sealed class Agreements(NodeDatabase database, AuditLog audit, IOptions<NodeOptions> options, TimeProvider time)
{
    /// <summary>The baseline in words.</summary>
    public const string Baseline = "Every active member may ask for yearly totals of every indicator (no breakdown), with suppression.";

    private Protection NodeDefault => options.Value.Disclosure.CellKeyPerturbation ? Protection.CellKeyPerturbation : Protection.Suppression;

    /// <summary>Every agreement, by country, with the epsilon each peer spent this year.</summary>
    public async Task<IReadOnlyList<Agreement>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM agreements ORDER BY country", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var year = time.GetUtcNow().Year;
        var spent = (await connection.QueryAsync<(string Country, double Spent)>(new CommandDefinition(
                "SELECT country, SUM(epsilon) FROM dp_ledger WHERE budget_year = @year GROUP BY country", new { year }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.Country, r => r.Spent, StringComparer.Ordinal);
        return [.. rows.Select(r => ToMessage(r, spent.GetValueOrDefault(r.Country)))];
    }

    /// <summary>Epsilon spent this year by one country (or by all, when null).</summary>
    public async Task<double> SpentAsync(string? country, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SpentAsync(connection, null, time.GetUtcNow().Year, country, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Epsilon spent in a budget year by one country (or by all, when null), within the caller's transaction if any.</summary>
    public static async Task<double> SpentAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction? transaction, int year, string? country, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<double?>(new CommandDefinition(
            country is null ? "SELECT SUM(epsilon) FROM dp_ledger WHERE budget_year = @year" : "SELECT SUM(epsilon) FROM dp_ledger WHERE budget_year = @year AND country = @country",
            new { year, country },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;

    /// <summary>Sets (adds or replaces) the agreement with a country.</summary>
    /// <exception cref="StatisticsRefusedException">Invalid: every problem of the agreement.</exception>
    public async Task<Agreement> SetAsync(string actor, Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var problems = Check(agreement);
        if (problems.Count > 0)
        {
            throw new StatisticsRefusedException(StatisticsRefusalKind.Invalid, "The agreement", problems);
        }

        var grants = string.Join('|', agreement.Grants.Select(g => g.Indicator + ":" + string.Join(',', g.Dimensions)));
        var now = time.GetUtcNow();
        var protection = agreement.Protection == Protection.Unspecified ? Protection.Suppression : agreement.Protection;
        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO agreements (country, grants, protection, epsilon_per_year, epsilon_per_query, valid_until, reference, updated_at, updated_by)
                VALUES (@Country, @grants, @protection, @EpsilonPerYear, @EpsilonPerQuery, @validUntil, @Reference, @now, @actor)
                ON CONFLICT(country) DO UPDATE SET grants = excluded.grants, protection = excluded.protection, epsilon_per_year = excluded.epsilon_per_year,
                    epsilon_per_query = excluded.epsilon_per_query, valid_until = excluded.valid_until, reference = excluded.reference,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """,
                new { agreement.Country, grants, protection = (int)protection, agreement.EpsilonPerYear, agreement.EpsilonPerQuery, validUntil = agreement.ValidUntil?.ToDateTimeOffset(), agreement.Reference, now, actor },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await audit.AppendAsync(
                connection, transaction, actor, "agreement.set", agreement.Country, "ok",
                new { grants, protection = protection.ToString(), agreement.EpsilonPerYear, agreement.EpsilonPerQuery, validUntil = agreement.ValidUntil?.ToDateTimeOffset(), agreement.Reference },
                cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await ListAsync(cancellationToken).ConfigureAwait(false)).Single(a => a.Country == agreement.Country);
    }

    /// <summary>Removes the agreement with a country; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string actor, string country, CancellationToken cancellationToken) =>
        await database.Database.InTransactionAsync(async (connection, transaction) =>
        {
            var removed = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM agreements WHERE country = @country", new { country }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
            await audit.AppendAsync(connection, transaction, actor, "agreement.remove", country, removed ? "ok" : "none", null, cancellationToken).ConfigureAwait(false);
            return removed;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Whether <paramref name="country"/> may ask <paramref name="query"/>, and with what protection.</summary>
    public async Task<AccessDecision> DecideAsync(string country, StatisticsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM agreements WHERE country = @country", new { country }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var own = options.Value.Country;
        if (row is not null && row.ValidUntil is { } until && DateTimeOffset.Parse(until, CultureInfo.InvariantCulture) < time.GetUtcNow())
        {
            row = null;
        }

        var protection = row is null ? NodeDefault : Stronger((Protection)row.Protection, NodeDefault);
        if (query.IsBaseline)
        {
            return new AccessDecision(true, string.Empty, protection, row?.EpsilonPerQuery ?? 0, row?.EpsilonPerYear ?? 0);
        }

        if (row is null)
        {
            return new AccessDecision(false, $"{own} has no sharing agreement with {country} beyond the baseline (yearly totals); breakdowns by {string.Join(", ", query.Breakdown)} need one", protection, 0, 0);
        }

        foreach (var grant in ParseGrants(row.Grants))
        {
            if ((grant.Indicator == "*" || grant.Indicator == query.Indicator.Id) && query.Breakdown.All(d => grant.Dimensions.Contains("*") || grant.Dimensions.Contains(d)))
            {
                return new AccessDecision(true, string.Empty, protection, row.EpsilonPerQuery, row.EpsilonPerYear);
            }
        }

        return new AccessDecision(false, $"{own}'s agreement with {country} does not cover {query.Indicator.Id} by {string.Join(", ", query.Breakdown)}", protection, 0, 0);
    }

    private static Protection Stronger(Protection a, Protection b) => (Protection)Math.Max((int)a, (int)b);

    private static List<(string Field, string Message)> Check(Agreement agreement)
    {
        var problems = new List<(string, string)>();
        if (!Country.IsValidCode(agreement.Country) || Country.Find(agreement.Country) is null)
        {
            problems.Add(("country", $"'{agreement.Country}' is not an ISO 3166-1 alpha-2 country code."));
        }

        foreach (var grant in agreement.Grants)
        {
            var indicator = grant.Indicator == "*" ? null : StatisticsCatalogue.FindIndicator(grant.Indicator);
            if (grant.Indicator != "*" && indicator is null)
            {
                problems.Add(("grants", $"'{grant.Indicator}' is not an indicator of catalogue {StatisticsCatalogue.Version} (or '*')."));
            }

            foreach (var dimension in grant.Dimensions)
            {
                if (dimension != "*" && StatisticsCatalogue.FindDimension(dimension) is null)
                {
                    problems.Add(("grants", $"'{dimension}' is not a dimension of catalogue {StatisticsCatalogue.Version} (or '*')."));
                }
                else if (indicator is not null && dimension != "*" && !indicator.HasDimension(dimension))
                {
                    problems.Add(("grants", $"{indicator.Id} has no dimension {dimension}; it has {string.Join(", ", indicator.Dimensions)}."));
                }
            }
        }

        if (agreement.Protection == Protection.None)
        {
            problems.Add(("protection", "'none' is only for public data such as the population, never for an agreement; choose suppression, perturbation or dp."));
        }

        if (agreement.Protection == Protection.DifferentialPrivacy && (!(agreement.EpsilonPerQuery > 0) || !(agreement.EpsilonPerYear >= agreement.EpsilonPerQuery)))
        {
            problems.Add(("epsilon", "differential privacy needs epsilon_per_query > 0 and epsilon_per_year ≥ epsilon_per_query."));
        }

        return problems;
    }

    private static IEnumerable<(string Indicator, string[] Dimensions)> ParseGrants(string text) =>
        text.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(g =>
        {
            var parts = g.Split(':');
            return (parts[0], parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : []);
        });

    private static Agreement ToMessage(Row row, double spent)
    {
        var agreement = new Agreement
        {
            Country = row.Country,
            Protection = (Protection)row.Protection,
            EpsilonPerYear = row.EpsilonPerYear,
            EpsilonPerQuery = row.EpsilonPerQuery,
            Reference = row.Reference,
            UpdatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(row.UpdatedAt, CultureInfo.InvariantCulture)),
            UpdatedBy = row.UpdatedBy,
            EpsilonSpent = spent,
        };
        if (row.ValidUntil is { } until)
        {
            agreement.ValidUntil = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(until, CultureInfo.InvariantCulture));
        }

        foreach (var (indicator, dimensions) in ParseGrants(row.Grants))
        {
            var grant = new Grant { Indicator = indicator };
            grant.Dimensions.Add(dimensions);
            agreement.Grants.Add(grant);
        }

        return agreement;
    }

    private const string Columns = "country AS Country, grants AS Grants, protection AS Protection, epsilon_per_year AS EpsilonPerYear, epsilon_per_query AS EpsilonPerQuery, valid_until AS ValidUntil, reference AS Reference, updated_at AS UpdatedAt, updated_by AS UpdatedBy";

    private sealed record Row
    {
        public string Country { get; init; } = string.Empty;

        public string Grants { get; init; } = string.Empty;

        public long Protection { get; init; }

        public double EpsilonPerYear { get; init; }

        public double EpsilonPerQuery { get; init; }

        public string? ValidUntil { get; init; }

        public string Reference { get; init; } = string.Empty;

        public string UpdatedAt { get; init; } = string.Empty;

        public string UpdatedBy { get; init; } = string.Empty;
    }
}
