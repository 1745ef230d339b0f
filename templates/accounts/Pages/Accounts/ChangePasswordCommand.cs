namespace ModularUsersApp.Pages.Accounts;

// dotnet run -- changepassword --email someone@example.com
// Sets a new password for an account, for example when its owner cannot sign in any more. The
// password is asked twice without echo, or read from ACCOUNTS_SUPERUSER_PASSWORD. Every session
// of the account ends. The exit code is 0 on success, 2 on bad input.
public class ChangePasswordCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<ChangePasswordCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "changepassword";
    public const string Arguments = "--email <address>";
    public const string Summary = "sets a new password (asked, or read from " + CreateSuperuserCommand.PasswordVariable + ") and ends the account's sessions";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await FindAccountAsync(scope.ServiceProvider, CommandName, Arguments, args, cancellationToken) is not { } user)
        {
            return 2;
        }
        var password = ReadPassword(CreateSuperuserCommand.PasswordVariable);
        if (password is null)
        {
            return 2;
        }
        if (await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetPasswordAsync(user, password, cancellationToken) is { } error)
        {
            Console.Error.WriteLine(error);
            return 2;
        }
        Console.WriteLine($"Changed the password of {user.Email}; every session of the account has ended.");
        return 0;
    }
}
