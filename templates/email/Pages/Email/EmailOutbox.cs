using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Queues mail in the users database, in the caller's SaveChangesAsync: the mail exists exactly
// when the change it is about was saved, and the request never waits for the SMTP server.
public class EmailOutbox(UsersDbContext db, IDataProtectionProvider dataProtection, OutboxSignal signal, IOptions<EmailOptions> options, TimeProvider time)
{
    private bool _wakesSender;

    // The caller saves.
    public void Queue(Mail mail) => Queue(mail, limitSlot: null);

    private void Queue(Mail mail, string? limitSlot)
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
            LimitSlot = limitSlot,
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

    // Saves the mail that prepare makes, and whatever else prepare adds, unless limit mails of
    // these kinds went to its address in the last Email:RequestWindow; then it saves nothing and
    // returns false. Counting alone would let requests arriving together all pass, so each such
    // mail also names the address's previous one in a column unique in the database: of two
    // requests that counted the same, on any instance, one saves and the other counts again after
    // the mail that won. prepare may run more than once; the first run's changes are discarded.
    public async Task<bool> SaveWithinLimitAsync(string address, string[] kinds, int limit, Func<Task<Mail>> prepare, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(address);
        var since = time.GetUtcNow().UtcDateTime - options.Value.RequestWindow;
        var earlier = db.EmailOutbox.Where(m => m.NormalizedTo == normalized && kinds.Contains(m.Kind));
        var previous = await earlier.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken);
        for (var tries = 0; tries <= limit; tries++)
        {
            if (await earlier.CountAsync(m => m.CreatedAt >= since, cancellationToken) >= limit)
            {
                return false;
            }
            var slot = $"{kinds[0]}:{normalized}:after:{previous?.ToString() ?? "none"}";
            Queue(await prepare(), slot);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                previous = await db.EmailOutbox.Where(m => m.LimitSlot == slot).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken);
                if (previous is null)
                {
                    throw;
                }
            }
        }
        return false;
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
