using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Creating accounts, checking and changing passwords, roles: shared by the pages, other modules
// and the commands.
public class UserAccounts(
    UsersDbContext db,
    PasswordHasher hasher,
    PasswordPolicy policy,
    SecretJudge judge,
    UserSignIn userSignIn,
    UserEventPublisher events,
    SessionCache sessions,
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
            PasswordHash = await hasher.HashAsync(password, cancellationToken),
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

    // For pages that ask a signed-in user for the password again (judged by SecretJudge:
    // wrong answers count toward the lockout).
    public async Task<bool> IsPasswordRightAsync(User user, string password, CancellationToken cancellationToken) =>
        await hasher.VerifyAsync(password, user.PasswordHash, cancellationToken) != PasswordCheck.Failed;

    // Returns an error for the given field, or null when the password was changed. This browser
    // stays signed in; the user's other sessions end.
    public async Task<FieldError?> ChangePasswordAsync(User user, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var verdict = await judge.JudgeReauthenticationAsync(user, () => IsPasswordRightAsync(user, currentPassword, cancellationToken), cancellationToken);
        if (verdict != Verdict.Right)
        {
            return new FieldError("CurrentPassword", verdict == Verdict.Wrong ? "The current password is not correct." : SecretJudge.PausedMessage);
        }
        if (policy.Check(newPassword, user.Email) is { } error)
        {
            return new FieldError("NewPassword", error);
        }
        user.PasswordHash = await hasher.HashAsync(newPassword, cancellationToken);
        await userSignIn.EndOtherSessionsAsync(user, SessionEndReasons.PasswordChanged, cancellationToken);
        await events.PublishAsync(handler => handler.PasswordChangedAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    // For the changepassword command: no current password asked; every session of the user ends.
    public async Task<string?> SetPasswordAsync(User user, string newPassword, CancellationToken cancellationToken)
    {
        if (policy.Check(newPassword, user.Email) is { } error)
        {
            return error;
        }
        user.PasswordHash = await hasher.HashAsync(newPassword, cancellationToken);
        await userSignIn.EndAllSessionsAsync(user, SessionEndReasons.PasswordChanged, cancellationToken);
        await events.PublishAsync(handler => handler.PasswordChangedAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    // Gives an existing, active account the admin role; its sessions get the role within
    // SessionCacheDuration (at once on this instance).
    public async Task PromoteToAdminAsync(User user, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin });
        }
        await events.PublishAsync(handler => handler.AdminCreatedAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(user.Id);
    }

    private Task<bool> EmailExistsAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);

    private static readonly RegistrationResult EmailTaken =
        new(null, "An account with this email already exists. Sign in instead, or use another address.", null);
}

public record RegistrationResult(User? User, string? EmailError, string? PasswordError);

// A message for one field of a form (Field: the InputModel property's name).
public record FieldError(string Field, string Message);
