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
    IEnumerable<IRegistrationGate> gates,
    TimeProvider time)
{
    // The registration page: like RegisterAsync, then the registration gates (IRegistrationGate)
    // decide whether the new account signs in now or waits (HeldAt: the page to show instead).
    public async Task<SignUpResult> SignUpAsync(string email, string password, CancellationToken cancellationToken)
    {
        string? heldAt = null;
        var result = await RegisterAsync(email, password, [], async user =>
        {
            foreach (var gate in gates)
            {
                heldAt ??= await gate.HoldAsync(user, cancellationToken);
            }
        }, cancellationToken);
        if (result.EmailError is null)
        {
            return new SignUpResult(heldAt is null ? result.User : null, heldAt, null, result.PasswordError);
        }
        var normalizedEmail = User.NormalizeEmail(email);
        var owner = await db.Users.SingleAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        foreach (var gate in gates)
        {
            if (await gate.EmailTakenAsync(owner, cancellationToken) is { } page)
            {
                return new SignUpResult(null, page, null, null);
            }
        }
        return new SignUpResult(null, null, result.EmailError, null);
    }

    public Task<RegistrationResult> RegisterAsync(string email, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        RegisterAsync(email, password, roles, beforeSave: null, cancellationToken);

    private async Task<RegistrationResult> RegisterAsync(
        string email, string password, IReadOnlyCollection<string> roles, Func<User, Task>? beforeSave, CancellationToken cancellationToken)
    {
        email = email.Trim();
        if (policy.Check(password, email) is { } passwordError)
        {
            return new RegistrationResult(null, null, passwordError);
        }
        var normalizedEmail = User.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            // As long as a new account takes: the answer's timing does not tell the address is taken.
            await hasher.HashAsync(password, cancellationToken);
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
        if (beforeSave is not null)
        {
            await beforeSave(user);
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

    // For a password reset by a proof other than the password (an emailed link): the policy
    // applies, every session ends, the lockout is lifted (the owner proved the mailbox), and
    // nothing signs in, so the next sign-in still asks for every step. Returns an error or null.
    public async Task<string?> ResetPasswordAsync(User user, string newPassword, CancellationToken cancellationToken)
    {
        if (policy.Check(newPassword, user.Email) is { } error)
        {
            return error;
        }
        user.PasswordHash = await hasher.HashAsync(newPassword, cancellationToken);
        await userSignIn.EndAllSessionsAsync(user, SessionEndReasons.PasswordReset, cancellationToken);
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, 0).SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        await events.PublishAsync(handler => handler.PasswordResetAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    // The address is confirmed by the caller. False when another account has it (the unique
    // index decides between two changes at once); then nothing changed and the caller's
    // transaction should be rolled back. The user's other sessions end; a browser signed in as
    // the user stays signed in.
    public async Task<bool> ChangeEmailAsync(User user, string newEmail, CancellationToken cancellationToken)
    {
        var previousEmail = user.Email;
        user.Email = newEmail.Trim();
        user.NormalizedEmail = User.NormalizeEmail(newEmail);
        await events.PublishAsync(handler => handler.EmailChangedAsync(user, previousEmail, cancellationToken));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await EmailExistsAsync(user.NormalizedEmail, user.Id, cancellationToken))
            {
                return false;
            }
            throw;
        }
        await userSignIn.EndOtherSessionsAsync(user, SessionEndReasons.EmailChanged, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return true;
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

    private Task<bool> EmailExistsAsync(string normalizedEmail, Guid otherThan, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().AnyAsync(u => u.NormalizedEmail == normalizedEmail && u.Id != otherThan, cancellationToken);

    private static readonly RegistrationResult EmailTaken =
        new(null, "An account with this email already exists. Sign in instead, or use another address.", null);
}

public record RegistrationResult(User? User, string? EmailError, string? PasswordError);

// User: the new account, to sign in now. HeldAt: the page to show instead (a registration gate
// holds the account, or the address is taken and the gate answers as for a new one).
public record SignUpResult(User? User, string? HeldAt, string? EmailError, string? PasswordError);

// A message for one field of a form (Field: the InputModel property's name).
public record FieldError(string Field, string Message);
