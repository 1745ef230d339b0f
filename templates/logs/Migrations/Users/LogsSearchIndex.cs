// Built on the accounts module: when a build stops at the first line below, add it first with
// `dotnet new mu-accounts` and the steps it prints (Pages/Logs/AboutThisModule.cs says the same).
using static Microsoft.Extensions.DependencyInjection.AccountsModule;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ModularUsersApp.Migrations.Users;

// The index of the /Logs search box (Pages/Logs/LogSearch.cs uses it), which EF Core cannot
// describe in the model, so migrations call Create and Drop themselves: mu-webapp's first
// migration does; with mu-logs added to an app, add the calls to the migration that creates
// AuthEvents (Create at the end of Up, Drop at the start of Down).
//   SQLite: an FTS5 table of the searched columns' trigrams, kept up to date by triggers. It takes
//   about as much disk as the events themselves. A later migration that rebuilds the AuthEvents
//   table drops the triggers: call Create again at its end.
//   PostgreSQL: a GIN index of trigrams (the pg_trgm extension, which Create enables).
//   SQL Server has no index of text inside words: nothing is made, the search reads the events.
// This file is part of the migrations' history: it stays when the logs module is removed, so that
// they keep compiling (a migration that drops AuthEvents on SQLite should call Drop first). Change
// what it makes only with a new method for a new migration; the old ones ran with this one.
public static class LogsSearchIndex
{
    public const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public const string SqliteTable = "AuthEventsSearch";
    public static readonly string[] SqliteTriggers = [$"{SqliteTable}_Insert", $"{SqliteTable}_Delete", $"{SqliteTable}_Update"];
    public const string PostgresIndex = "IX_AuthEvents_Search";

    public static readonly string[] SearchedColumns = ["EventType", "Email", "ClientIp", "Reason", "Path", "UserAgent"];

    // What the PostgreSQL index holds; a query must use the same expression to use it. A line
    // break between the columns, which a search term cannot contain, keeps a match inside one.
    public static readonly string PostgresText =
        "lower(" + string.Join(" || E'\\n' || ", SearchedColumns.Select(c => $"coalesce(\"{c}\", '')")) + ")";

    public static void Create(MigrationBuilder migrationBuilder)
    {
        var columns = string.Join(", ", SearchedColumns.Select(c => $"\"{c}\""));
        string Values(string row) => string.Join(", ", SearchedColumns.Select(c => $"{row}.\"{c}\""));
        if (migrationBuilder.ActiveProvider == Sqlite)
        {
            // External content: the FTS table keeps only the index and reads the text from AuthEvents,
            // so a row's old text must be handed back to take it out of the index.
            var indexNew = $"""INSERT INTO "{SqliteTable}" (rowid, {columns}) VALUES (new."Id", {Values("new")});""";
            var unindexOld = $"""INSERT INTO "{SqliteTable}" ("{SqliteTable}", rowid, {columns}) VALUES ('delete', old."Id", {Values("old")});""";
            migrationBuilder.Sql($"""
                CREATE VIRTUAL TABLE IF NOT EXISTS "{SqliteTable}" USING fts5({columns}, content='AuthEvents', content_rowid='Id', tokenize='trigram');
                CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[0]}" AFTER INSERT ON "AuthEvents" BEGIN {indexNew} END;
                CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[1]}" AFTER DELETE ON "AuthEvents" BEGIN {unindexOld} END;
                CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[2]}" AFTER UPDATE OF {columns} ON "AuthEvents" BEGIN {unindexOld} {indexNew} END;
                INSERT INTO "{SqliteTable}" ("{SqliteTable}") VALUES ('rebuild');
                """);
        }
        else if (migrationBuilder.ActiveProvider == Postgres)
        {
            migrationBuilder.Sql($"""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX IF NOT EXISTS "{PostgresIndex}" ON "AuthEvents" USING gin (({PostgresText}) gin_trgm_ops);
                """);
        }
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == Sqlite)
        {
            migrationBuilder.Sql(string.Concat(SqliteTriggers.Select(t => $"DROP TRIGGER IF EXISTS \"{t}\";\n"))
                + $"DROP TABLE IF EXISTS \"{SqliteTable}\";");
        }
        else if (migrationBuilder.ActiveProvider == Postgres)
        {
            // pg_trgm stays: other indexes may use it.
            migrationBuilder.Sql($"DROP INDEX IF EXISTS \"{PostgresIndex}\";");
        }
    }
}
