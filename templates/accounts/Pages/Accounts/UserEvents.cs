namespace ModularUsersApp.Pages.Accounts;

// Things that happen to accounts, for other modules (logs, profiles, ...) or your own code to
// react to. Implement the methods you need and register the class with
// services.AddScoped<IUserEvents, YourHandler>(). Handlers run inside the request, before the
// single SaveChangesAsync of the change, so rows they add to UsersDbContext are saved with it
// (or not at all). Exceptions are not caught: a failing handler fails the request.
public interface IUserEvents
{
    Task RegisteredAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // The password was right and a sign-in step (two-factor) follows; no session yet.
    Task PasswordVerifiedAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // A session started; session.SignInMethod says how the user proved who they were.
    Task SignedInAsync(User user, UserSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    // user is null when no account has the email.
    Task SignInFailedAsync(string email, User? user, SignInFailureReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    Task LockedOutAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // This browser's session ended; the user's other sessions go on.
    Task SignedOutAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    Task SignedOutEverywhereAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    Task PasswordChangedAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // A new password set with a proof other than the old one (an emailed link); every session ended.
    Task PasswordResetAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // user.Email is the new address.
    Task EmailChangedAsync(User user, string previousEmail, CancellationToken cancellationToken) => Task.CompletedTask;

    // A signed-in user gave a wrong password (or code) on a page that asks for it again (change
    // password, two-factor settings), or tried there while the account or the address was locked.
    Task ReauthenticationFailedAsync(User user, bool lockedOut, CancellationToken cancellationToken) => Task.CompletedTask;

    Task AdminCreatedAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    // Events of other modules (two-factor, profiles) and of your own code, by name, so a handler
    // such as the logs module records them without depending on those modules.
    Task ModuleEventAsync(ModuleEvent moduleEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}

// Name: what happened, a constant of the module (ProfileEvents.Updated is "ProfileUpdated"). Detail: a short reason, never a secret.
public record ModuleEvent(string Name, User User, bool Succeeded = true, string? Detail = null);

public enum SignInFailureReason
{
    UnknownUser,
    BadPassword,
    // A wrong code, or an unknown or used recovery code, at a sign-in step after the password.
    BadCode,
    BadRecoveryCode,
    // Refused without checking: the account, or the unknown email (user null), is locked.
    LockedOut,
    Inactive,
    TooManyAttemptsFromIp,
}

// Calls every registered IUserEvents handler, in registration order:
// await events.PublishAsync(handler => handler.RegisteredAsync(user, cancellationToken));
public class UserEventPublisher(IEnumerable<IUserEvents> handlers)
{
    public async Task PublishAsync(Func<IUserEvents, Task> raise)
    {
        foreach (var handler in handlers)
        {
            await raise(handler);
        }
    }
}
