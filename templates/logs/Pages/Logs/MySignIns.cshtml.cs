using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// The signed-in user's own recent sign-ins and failed attempts, so they can spot one that was not them.
[Authorize]
public class MySignInsModel(UsersDbContext db) : PageModel
{
    private const int Shown = 30;

    // Failed sign-ins include wrong codes at a sign-in step (reason BadCode, BadRecoveryCode).
    private static readonly string[] SignInTypes =
        [AuthEventTypes.PasswordVerified, AuthEventTypes.SignedIn, AuthEventTypes.SignInFailed, AuthEventTypes.LockedOut];

    public IReadOnlyList<AuthEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var userId = User.UserId();
        Events = await db.AuthEvents.AsNoTracking()
            .Where(e => e.UserId == userId && SignInTypes.Contains(e.EventType))
            .OrderByDescending(e => e.Id)
            .Take(Shown)
            .ToListAsync(cancellationToken);
    }

    public static string Describe(AuthEvent e) => (e.EventType, e.Reason) switch
    {
        (AuthEventTypes.PasswordVerified, _) => "Password right, code asked",
        (AuthEventTypes.SignedIn, SignInMethods.Password or null) => "Signed in",
        (AuthEventTypes.SignedIn, var method) => $"Signed in ({method!.Replace("+", " + ")})",
        (AuthEventTypes.LockedOut, _) => "Locked",
        (_, nameof(SignInFailureReason.BadCode)) => "Wrong code",
        (_, nameof(SignInFailureReason.BadRecoveryCode)) => "Wrong recovery code",
        _ => "Failed",
    };
}
