using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Node.Audit;
using NremNet.Node.Storage;

namespace NremNet.Node.Statistics;

/// <summary>A protected cell as stored: its true value, and what may be released of it.</summary>
internal sealed record StoredCell
{
    public string Indicator { get; init; } = string.Empty;

    public string Signature { get; init; } = string.Empty;

    public long Year { get; init; }

    public string Cell { get; init; } = string.Empty;

    public long? Value { get; init; }

    public string ObsStatus { get; init; } = "A";

    public string ConfStatus { get; init; } = "F";

    public long CellKey { get; init; }

    public bool FromCaseRecords { get; init; }
}

/// <summary>The store's state: its version (bumped by every import that changes something) and the node's secret.</summary>
internal sealed record StatisticsState(long Version, DateTimeOffset? UpdatedAt, bool Synthetic, int Threshold, byte[] Secret);

/// <summary>A step of an import, for progress.</summary>
internal readonly record struct ImportStep(string Phase, long Done, long Total);

/// <summary>What an import changed.</summary>
internal sealed record ImportOutcome(int Changed, int Unchanged, IReadOnlyList<int> Years, long Version);

/// <summary>Per indicator and year: what the store holds.</summary>
internal sealed record StoredYear
{
    public string Indicator { get; init; } = string.Empty;

    public long Year { get; init; }

    public bool FromCaseRecords { get; init; }

    public long? Total { get; init; }

    public long Cells { get; init; }

    public long Primary { get; init; }

    public long Secondary { get; init; }
}

/// <summary>
/// The node's statistics: case records and published values as imported, and the pre-aggregated, protected cell store
/// every query reads — recomputed for the years an import touches, inside the import's transaction, so a query never
/// sees a half-applied import and a failed import leaves everything as it was.
/// </summary>
internal sealed partial class StatisticsStore(NodeDatabase database, AuditLog audit, IIntegerSolver solver, IOptions<NodeOptions> options, TimeProvider time, ILogger<StatisticsStore> logger)
{
    private const string CellColumns = "indicator AS Indicator, signature AS Signature, year AS Year, cell AS Cell, value AS Value, obs_status AS ObsStatus, conf_status AS ConfStatus, cell_key AS CellKey, from_case_records AS FromCaseRecords";

    private readonly SemaphoreSlim _writer = new(1, 1);
    private StatisticsState? _state;

    private int Threshold => options.Value.Disclosure.Threshold;

    private string Country => options.Value.Country;

    /// <summary>The store's state, created on first use (with a fresh node secret for record keys).</summary>
    public async Task<StatisticsState> StateAsync(CancellationToken cancellationToken)
    {
        if (_state is { } cached)
        {
            return cached;
        }

        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var state = await ReadStateAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO stat_state (id, version, updated_at, synthetic, threshold, secret) VALUES (1, 0, NULL, 0, @threshold, @secret)",
                new { threshold = Threshold, secret = RandomNumberGenerator.GetBytes(32) },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            state = await ReadStateAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }

        return _state = state!;
    }

    /// <summary>Recomputes every year's protection when the configured threshold differs from the stored one.</summary>
    public async Task EnsureThresholdAsync(CancellationToken cancellationToken)
    {
        var state = await StateAsync(cancellationToken).ConfigureAwait(false);
        if (state.Threshold == Threshold)
        {
            return;
        }

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await database.Database.InTransactionAsync(async (connection, transaction) =>
            {
                var years = (await connection.QueryAsync<long>(new CommandDefinition(
                    "SELECT DISTINCT year FROM case_records UNION SELECT DISTINCT year FROM published_values", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
                    .Select(y => (int)y).ToList();
                await RecomputeAsync(connection, transaction, state, years, null, cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE stat_state SET threshold = @threshold, version = version + 1, updated_at = @now WHERE id = 1", new { threshold = Threshold, now = time.GetUtcNow() }, transaction, cancellationToken: cancellationToken))
                    .ConfigureAwait(false);
                await audit.AppendAsync(connection, transaction, "node", "statistics.reprotect", "threshold", "ok", new { from = state.Threshold, to = Threshold, years }, cancellationToken).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            _state = null;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Stores case records (new or changed ones; the rest are left as they are) and recomputes their years.</summary>
    /// <remarks>
    /// Each record is looked up by its id rather than every stored id and hash being read into memory first: an import no
    /// longer takes memory in proportion to what the node already holds (a million stored records took 150 to 300 MB
    /// more), and a million lookups by primary key cost no more than that read.
    /// </remarks>
    public Task<ImportOutcome> ImportCasesAsync(string actor, string fileName, IReadOnlyList<CaseRecord> records, bool synthetic, IProgress<ImportStep>? progress, CancellationToken cancellationToken) =>
        ImportAsync(actor, fileName, "case_records", synthetic, progress, cancellationToken, async (connection, transaction) =>
        {
            await using var lookup = connection.CreateCommand();
            lookup.Transaction = transaction;
            lookup.CommandText = "SELECT row_hash, year FROM case_records WHERE record_id = $id";
            var lookupId = lookup.Parameters.Add("$id", SqliteType.Text);
            lookup.Prepare();

            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = "INSERT INTO case_records (record_id, year, row_hash, data) VALUES ($id, $year, $hash, $data) ON CONFLICT(record_id) DO UPDATE SET year = excluded.year, row_hash = excluded.row_hash, data = excluded.data";
            var id = upsert.Parameters.Add("$id", SqliteType.Text);
            var year = upsert.Parameters.Add("$year", SqliteType.Integer);
            var hash = upsert.Parameters.Add("$hash", SqliteType.Text);
            var data = upsert.Parameters.Add("$data", SqliteType.Text);
            upsert.Prepare();

            var years = new SortedSet<int>();
            var changed = 0;
            for (var i = 0; i < records.Count; i++)
            {
                if (i % 10_000 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new ImportStep("storing", i, records.Count));
                }

                var record = records[i];
                var text = CaseRecordText.Encode(record);
                var rowHash = CaseRecordText.Hash(text);
                lookupId.Value = record.RecordId;
                await using (var stored = await lookup.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await stored.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (stored.GetString(0) == rowHash)
                        {
                            continue;
                        }

                        years.Add(stored.GetInt32(1));
                    }
                }

                years.Add(record.YearIdentified);
                id.Value = record.RecordId;
                year.Value = record.YearIdentified;
                hash.Value = rowHash;
                data.Value = text;
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                changed++;
            }

            progress?.Report(new ImportStep("storing", records.Count, records.Count));
            return (changed, records.Count - changed, years);
        });

    /// <summary>Stores published values (new or changed ones) and recomputes their years.</summary>
    public Task<ImportOutcome> ImportPublishedAsync(string actor, string fileName, IReadOnlyList<PublishedValue> values, bool synthetic, IProgress<ImportStep>? progress, CancellationToken cancellationToken) =>
        ImportAsync(actor, fileName, "published_values", synthetic, progress, cancellationToken, async (connection, transaction) =>
        {
            var existing = new Dictionary<(string, long, string), (long? Value, string Status)>();
            foreach (var row in await connection.QueryAsync<(string Indicator, long Year, string Cell, long? Value, string Status)>(new CommandDefinition(
                "SELECT indicator, year, cell, value, obs_status FROM published_values", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                existing[(row.Indicator, row.Year, row.Cell)] = (row.Value, row.Status);
            }

            var years = new SortedSet<int>();
            var changed = 0;
            foreach (var value in values)
            {
                var status = value.Status.Code();
                if (existing.TryGetValue((value.Indicator, value.Year, value.Cell.Key), out var before) && before.Value == value.Value && before.Status == status)
                {
                    continue;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO published_values (indicator, year, cell, value, obs_status) VALUES (@Indicator, @Year, @cell, @Value, @status) ON CONFLICT(indicator, year, cell) DO UPDATE SET value = excluded.value, obs_status = excluded.obs_status",
                    new { value.Indicator, value.Year, cell = value.Cell.Key, value.Value, status },
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                years.Add(value.Year);
                changed++;
            }

            return (changed, values.Count - changed, years);
        });

    /// <summary>The protected cells of an indicator for the given signatures and years.</summary>
    public async Task<IReadOnlyList<StoredCell>> CellsAsync(string indicator, IReadOnlyList<string> signatures, int startYear, int endYear, CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StoredCell>(
            new CommandDefinition(
                $"SELECT {CellColumns} FROM stat_cells WHERE indicator = @indicator AND signature IN @signatures AND year BETWEEN @startYear AND @endYear",
                new { indicator, signatures, startYear, endYear },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>What the store holds, per indicator and year.</summary>
    public async Task<(long CaseRecords, long PublishedValues, IReadOnlyList<StoredYear> Years, long Unprotectable)> SummaryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var cases = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM case_records", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var published = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM published_values", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var unprotectable = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT SUM(unprotectable) FROM stat_years", cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        var years = await connection.QueryAsync<StoredYear>(new CommandDefinition(
            """
            SELECT indicator AS Indicator, year AS Year, MAX(from_case_records) AS FromCaseRecords,
                   MAX(CASE WHEN signature = '' THEN value END) AS Total, COUNT(*) AS Cells,
                   SUM(conf_status = 'C') AS "Primary", SUM(conf_status = 'D') AS Secondary
            FROM stat_cells GROUP BY indicator, year ORDER BY indicator, year
            """,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (cases, published, years.AsList(), unprotectable);
    }

    private async Task<ImportOutcome> ImportAsync(
        string actor,
        string fileName,
        string kind,
        bool synthetic,
        IProgress<ImportStep>? progress,
        CancellationToken cancellationToken,
        Func<SqliteConnection, SqliteTransaction, Task<(int Changed, int Unchanged, SortedSet<int> Years)>> store)
    {
        var state = await StateAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outcome = await database.Database.InTransactionAsync(async (connection, transaction) =>
            {
                var (changed, unchanged, years) = await store(connection, transaction).ConfigureAwait(false);
                var version = state.Version;
                if (changed > 0)
                {
                    await RecomputeAsync(connection, transaction, state, [.. years], progress, cancellationToken).ConfigureAwait(false);
                    progress?.Report(new ImportStep("committing", 0, 1));
                    version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "UPDATE stat_state SET version = version + 1, updated_at = @now, synthetic = MAX(synthetic, @synthetic), threshold = @threshold WHERE id = 1 RETURNING version",
                        new { now = time.GetUtcNow(), synthetic = synthetic ? 1 : 0, threshold = Threshold },
                        transaction,
                        cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                await audit.AppendAsync(connection, transaction, actor, "statistics.import", fileName, "ok", new { kind, changed, unchanged, years, version, synthetic }, cancellationToken).ConfigureAwait(false);
                return new ImportOutcome(changed, unchanged, [.. years], version);
            }, cancellationToken).ConfigureAwait(false);
            _state = null;
            StatisticsLog.Imported(logger, kind, outcome.Changed, outcome.Unchanged, outcome.Years.Count, outcome.Version);
            return outcome;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Recomputes the protected cells of some years from everything stored: case records aggregated to the release set
    /// (every cell a query can select) and to their joint table, published values for the indicators the records do
    /// not cover, then disclosure control over the year's whole release set at once. Queries only select from the
    /// stored result.
    /// </summary>
    private async Task RecomputeAsync(SqliteConnection connection, SqliteTransaction transaction, StatisticsState state, IReadOnlyList<int> years, IProgress<ImportStep>? progress, CancellationToken cancellationToken)
    {
        var secret = state.Secret;
        var inputs = new List<(int Year, List<StatisticsCell> Cells, IReadOnlyList<JointTable> Joint)>();
        foreach (var year in years)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ImportStep("aggregating", inputs.Count, years.Count));
            var records = new List<CaseRecord>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT data FROM case_records WHERE year = $year";
                command.Parameters.AddWithValue("$year", year);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records.Add(CaseRecordText.Decode(reader.GetString(0)));
                }
            }

            var published = await connection.QueryAsync<(string Indicator, string Cell, long? Value, string Status)>(new CommandDefinition(
                "SELECT indicator, cell, value, obs_status FROM published_values WHERE year = @year ORDER BY indicator, cell", new { year }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var release = ReleaseYear.Of(
                year,
                Country,
                records,
                published.Select(row => new PublishedValue(row.Indicator, year, CellCodes.Parse(row.Cell), row.Value, StatusCodes.ParseObservation(row.Status) ?? ObservationStatus.Normal)),
                id => CellKeyPerturbation.RecordKey(secret, id));
            inputs.Add((year, release.Cells, release.Joint));
        }

        // Disclosure control is the costly part; years are independent, so they are protected side by side.
        var protections = new YearProtection[inputs.Count];
        var protectedYears = 0;
        await Parallel.ForAsync(0, inputs.Count, new ParallelOptions { CancellationToken = cancellationToken }, (i, _) =>
        {
            protections[i] = DisclosureControl.Protect(inputs[i].Year, inputs[i].Cells, inputs[i].Joint, Threshold, solver);
            progress?.Report(new ImportStep("protecting", Interlocked.Increment(ref protectedYears), inputs.Count));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var done = 0;
        for (var n = 0; n < inputs.Count; n++)
        {
            var (year, cells, _) = inputs[n];
            var protection = protections[n];
            if (protection.Unprotectable > 0)
            {
                StatisticsLog.Unprotectable(logger, year, protection.Unprotectable);
            }

            progress?.Report(new ImportStep("storing cells", done, years.Count));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM stat_cells WHERE year = @year", new { year }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO stat_cells (indicator, signature, year, cell, value, obs_status, conf_status, cell_key, from_case_records) VALUES ($i, $s, $y, $c, $v, $o, $f, $k, $r)";
                var pi = insert.Parameters.Add("$i", SqliteType.Text);
                var ps = insert.Parameters.Add("$s", SqliteType.Text);
                var py = insert.Parameters.Add("$y", SqliteType.Integer);
                var pc = insert.Parameters.Add("$c", SqliteType.Text);
                var pv = insert.Parameters.Add("$v", SqliteType.Integer);
                var po = insert.Parameters.Add("$o", SqliteType.Text);
                var pf = insert.Parameters.Add("$f", SqliteType.Text);
                var pk = insert.Parameters.Add("$k", SqliteType.Integer);
                var pr = insert.Parameters.Add("$r", SqliteType.Integer);
                insert.Prepare();
                for (var i = 0; i < cells.Count; i++)
                {
                    var cell = cells[i];
                    pi.Value = cell.Indicator;
                    ps.Value = cell.Cell.Signature;
                    py.Value = year;
                    pc.Value = cell.Cell.Key;
                    pv.Value = cell.Value is { } v ? v : DBNull.Value;
                    po.Value = cell.Status.Code();
                    pf.Value = protection.Confidentiality[i].Code();
                    pk.Value = (long)cell.CellKey;
                    pr.Value = cell.FromCaseRecords ? 1 : 0;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO stat_years (year, primary_withheld, secondary_withheld, unprotectable, computed_at) VALUES (@year, @Primary, @Secondary, @Unprotectable, @now) ON CONFLICT(year) DO UPDATE SET primary_withheld = excluded.primary_withheld, secondary_withheld = excluded.secondary_withheld, unprotectable = excluded.unprotectable, computed_at = excluded.computed_at",
                new { year, protection.Primary, protection.Secondary, protection.Unprotectable, now = time.GetUtcNow() },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            done++;
        }

        progress?.Report(new ImportStep("storing cells", done, years.Count));
    }

    private static async Task<StatisticsState?> ReadStateAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Version, string? UpdatedAt, long Synthetic, long Threshold, byte[] Secret)>(new CommandDefinition(
            "SELECT version, updated_at, synthetic, threshold, secret FROM stat_state WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.Secret is null
            ? null
            : new StatisticsState(row.Version, row.UpdatedAt is null ? null : DateTimeOffset.Parse(row.UpdatedAt, CultureInfo.InvariantCulture), row.Synthetic != 0, (int)row.Threshold, row.Secret);
    }
}

/// <summary>The stored text form of a case record: one tab-separated line.</summary>
internal static class CaseRecordText
{
    public static string Encode(CaseRecord record) => string.Join('\t',
        record.RecordId,
        record.YearIdentified.ToString(CultureInfo.InvariantCulture),
        record.IdentificationStatus,
        record.Sex,
        record.Age?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        record.Citizenship ?? string.Empty,
        string.Join(';', record.Exploitation),
        record.Assisted ? "1" : "0",
        record.ResidencePermit ? "1" : "0",
        string.Join(';', record.ReferredTo),
        string.Join(';', record.ReferredFrom));

    /// <summary>The stored row hash of an encoded record: the first 128 bits of its SHA-256, in hex.</summary>
    public static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexString(digest[..16]);
    }

    public static CaseRecord Decode(string text)
    {
        var f = text.Split('\t');
        return new CaseRecord(
            f[0],
            int.Parse(f[1], CultureInfo.InvariantCulture),
            f[2],
            f[3],
            f[4].Length == 0 ? null : int.Parse(f[4], CultureInfo.InvariantCulture),
            f[5].Length == 0 ? null : f[5],
            f[6].Split(';', StringSplitOptions.RemoveEmptyEntries),
            f[7] == "1",
            f[8] == "1",
            f[9].Split(';', StringSplitOptions.RemoveEmptyEntries),
            f[10].Split(';', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>Log messages of the statistics store.</summary>
internal static partial class StatisticsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Imported {Kind}: {Changed} changed, {Unchanged} unchanged, {Years} years recomputed, data version {Version}")]
    public static partial void Imported(ILogger logger, string kind, int changed, int unchanged, int years, long version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Disclosure control could not prove {Count} withheld cells of {Year}; every cell of the year's affected tables stays withheld")]
    public static partial void Unprotectable(ILogger logger, int year, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Statistics query from {Country}: {Query} → {Outcome}")]
    public static partial void PeerQuery(ILogger logger, string country, string query, string outcome);
}
