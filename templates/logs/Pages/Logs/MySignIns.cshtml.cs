using System.Security.Claims;
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

    private static readonly string[] SignInTypes = [AuthEventTypes.SignedIn, AuthEventTypes.SignInFailed, AuthEventTypes.LockedOut];

    public IReadOnlyList<AuthEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        Events = await db.AuthEvents.AsNoTracking()
            .Where(e => e.UserId == userId && SignInTypes.Contains(e.EventType))
            .OrderByDescending(e => e.Id)
            .Take(Shown)
            .ToListAsync(cancellationToken);
    }
}
