using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// dotnet run -- createsuperuser --email admin@example.com
// Creates an admin account, or gives an existing account the admin role. The password is asked
// twice without echo, or read from the ACCOUNTS_SUPERUSER_PASSWORD environment variable when
// scripts run the command. The web server does not start; the exit code is 0 on success.
public class CreateSuperuserCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<CreateSuperuserCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "createsuperuser";
    public const string PasswordVariable = "ACCOUNTS_SUPERUSER_PASSWORD";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is not ["--email", var email])
        {
            Console.Error.WriteLine("Usage: dotnet run -- createsuperuser --email <address>");
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
            await accounts.PromoteToAdminAsync(existing, cancellationToken);
            Console.WriteLine($"{existing.Email} already had an account; it now has the {Roles.Admin} role.");
            return 0;
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (Console.IsInputRedirected)
            {
                Console.Error.WriteLine($"No terminal to ask for the password: set {PasswordVariable} instead.");
                return 2;
            }
            password = ReadHidden("Password: ");
            if (ReadHidden("Password (again): ") != password)
            {
                Console.Error.WriteLine("The passwords do not match; nothing was created.");
                return 2;
            }
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

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return text.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
