using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Creating accounts and changing passwords, shared by the pages and createsuperuser.
public class UserAccounts(
    UsersDbContext db,
    PasswordHasher hasher,
    PasswordPolicy policy,
    UserEventPublisher events,
    SecurityStampCache stamps,
    AccountLockout lockout,
    TimeProvider time)
{
    public async Task<RegistrationResult> RegisterAsync(string email, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        email = email.Trim();
        if (policy.Check(password, email) is { } passwordError)
        {
            return new RegistrationResult(null, null, passwordError);
        }
        var normalizedEmail = User.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            return EmailTaken;
        }

        var user = new User
        {
            Email = email,
            NormalizedEmail = normalizedEmail,
            PasswordHash = await hasher.HashAsync(PasswordPolicy.Normalize(password), cancellationToken),
            CreatedAt = time.GetUtcNow(),
        };
        user.Roles.AddRange(roles.Select(role => new UserRole { UserId = user.Id, Role = role }));
        db.Users.Add(user);
        await events.PublishAsync(handler => handler.RegisteredAsync(user, cancellationToken));
        if (roles.Contains(Roles.Admin))
        {
            await events.PublishAsync(handler => handler.AdminCreatedAsync(user, cancellationToken));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request may have registered the same email between our check and our
            // insert; the unique index on NormalizedEmail lets exactly one of them through.
            db.ChangeTracker.Clear();
            if (await EmailExistsAsync(normalizedEmail, cancellationToken))
            {
                return EmailTaken;
            }
            throw;
        }
        return new RegistrationResult(user, null, null);
    }

    // Returns an error for the given field, or null when the password was changed.
    public async Task<(string Field, string Message)?> ChangePasswordAsync(User user, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var wrongCurrentPassword = await lockout.CheckAnswerAsync(user,
            async () => await hasher.VerifyAsync(PasswordPolicy.Normalize(currentPassword), user.PasswordHash, cancellationToken) != PasswordCheck.Failed,
            "The current password is not correct.", cancellationToken);
        if (wrongCurrentPassword is not null)
        {
            return ("CurrentPassword", wrongCurrentPassword);
        }
        if (policy.Check(newPassword, user.Email) is { } error)
        {
            return ("NewPassword", error);
        }
        user.PasswordHash = await hasher.HashAsync(PasswordPolicy.Normalize(newPassword), cancellationToken);
        user.SecurityStamp = User.NewSecurityStamp();
        await events.PublishAsync(handler => handler.PasswordChangedAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        stamps.Set(user.Id, user.SecurityStamp);
        return null;
    }

    // Gives an existing account the admin role; its sessions end so the next sign-in carries the role.
    public async Task PromoteToAdminAsync(User user, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin });
        }
        user.IsActive = true;
        user.SecurityStamp = User.NewSecurityStamp();
        await events.PublishAsync(handler => handler.AdminCreatedAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        stamps.Set(user.Id, user.SecurityStamp);
    }

    private Task<bool> EmailExistsAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);

    private static readonly RegistrationResult EmailTaken =
        new(null, "An account with this email already exists. Sign in instead, or use another address.", null);
}

public record RegistrationResult(User? User, string? EmailError, string? PasswordError);
