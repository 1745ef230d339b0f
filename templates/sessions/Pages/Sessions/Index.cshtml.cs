using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// Where the signed-in user is signed in: each browser, with sign-out of any other one, or of all
// of them at once. A browser signed out here lands on the sign-in page at its next request (on
// another instance of the app: within Accounts:SessionCacheDuration).
[Authorize]
public class IndexModel(UsersDbContext db, SessionList sessionList, UserSignIn userSignIn, UserEventPublisher events) : PageModel
{
    public SessionList.Sessions Sessions { get; private set; } = new([], []);

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (await db.Users.FindSignedInAsync(User, cancellationToken) is not { } user)
        {
            return Challenge();
        }
        if (sessionId == User.SessionId())
        {
            // This browser signs out from the sign-out page, which also offers "everywhere".
            return RedirectToPage("/Accounts/Logout");
        }
        if (!await userSignIn.EndSessionAsync(user, sessionId, EndedElsewhere.ByUser, cancellationToken))
        {
            ModelState.AddModelError(string.Empty, "That session had already ended.");
            await LoadAsync(cancellationToken);
            return Page();
        }
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(SessionEvents.SessionEnded, user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        StatusMessage = "That browser is signed out.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.FindSignedInAsync(User, cancellationToken) is not { } user)
        {
            return Challenge();
        }
        await userSignIn.EndOtherSessionsAsync(user, EndedElsewhere.ByUser, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(SessionEvents.OtherSessionsEnded, user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        StatusMessage = "Every other browser is signed out. This one stays signed in.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Sessions = await sessionList.LoadAsync(User.UserId()!.Value, User.SessionId(), cancellationToken);
}
