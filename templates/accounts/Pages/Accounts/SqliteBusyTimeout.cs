using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ModularUsersApp.Pages.Accounts;

// When another request is writing, SQLite answers "busy". Microsoft.Data.Sqlite then sleeps 150 ms
// before it tries again, which under concurrent sign-ins (each writes the account and its
// session) was most of a sign-in's time. With busy_timeout set, SQLite itself waits, and only
// until the other write ends (at most 5 s; then the request fails with "database is locked").
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string SetTimeout = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SetTimeout;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SetTimeout;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
