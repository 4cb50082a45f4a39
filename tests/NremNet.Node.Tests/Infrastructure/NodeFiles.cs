using Microsoft.Data.Sqlite;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>A node's files, read by a test the way an operator would inspect them.</summary>
internal static class NodeFiles
{
    /// <summary>A read-only connection to the SQLite database in a node's data folder (the node may be running, stopped or killed).</summary>
    public static SqliteConnection OpenReadOnly(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "node.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
