using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Failed sign-ins for an email that has no account, counted and locked the way SecretJudge counts
// and locks a real account, in the database too: after a restart or on another instance an
// unknown email is still locked when a real one would be, so the answer does not tell which
// emails are registered. One difference is left: an unknown email's count is forgotten after
// ForgetAfter without attempts (see there). The email itself is not stored, only its SHA-256.
[EntityTypeConfiguration(typeof(UnknownEmailLockoutConfiguration))]
public class UnknownEmailLockout
{
    public required string EmailHash { get; set; }

    public int FailedSignInCount { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    // UTC. Rows nobody tried for UnknownEmailLockouts.ForgetAfter are deleted.
    public DateTime LastAttemptAt { get; set; }
}

public class UnknownEmailLockoutConfiguration : IEntityTypeConfiguration<UnknownEmailLockout>
{
    public void Configure(EntityTypeBuilder<UnknownEmailLockout> builder)
    {
        builder.ToTable("UnknownEmailLockouts");
        builder.HasKey(l => l.EmailHash);
        builder.Property(l => l.EmailHash).HasMaxLength(64);
        builder.HasIndex(l => l.LastAttemptAt);
    }
}

// The same steps as SecretJudge's for a real account: count the attempt before checking it,
// refuse once LockoutFailures are counted, lock with the wrong answer that reaches the limit,
// lift an expired lockout.
public class UnknownEmailLockouts(UsersDbContext db, IOptions<AccountsOptions> options, TimeProvider time)
{
    // Unlike a real account's count, an unknown email's is forgotten after this long without an
    // attempt, so typing random emails cannot fill the table for good.
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(30);

    // False while the email is locked out, or while as many attempts as would lock it are being checked.
    public async Task<bool> TryCountAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var key = KeyOf(normalizedEmail);
        if (await CountAsync(key, cancellationToken))
        {
            return true;
        }
        var row = await db.UnknownEmailLockouts.AsNoTracking().Where(l => l.EmailHash == key)
            .Select(l => new { l.LockoutEnd }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return await TryAddAsync(key, cancellationToken) || await CountAsync(key, cancellationToken);
        }
        if (row.LockoutEnd is null || row.LockoutEnd > time.GetUtcNow())
        {
            return false;
        }
        await db.UnknownEmailLockouts.Where(l => l.EmailHash == key && l.LockoutEnd == row.LockoutEnd)
            .ExecuteUpdateAsync(set => set
                .SetProperty(l => l.FailedSignInCount, 0)
                .SetProperty(l => l.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        return await CountAsync(key, cancellationToken);
    }

    // After a counted, wrong attempt: true when it is the one that locks the email.
    public async Task<bool> LockIfLimitReachedAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var key = KeyOf(normalizedEmail);
        var lockoutEnd = time.GetUtcNow() + options.Value.LockoutPeriod;
        return await db.UnknownEmailLockouts
            .Where(l => l.EmailHash == key && l.LockoutEnd == null && l.FailedSignInCount >= options.Value.LockoutFailures)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.LockoutEnd, lockoutEnd), cancellationToken) == 1;
    }

    // The attempt was counted but its secret never checked (the server was too busy).
    public Task UncountAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var key = KeyOf(normalizedEmail);
        return db.UnknownEmailLockouts.Where(l => l.EmailHash == key && l.LockoutEnd == null && l.FailedSignInCount > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.FailedSignInCount, l => l.FailedSignInCount - 1), cancellationToken);
    }

    private async Task<bool> CountAsync(string key, CancellationToken cancellationToken)
    {
        var limit = options.Value.LockoutFailures;
        var now = time.GetUtcNow().UtcDateTime;
        return await db.UnknownEmailLockouts.Where(l => l.EmailHash == key && l.FailedSignInCount < limit)
            .ExecuteUpdateAsync(set => set
                .SetProperty(l => l.FailedSignInCount, l => l.FailedSignInCount + 1)
                .SetProperty(l => l.LastAttemptAt, now), cancellationToken) == 1;
    }

    // The first attempt for this email. False when a parallel attempt added the row first.
    private async Task<bool> TryAddAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var forgotten = now - ForgetAfter - options.Value.LockoutPeriod;
        await db.UnknownEmailLockouts.Where(l => l.LastAttemptAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        // Saved on its own: the sign-in's other changes (its log rows) come after this.
        var row = db.UnknownEmailLockouts.Add(new UnknownEmailLockout { EmailHash = key, FailedSignInCount = 1, LastAttemptAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            row.State = EntityState.Detached;
            // A parallel attempt added the row first; any other failure is not ours to hide.
            if (await db.UnknownEmailLockouts.AnyAsync(l => l.EmailHash == key, cancellationToken))
            {
                return false;
            }
            throw;
        }
        finally
        {
            row.State = EntityState.Detached;
        }
    }

    private static string KeyOf(string normalizedEmail) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));
}
