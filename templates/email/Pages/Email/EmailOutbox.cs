using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Queues mail in the users database, in the caller's SaveChangesAsync: the mail exists exactly
// when the change it is about was saved, and the request never waits for the SMTP server.
public class EmailOutbox(UsersDbContext db, IDataProtectionProvider dataProtection, OutboxSignal signal, TimeProvider time)
{
    private bool _wakesSender;

    // The caller saves.
    public void Queue(Mail mail)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.EmailOutbox.Add(new OutboxEmail
        {
            To = mail.To,
            NormalizedTo = User.NormalizeEmail(mail.To),
            Kind = mail.Kind,
            Subject = mail.Subject,
            ProtectedBody = MailBody.Protect(dataProtection, new MailBody(mail.TextBody(), mail.HtmlBody())),
            CreatedAt = now,
            NextAttemptAt = now,
        });
        if (!_wakesSender)
        {
            _wakesSender = true;
            // Inside a transaction the mail is not visible to the sender before the commit: the
            // code that commits calls WakeSender.
            db.SavedChanges += (_, _) =>
            {
                if (db.Database.CurrentTransaction is null)
                {
                    signal.Wake();
                }
            };
        }
    }

    // After committing a transaction in which mail was queued.
    public void WakeSender() => signal.Wake();

    // How many mails of these kinds were queued for the address within the window.
    public Task<int> CountRecentAsync(string email, string[] kinds, TimeSpan window, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        var since = time.GetUtcNow().UtcDateTime - window;
        return db.EmailOutbox.CountAsync(m => m.NormalizedTo == normalized && m.CreatedAt > since && kinds.Contains(m.Kind), cancellationToken);
    }
}

// Both bodies of a queued mail, stored encrypted: they hold live links.
public record MailBody(string Text, string Html)
{
    private const string Purpose = "Email.Outbox.v1";

    public static string Protect(IDataProtectionProvider provider, MailBody body) =>
        provider.CreateProtector(Purpose).Protect(JsonSerializer.Serialize(body));

    public static MailBody Unprotect(IDataProtectionProvider provider, string protectedBody) =>
        JsonSerializer.Deserialize<MailBody>(provider.CreateProtector(Purpose).Unprotect(protectedBody))
            ?? throw new InvalidOperationException("An outbox mail has an empty body.");
}

// Wakes the sender when mail was saved, so it goes out at once instead of at the next poll.
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
