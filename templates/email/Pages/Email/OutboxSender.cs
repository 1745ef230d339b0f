using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MailKit.Net.Smtp;
using MimeKit;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Sends the outbox: at once when a request saved mail (OutboxSignal), when a retry is due, and
// every PollInterval (for mail another instance queued and could not send). A failed attempt is tried again later, waiting longer each time (up to 30 minutes),
// until the server takes it or GiveUpAfter passes. With several instances, each mail is claimed
// by a conditional update, so one instance sends it. Sent mail keeps its row (to, subject, time)
// without its body for Email:RetentionDays; so do used and expired links.
public class OutboxSender(
    IServiceScopeFactory scopes,
    IMailDelivery delivery,
    IDataProtectionProvider dataProtection,
    OutboxSignal signal,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    private const int BatchSize = 20;

    // How long a claimed mail is left to this instance before another may try it.
    private static readonly TimeSpan ClaimLength = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPurge = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                if (time.GetUtcNow().UtcDateTime >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    nextPurge = time.GetUtcNow().UtcDateTime + PurgeInterval;
                }
                while (await SendDueAsync(stoppingToken) == BatchSize)
                {
                }
                // Until the next retry this instance knows of, if that comes before the next poll.
                if (await NextAttemptAsync(stoppingToken) is { } next && next - time.GetUtcNow().UtcDateTime < wait)
                {
                    wait = next - time.GetUtcNow().UtcDateTime;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be unreachable for a moment; the next poll tries again.
                Log.SenderFailed(logger, exception);
            }
            await signal.WaitAsync(wait < MinimumWait ? MinimumWait : wait, stoppingToken);
        }
    }

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    // Sent or given-up mail, and links used or expired, older than Email:RetentionDays. The
    // deletes are idempotent, so every instance may run them.
    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await db.EmailOutbox.Where(m => m.SentAt < cutoff || m.FailedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.EmailTokens.Where(t => t.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<DateTime?> NextAttemptAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersDbContext>().EmailOutbox
            .Where(m => m.SentAt == null && m.FailedAt == null)
            .MinAsync(m => (DateTime?)m.NextAttemptAt, cancellationToken);
    }

    // Returns how many mails were due.
    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.EmailOutbox.AsNoTracking()
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var mail in due)
        {
            var claimed = await db.EmailOutbox.Where(m => m.Id == mail.Id && m.SentAt == null && m.NextAttemptAt == mail.NextAttemptAt)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.NextAttemptAt, now + ClaimLength)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
            if (claimed == 1)
            {
                await SendAsync(db, mail, mail.Attempts + 1, cancellationToken);
            }
        }
        return due.Count;
    }

    private async Task SendAsync(UsersDbContext db, OutboxEmail mail, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            // Not cancelled when the app stops: a mail being sent is finished (within the SMTP
            // client's 30 s time-out) rather than left claimed, or sent twice by another instance.
            await delivery.DeliverAsync(ToMessage(mail), CancellationToken.None);
        }
        catch (Exception exception)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var error = exception.Message.Length > 1024 ? exception.Message[..1024] : exception.Message;
            if (IsPermanent(exception) || now - mail.CreatedAt > options.Value.GiveUpAfter)
            {
                Log.GaveUp(logger, mail.Id, mail.Kind, attempts, exception);
                await db.EmailOutbox.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.FailedAt, now)
                    .SetProperty(m => m.ProtectedBody, (string?)null)
                    .SetProperty(m => m.LastError, error), CancellationToken.None);
                return;
            }
            var next = now + Backoff(attempts);
            Log.SendFailed(logger, mail.Id, attempts, next, exception);
            await db.EmailOutbox.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(set => set
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, error), CancellationToken.None);
            return;
        }
        await db.EmailOutbox.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.SentAt, time.GetUtcNow().UtcDateTime)
            .SetProperty(m => m.ProtectedBody, (string?)null)
            .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        Log.Sent(logger, mail.Id, mail.Kind);
    }

    // Trying again would give the same answer: the server refused the mail for good (a 5xx answer
    // to the sender, a recipient or the message), the address cannot be written in a mail, or
    // the body cannot be decrypted any more (its Data Protection key is gone).
    private static bool IsPermanent(Exception exception) =>
        exception is SmtpCommandException { StatusCode: var status } && (int)status >= 500
            || exception is ParseException or System.Security.Cryptography.CryptographicException;

    // 10 s, 20 s, 40 s, ... at most 30 minutes between attempts.
    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Min(attempts - 1, 16)), TimeSpan.FromMinutes(30).TotalSeconds));

    private MimeMessage ToMessage(OutboxEmail mail)
    {
        var body = MailBody.Unprotect(dataProtection, mail.ProtectedBody
            ?? throw new InvalidOperationException($"Outbox mail {mail.Id} has no body."));
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From is { Length: > 0 } from ? from : "noreply@localhost"));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        // The outbox row's id: a retry after a lost answer from the server is the same message.
        message.MessageId = $"{mail.Id:N}@{message.From.Mailboxes.First().Domain}";
        message.Body = new BodyBuilder { TextBody = body.Text, HtmlBody = body.Html }.ToMessageBody();
        return message;
    }
}
