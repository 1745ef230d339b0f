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

        try
        {
            await MigrateOrCheckAsync(db, cancellationToken);
        }
        catch (Exception exception) when (exception is DbException || exception.InnerException is DbException)
        {
            // Unreachable, refused the login, a folder that does not exist, ...: the database's own words.
            throw new StartupRefusedException(
                $"The users database ({db.Database.GetDbConnection().DataSource}, from ConnectionStrings:Users) cannot be used: {exception.Message}",
                exception);
        }
    }

    private async Task MigrateOrCheckAsync(UsersDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
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
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
