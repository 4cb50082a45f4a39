using System.Text;
using Microsoft.Data.Sqlite;

namespace NremNet.Node.Tests.Infrastructure;

/// <summary>A node's database file as an operator or an attacker with the disk sees it: backups, restores, raw bytes.</summary>
internal static class SqliteFiles
{
    private static readonly string[] Suffixes = [string.Empty, "-wal", "-shm"];

    /// <summary>Moves everything in the write-ahead log into the database file and empties the log.</summary>
    public static void Checkpoint(string databaseFile)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    /// <summary>Whether the database file or its log holds <paramref name="text"/> (UTF-8), in any page, live or free.</summary>
    public static bool Contains(string databaseFile, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Suffixes.Select(s => databaseFile + s).Where(File.Exists).Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>Copies a stopped node's database (with its log) into <paramref name="folder"/>, as a file backup does.</summary>
    public static void CopyDatabase(string databaseFile, string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        foreach (var suffix in Suffixes.Where(s => File.Exists(databaseFile + s)))
        {
            File.Copy(databaseFile + suffix, Path.Combine(folder, Path.GetFileName(databaseFile) + suffix), overwrite: true);
        }
    }

    /// <summary>Puts a backup taken with <see cref="CopyDatabase"/> back in place of a stopped node's database.</summary>
    public static void RestoreDatabase(string folder, string databaseFile)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in Suffixes)
        {
            File.Delete(databaseFile + suffix);
            var saved = Path.Combine(folder, Path.GetFileName(databaseFile) + suffix);
            if (File.Exists(saved))
            {
                File.Copy(saved, databaseFile + suffix);
            }
        }
    }
}
