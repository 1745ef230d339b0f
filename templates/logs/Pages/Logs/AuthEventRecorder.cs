using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;

namespace ModularUsersApp.Pages.Logs;

// Adds an AuthEvent row for every account event. The row joins the change being saved
// (a registration, a sign-in, a failure count), so it is saved exactly when the change is.
// A refusal that checked no secret is recorded once per key and Logs:RefusalWindow, and
// counted after that (RepeatedRefusals); add a key below to treat another refusal so.
public class AuthEventRecorder(UsersDbContext db, IHttpContextAccessor httpContextAccessor, TimeProvider time, RepeatedRefusals refusals)
    : IUserEvents
{
    public Task RegisteredAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.Registered, true, user, user.Email);

    public Task PasswordVerifiedAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.PasswordVerified, true, user, user.Email);

    // Reason: how the user signed in ("Password", "Password+AuthenticatorCode", ...).
    public Task SignedInAsync(User user, UserSession session, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.SignedIn, true, user, user.Email, session.SignInMethod);

    // Keys: the address (an IPv6 client: its /64) for a blocked address, whatever account it
    // tries; the account, or the email when it has none, for a locked one, whatever address tries
    // it. A checked secret (BadPassword, ...) has no key.
    public Task SignInFailedAsync(string email, User? user, SignInFailureReason reason, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.SignInFailed, false, user, email, reason.ToString(), reason switch
        {
            SignInFailureReason.TooManyAttemptsFromIp => "ip:" + ClientAddress.KeyOf(httpContextAccessor.HttpContext?.Connection.RemoteIpAddress),
            SignInFailureReason.LockedOut => user is null ? "email:" + User.NormalizeEmail(email) : "user:" + user.Id,
            _ => null,
        });

    public Task LockedOutAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.LockedOut, false, user, user.Email);

    public Task SignedOutAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.SignedOut, true, user, user.Email);

    public Task SignedOutEverywhereAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.SignedOutEverywhere, true, user, user.Email);

    public Task PasswordChangedAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.PasswordChanged, true, user, user.Email);

    public Task PasswordResetAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.PasswordReset, true, user, user.Email);

    public Task EmailChangedAsync(User user, string previousEmail, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.EmailChanged, true, user, user.Email);

    public Task ReauthenticationFailedAsync(User user, bool lockedOut, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.ReauthenticationFailed, false, user, user.Email, lockedOut ? "LockedOut" : "WrongAnswer",
            lockedOut ? "user:" + user.Id : null);

    public Task AdminCreatedAsync(User user, CancellationToken cancellationToken) =>
        Record(AuthEventTypes.AdminCreated, true, user, user.Email);

    public Task ModuleEventAsync(ModuleEvent moduleEvent, CancellationToken cancellationToken) =>
        Record(moduleEvent.Name, moduleEvent.Succeeded, moduleEvent.User, moduleEvent.User.Email, moduleEvent.Detail,
            moduleEvent.Name is AuthEventTypes.LogsAccessDenied or UserAdminEvents.AccessDenied ? "user:" + moduleEvent.User.Id : null);

    // refusalKey: set for a refusal that checked no secret; its repeats within the window are counted, not added.
    private Task Record(string eventType, bool succeeded, User? user, string? email, string? reason = null, string? refusalKey = null)
    {
        // Null outside a request, for example in createsuperuser.
        var context = httpContextAccessor.HttpContext;
        var typed = Cut(email?.Trim(), AuthEvent.EmailMaxLength);
        var row = new AuthEvent
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            EventType = Cut(eventType, 64)!,
            Succeeded = succeeded,
            Reason = Cut(reason, 128),
            UserId = user?.Id,
            Email = typed,
            NormalizedEmail = typed is null ? null : User.NormalizeEmail(typed),
            ClientIp = ClientIp(),
            UserAgent = Cut(context?.Request.Headers.UserAgent.ToString(), AuthEvent.UserAgentMaxLength),
            Path = Cut(context?.Request.Path.Value, AuthEvent.PathMaxLength),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context?.TraceIdentifier,
        };
        if (refusalKey is null || !refusals.CountRepeat($"{row.EventType}:{row.Reason}:{refusalKey}", row))
        {
            db.AuthEvents.Add(row);
        }
        return Task.CompletedTask;
    }

    private string? ClientIp() => httpContextAccessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    private static string? Cut(string? text, int maxLength) =>
        string.IsNullOrEmpty(text) ? null : text.Length <= maxLength ? text : text[..maxLength];
}
