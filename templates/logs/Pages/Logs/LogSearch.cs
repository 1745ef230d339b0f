using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Migrations.Users;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// The search box of /Logs: words inside the email, IP, reason, path, browser and type of every
// event. Reading every event for a search takes about a second at a million events; the index
// that migrations make (Migrations/Users/LogsSearchIndex.cs) answers in milliseconds. Without the
// index (SQL Server, or an app whose migrations do not make it) the search reads the events, and
// on SQLite and PostgreSQL the log says so once.
public class LogSearch(ILogger<LogSearch> logger)
{
    // The index holds trigrams: a term of fewer than 3 characters cannot use it (the filter
    // asks for 3).
    public static bool CanUseIndex(string term) => term.EnumerateRunes().Count() >= 3;

    private static readonly string PostgresMatch = $$"""SELECT * FROM "AuthEvents" WHERE {{LogsSearchIndex.PostgresText}} LIKE {0}""";

    private bool _warned;

    // The events whose text contains term (lower case, CanUseIndex), found
    // through the index and read newest first by id from it; null when there is no index.
    public async Task<IQueryable<AuthEvent>?> MatchingAsync(UsersDbContext db, string term, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName is not (LogsSearchIndex.Sqlite or LogsSearchIndex.Postgres))
        {
            return null;
        }
        if (!await IndexExistsAsync(db, cancellationToken))
        {
            if (!_warned)
            {
                _warned = true;
                Log.SearchIndexMissing(logger);
            }
            return null;
        }
        if (db.Database.ProviderName == LogsSearchIndex.Sqlite)
        {
            // The id comes from the FTS table's rowid, so "newest first" reads the index in its own
            // order and stops after a page, however many events match. Every other column of the
            // events is listed from the model, so a column you add to AuthEvent needs no change here.
            var columns = db.Model.FindEntityType(typeof(AuthEvent))!.GetProperties()
                .Select(p => p.GetColumnName())
                .Where(c => c != nameof(AuthEvent.Id))
                .Select(c => $"e.\"{c}\"");
            var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
            // Only names from this class and the model go into the text; the term is a parameter.
            var sql = $$"""
                SELECT s.rowid AS "Id", {{string.Join(", ", columns)}}
                FROM "{{LogsSearchIndex.SqliteTable}}" AS s JOIN "AuthEvents" AS e ON e."Id" = s.rowid
                WHERE "{{LogsSearchIndex.SqliteTable}}" MATCH {0}
                """;
            return db.AuthEvents.FromSqlRaw(sql, phrase);
        }
        var pattern = "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return db.AuthEvents.FromSqlRaw(PostgresMatch, pattern);
    }

    // The events whose text contains term (lower case), read one by one.
    public static IQueryable<AuthEvent> Scan(IQueryable<AuthEvent> events, string term) =>
        events.Where(e =>
            (e.Email != null && e.Email.ToLower().Contains(term)) ||
            (e.ClientIp != null && e.ClientIp.Contains(term)) ||
            (e.Reason != null && e.Reason.ToLower().Contains(term)) ||
            (e.Path != null && e.Path.ToLower().Contains(term)) ||
            (e.UserAgent != null && e.UserAgent.ToLower().Contains(term)) ||
            e.EventType.ToLower().Contains(term));

    // Checked on every indexed search (one small catalog query), so an index created by a
    // migration while the app runs is used at once, and one dropped is noticed.
    private static async Task<bool> IndexExistsAsync(UsersDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName == LogsSearchIndex.Sqlite)
        {
            var found = await db.Database.SqlQueryRaw<int>(
                "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name IN ({0}, {1}, {2}, {3})",
                LogsSearchIndex.SqliteTable, LogsSearchIndex.SqliteTriggers[0], LogsSearchIndex.SqliteTriggers[1], LogsSearchIndex.SqliteTriggers[2])
                .SingleAsync(cancellationToken);
            return found == 1 + LogsSearchIndex.SqliteTriggers.Length;
        }
        var indexes = await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_indexes WHERE indexname = {0} AND schemaname = current_schema()",
            LogsSearchIndex.PostgresIndex).SingleAsync(cancellationToken);
        return indexes == 1;
    }
}
