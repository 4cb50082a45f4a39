using Microsoft.Data.Sqlite;
using NremNet.Domain.Pki;
using NremNet.Node.Audit;
using NremNet.Node.Storage;

namespace NremNet.Node.Tests.Audit;

/// <summary>The audit log is append-only, and any edit or deletion made behind its back is found.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("nremnet-audit-").FullName;

    [Fact]
    public async Task IntactLog_Verifies()
    {
        var (audit, _) = await CreateAsync(20);

        var verdict = await audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(20, verdict.EntriesChecked);
    }

    [Fact]
    public async Task UpdateOrDeleteThroughTheDatabase_IsRefused()
    {
        var (_, database) = await CreateAsync(3);
        await using var connection = await database.Database.OpenAsync(TestContext.Current.CancellationToken);

        var update = await Assert.ThrowsAsync<SqliteException>(() => Execute(connection, "UPDATE audit_log SET outcome = 'ok' WHERE sequence = 2"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SqliteException>(() => Execute(connection, "DELETE FROM audit_log WHERE sequence = 3"));
    }

    [Theory]
    [InlineData("UPDATE audit_log SET details = '{\"reason\":\"nothing to see\"}' WHERE sequence = 7", 7, "does not match its hash")]
    [InlineData("DELETE FROM audit_log WHERE sequence = 5", 5, "are missing")]
    [InlineData("DELETE FROM audit_log WHERE sequence >= 9", 9, "deleted from the end")]
    [InlineData("UPDATE audit_head SET signature = X'00'", 10, "forged")]
    public async Task TamperingBehindTheLogsBack_IsDetected(string tampering, long firstBad, string problem)
    {
        var (audit, database) = await CreateAsync(10);
        await using (var connection = await database.Database.OpenAsync(TestContext.Current.CancellationToken))
        {
            // What someone with access to the file would do: lift the guards, then edit.
            await Execute(connection, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
            await Execute(connection, tampering);
        }

        var verdict = await audit.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.False(verdict.Intact);
        Assert.Equal(firstBad, verdict.FirstBadSequence);
        Assert.Contains(problem, verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RewritingTheWholeChainWithoutTheNodesKey_IsDetected()
    {
        var (_, database) = await CreateAsync(5);
        var attacker = NetworkCertificates.IssueNode(NetworkCertificates.CreateAuthority("other", DateTimeOffset.UtcNow, TimeSpan.FromDays(2)), "NL", [], DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        await using (var connection = await database.Database.OpenAsync(TestContext.Current.CancellationToken))
        {
            await Execute(connection, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; DELETE FROM audit_head;");
        }

        // A fresh, internally consistent chain signed with another key.
        var forged = new AuditLog(database, attacker, TimeProvider.System);
        await forged.AppendAsync("user:nobody", "user.add", "ghost", "ok", null, TestContext.Current.CancellationToken);

        var verdict = await Open(database).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.False(verdict.Intact);
        Assert.Contains("forged", verdict.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private async Task<(AuditLog Audit, NodeDatabase Database)> CreateAsync(int entries)
    {
        var database = new NodeDatabase(_folder);
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        var audit = Open(database);
        for (var i = 1; i <= entries; i++)
        {
            await audit.AppendAsync("user:nl-admin", "user.add", $"user{i}", "ok", new { roles = "rapporteur" }, TestContext.Current.CancellationToken);
        }

        return (audit, database);
    }

    private static readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2> NodeCertificate = new(() =>
        NetworkCertificates.IssueNode(NetworkCertificates.CreateAuthority("audit test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(2)), "NL", [], DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));

    private static AuditLog Open(NodeDatabase database) => new(database, NodeCertificate.Value, TimeProvider.System);

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
