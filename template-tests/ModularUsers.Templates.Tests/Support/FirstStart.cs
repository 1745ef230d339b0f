using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ModularUsers.Templates.Tests.Support;

// A mu-webapp app's first `dotnet run` in Development on an empty database: the shipped migration
// of exactly its modules is applied at start-up. Records what a user would see: whether a first
// user can register (with the email module, confirming the address from the Development mailbox
// page, since Email:RequireConfirmedEmail is on by default) and sign in, the sign-in page before
// that, the home page with its menu for that user, and the tables the database has.
public sealed record FirstStart(bool Answered, RunningApp.Registration Registered, SortedSet<string> Tables, string SignInPage, string HomePage,
    IReadOnlyDictionary<string, HttpStatusCode> Pages, string Output)
{
    public static Task<FirstStart> RunAsync(GeneratedApp app, string? postgresAdmin) =>
        RunAsync(app.ProjectFolder, postgresAdmin, []);

    // pages: read as the registered user, their statuses in Pages.
    public static async Task<FirstStart> RunAsync(string projectFolder, string? postgresAdmin, IEnumerable<string> pages)
    {
        string connection;
        string? postgresDatabase = null;
        if (postgresAdmin is null)
        {
            connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetDirectoryName(projectFolder)!, "first-start.db") }.ToString();
        }
        else
        {
            postgresDatabase = "mu_first_start_" + Guid.NewGuid().ToString("N")[..12];
            connection = new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = postgresDatabase }.ToString();
        }
        try
        {
            var (answered, registered, signInPage, home, statuses, output) = await RunningApp.StartOnceAsync(projectFolder, "Debug", connection, pages);
            var tables = postgresAdmin is null ? await SqliteTablesAsync(connection) : await PostgresTablesAsync(connection);
            return new FirstStart(answered, registered, tables, signInPage, home, statuses, output);
        }
        finally
        {
            if (postgresDatabase is not null)
            {
                await DropPostgresDatabaseAsync(postgresAdmin!, postgresDatabase);
            }
        }
    }

    public override string ToString() =>
        $"First start: {(Answered ? "answered" : "did not answer")}, registration {(int)Registered.Status} to {Registered.RedirectedTo}"
        + $"{(Registered.ConfirmedByMail ? $", confirmed from /Email/DevMail, sign-in {(int?)Registered.SignedIn}" : "")}; tables: {string.Join(", ", Tables)}\n{Output}";

    private static async Task<SortedSet<string>> SqliteTablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        return await ReadNamesAsync(command);
    }

    private static async Task<SortedSet<string>> PostgresTablesAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
            return await ReadNamesAsync(command);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return [];
        }
    }

    // The first column of every row the command reads.
    internal static async Task<SortedSet<string>> ReadNamesAsync(System.Data.Common.DbCommand command)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task DropPostgresDatabaseAsync(string adminConnection, string database)
    {
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}
