using Microsoft.Data.Sqlite;

namespace NremNet.Directory.Tests.Infrastructure;

/// <summary>One row of the directory's <c>member_events</c> table.</summary>
internal sealed record MemberEvent(string Country, DateTimeOffset At, string Event, string Status, string Actor, string Reason);

/// <summary>Reads a member's history straight from the directory's SQLite file, as an operator would.</summary>
internal static class MemberHistory
{
    public static async Task<IReadOnlyList<MemberEvent>> ReadAsync(TestNetwork network, string country)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(network.DataDirectory, "directory.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT country, at, event, status, actor, reason FROM member_events WHERE country = $country ORDER BY id;";
        command.Parameters.AddWithValue("$country", country);
        await using var reader = await command.ExecuteReaderAsync(cancel);
        var events = new List<MemberEvent>();
        while (await reader.ReadAsync(cancel))
        {
            events.Add(new MemberEvent(
                reader.GetString(0),
                DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return events;
    }
}
