using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Runs before the web server starts. In Development it applies pending migrations, so
// `dotnet run` just works; elsewhere it refuses to start against an out-of-date database
// instead of failing on the first request. Either way, a model changed without a migration
// stops the app with the command that fixes it, and so does a database it cannot reach.
public class UsersDatabaseStartup(IServiceScopeFactory scopes, IHostEnvironment environment, ILogger<UsersDatabaseStartup> logger)
    : IHostedLifecycleService
{
    public const string AddMigrationCommand =
        "dotnet ef migrations add <Name> --context UsersDbContext --output-dir Migrations/Users";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();

        if (string.IsNullOrWhiteSpace(db.Database.GetConnectionString()))
        {
            throw new StartupRefusedException(
                "The users database has no connection string. Set ConnectionStrings:Users, for example with " +
                "dotnet user-secrets set ConnectionStrings:Users \"<connection string>\" (after dotnet user-secrets init, once, " +
                "if the project has no UserSecretsId) or with the environment variable ConnectionStrings__Users.");
        }

        if (!db.Database.GetMigrations().Any())
        {
            throw new StartupRefusedException(
                $"The users database has no migrations yet. Create the first one from the project folder: {AddMigrationCommand.Replace("<Name>", "CreateUsers")}");
        }
        if (db.Database.HasPendingModelChanges())
        {
            throw new StartupRefusedException(
                $"The user system's model has changes that no migration describes. Add one from the project folder: {AddMigrationCommand}");
        }

        List<string> pending;
        try
        {
            pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        }
        catch (Exception exception) when (DatabaseError(exception) is { } error)
        {
            // Unreachable, a refused login, a folder that does not exist, ...: the database's own words.
            throw new StartupRefusedException(
                $"The users database ({db.Database.GetDbConnection().DataSource}, from ConnectionStrings:Users) cannot be used: {error.Message}",
                exception);
        }
        if (pending.Count == 0)
        {
            return;
        }
        if (!environment.IsDevelopment())
        {
            throw new StartupRefusedException(
                $"The users database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}). " +
                "Apply them with: dotnet ef database update --context UsersDbContext (or a migration bundle).");
        }
        Log.ApplyingMigrations(logger, pending.Count, string.Join(", ", pending));
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseError(exception) is { } error)
        {
            // A table that an earlier migration already made, a SQLite file in a folder that does
            // not exist (SQLite opens the file only here), ...
            throw new StartupRefusedException(
                $"The users database ({db.Database.GetDbConnection().DataSource}, from ConnectionStrings:Users) could not take " +
                $"the migration(s) {string.Join(", ", pending)}: {error.Message}", exception);
        }
    }

    private static DbException? DatabaseError(Exception exception) => exception as DbException ?? exception.InnerException as DbException;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
