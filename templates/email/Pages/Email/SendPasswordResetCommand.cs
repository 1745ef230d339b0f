using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// dotnet run -- sendpasswordreset --email someone@example.com
// Mails the account a password reset link, as "Forgot your password?" would, for an admin
// helping a user. Waits up to 30 seconds for the mail to go out; if the SMTP server does not take
// it by then, the mail stays in the outbox and the running app sends it. Exit code 0 when queued,
// 2 on bad input or an unknown address.
public class SendPasswordResetCommand(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<SendPasswordResetCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "sendpasswordreset";
    public const string Arguments = "--email <address>";
    public const string Summary = "mails the account a password reset link, as \"Forgot your password?\" does";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is not ["--email", var email])
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var normalizedEmail = User.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is not { IsActive: true })
        {
            Console.Error.WriteLine($"No active account has the email {email.Trim()}; nothing was sent.");
            return 2;
        }
        await scope.ServiceProvider.GetRequiredService<PasswordReset>().SendLinkAsync(user, cancellationToken);
        Console.WriteLine($"Queued a password reset link for {user.Email}.");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var mail = await db.EmailOutbox.AsNoTracking()
                .Where(m => m.NormalizedTo == user.NormalizedEmail && m.Kind == MailKinds.PasswordReset)
                .OrderByDescending(m => m.CreatedAt)
                .Select(m => new { m.SentAt, m.FailedAt, m.LastError })
                .FirstAsync(cancellationToken);
            if (mail.SentAt is not null)
            {
                Console.WriteLine("Sent.");
                return 0;
            }
            if (mail.FailedAt is not null)
            {
                Console.Error.WriteLine($"The mail server refused it: {mail.LastError}");
                return 1;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        Console.WriteLine("Not sent yet (the mail server did not take it within 30 seconds); the running app sends it from the outbox.");
        return 0;
    }
}
