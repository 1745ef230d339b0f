using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// dotnet run -- createsuperuser --email admin@example.com [--promote-existing]
// Creates an admin account. The password is asked twice without echo, or read from the
// ACCOUNTS_SUPERUSER_PASSWORD environment variable when scripts run the command. An account that
// already exists (someone may have registered the address first) is refused unless
// --promote-existing says it is yours; it keeps its password. The web server does not start;
// the exit code is 0 on success, 2 on bad input.
public class CreateSuperuserCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<CreateSuperuserCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "createsuperuser";
    public const string Arguments = "--email <address> [--promote-existing]";
    public const string Summary = "creates an account with the Admin role (the password is asked, or read from " + PasswordVariable + ")";
    public const string PasswordVariable = "ACCOUNTS_SUPERUSER_PASSWORD";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (email, promoteExisting) = args switch
        {
            ["--email", var address] => (address, false),
            ["--email", var address, "--promote-existing"] => (address, true),
            ["--promote-existing", "--email", var address] => (address, true),
            _ => (null, false),
        };
        if (email is null)
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        if (AccountEmailAttribute.Check(email) is { } emailError)
        {
            Console.Error.WriteLine(emailError);
            return 2;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var normalizedEmail = User.NormalizeEmail(email);
        var existing = await db.Users.Include(u => u.Roles).SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (existing is not null)
        {
            return await PromoteAsync(existing, promoteExisting, accounts, cancellationToken);
        }

        var password = ReadPassword(PasswordVariable);
        if (password is null)
        {
            return 2;
        }
        var result = await accounts.RegisterAsync(email, password, [Roles.Admin], cancellationToken);
        if (result.User is null)
        {
            Console.Error.WriteLine(result.EmailError ?? result.PasswordError);
            return 2;
        }
        Console.WriteLine($"Created {result.User.Email} with the {Roles.Admin} role.");
        return 0;
    }

    private static async Task<int> PromoteAsync(User existing, bool promoteExisting, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var created = existing.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        if (!promoteExisting)
        {
            Console.Error.WriteLine($"{existing.Email} already has an account (created {created}); nothing was changed. " +
                "If that account is yours, run the command again with --promote-existing to give it the Admin role.");
            return 2;
        }
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PasswordVariable)))
        {
            Console.Error.WriteLine($"{PasswordVariable} is set, but --promote-existing keeps the account's own password; " +
                "nothing was changed. Unset it, or change the password with: dotnet run -- changepassword --email <address>");
            return 2;
        }
        if (!existing.IsActive)
        {
            Console.Error.WriteLine($"{existing.Email} (created {created}) is deactivated; nothing was changed. Reactivate it first.");
            return 2;
        }
        await accounts.PromoteToAdminAsync(existing, cancellationToken);
        Console.WriteLine($"{existing.Email} (created {created}) now has the {Roles.Admin} role.");
        return 0;
    }
}
