using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts.Users;

// dotnet run -- listusers [--admins | --deactivated | --locked]
// One line per account, newest first, tab-separated for grep and cut: email, created (UTC,
// ISO 8601), last sign-in (or "never"), "active" or "deactivated", "locked" or "-", roles (comma-separated, or "-").
public class ListUsersCommand(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ListUsersCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "listusers";
    public const string Arguments = "[--admins | --deactivated | --locked]";
    public const string Summary = "lists the accounts, one tab-separated line each: email, created, last sign-in, state, lockout, roles";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is not ([] or ["--admins"] or ["--deactivated"] or ["--locked"]))
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var now = time.GetUtcNow();
        var users = args switch
        {
            ["--admins"] => db.Users.Admins(db),
            ["--deactivated"] => db.Users.Deactivated(),
            ["--locked"] => db.Users.LockedOut(db, now),
            _ => db.Users,
        };
        var rows = users.AsNoTracking()
            .OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.NormalizedEmail)
            .Select(u => new { u.Email, u.CreatedAt, u.LastSignInAt, u.IsActive, Locked = u.LockoutEnd > now, Roles = u.Roles.Select(r => r.Role).ToList() })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            Console.WriteLine(string.Join('\t',
                row.Email,
                Utc(row.CreatedAt),
                row.LastSignInAt is { } lastSignIn ? Utc(lastSignIn) : "never",
                row.IsActive ? "active" : "deactivated",
                row.Locked ? "locked" : "-",
                row.Roles.Count == 0 ? "-" : string.Join(',', row.Roles.Order())));
        }
        return 0;
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

// dotnet run -- deactivateuser --email someone@example.com
// The account can no longer sign in and every session of it ends (on a running app within
// Accounts:SessionCacheDuration). The last active admin is refused. Exit code 0 done, 2 refused.
public class DeactivateUserCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<DeactivateUserCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "deactivateuser";
    public const string Arguments = "--email <address>";
    public const string Summary = "deactivates an account: it cannot sign in, and its sessions end";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await FindAccountAsync(scope.ServiceProvider, CommandName, Arguments, args, cancellationToken) is not { } user)
        {
            return 2;
        }
        if (!user.IsActive)
        {
            Console.WriteLine($"{user.Email} was already deactivated.");
            return 0;
        }
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        if (await administration.DeactivateAsync(user, $"the {CommandName} command", cancellationToken) is { } refusal)
        {
            Console.Error.WriteLine($"{refusal} Nothing was changed.");
            return 2;
        }
        Console.WriteLine($"Deactivated {user.Email}; every session of the account has ended.");
        return 0;
    }
}

// dotnet run -- reactivateuser --email someone@example.com
// A deactivated account can sign in again (with its password; no session comes back).
public class ReactivateUserCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<ReactivateUserCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "reactivateuser";
    public const string Arguments = "--email <address>";
    public const string Summary = "lets a deactivated account sign in again";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await FindAccountAsync(scope.ServiceProvider, CommandName, Arguments, args, cancellationToken) is not { } user)
        {
            return 2;
        }
        if (user.IsActive)
        {
            Console.WriteLine($"{user.Email} was already active.");
            return 0;
        }
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().ReactivateAsync(user, $"the {CommandName} command", cancellationToken);
        Console.WriteLine($"Reactivated {user.Email}; it can sign in again.");
        return 0;
    }
}
