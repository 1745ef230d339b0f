using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// An admin's view of one user's sessions, found by email (/Sessions/Admin?user=someone@example.com),
// with sign-out of one session or of all. Each is an event naming the admin (the logs module
// records it).
[Authorize(Roles = Roles.Admin)]
public class AdminModel(UsersDbContext db, SessionList sessionList, UserSignIn userSignIn, UserEventPublisher events) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    [EmailAddress]
    [Display(Name = "Email")]
    public string? Email { get; set; }

    public User? Found { get; private set; }

    public SessionList.Sessions Sessions { get; private set; } = new([], []);

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    // returnUrl: where to go back to (the admin's user page), when local.
    public async Task<IActionResult> OnPostEndAsync(Guid sessionId, string? returnUrl, CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return await NotFoundPageAsync(cancellationToken);
        }
        if (await userSignIn.EndSessionAsync(user, sessionId, EndedElsewhere.ByAdmin, cancellationToken))
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(
                new ModuleEvent(SessionEvents.SessionEndedByAdmin, user, Detail: $"by {User.Identity!.Name}"), cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            StatusMessage = $"That session of {user.Email} is signed out.";
        }
        else
        {
            StatusMessage = "That session had already ended.";
        }
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage(new { user = user.Email });
    }

    public async Task<IActionResult> OnPostEndAllAsync(CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } user)
        {
            return await NotFoundPageAsync(cancellationToken);
        }
        await userSignIn.EndAllSessionsAsync(user, EndedElsewhere.ByAdmin, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(
            new ModuleEvent(SessionEvents.AllSessionsEndedByAdmin, user, Detail: $"by {User.Identity!.Name}"), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        StatusMessage = $"Every session of {user.Email} is signed out.";
        return RedirectToPage(new { user = user.Email });
    }

    private async Task<User?> FindAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || string.IsNullOrWhiteSpace(Email))
        {
            return null;
        }
        var normalized = Accounts.User.NormalizeEmail(Email);
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    private async Task<IActionResult> NotFoundPageAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Found = await FindAsync(cancellationToken);
        if (Found is not null)
        {
            // The admin's own sessions show their "this device" badge too.
            Sessions = await sessionList.LoadAsync(Found.Id, User.SessionId(), cancellationToken);
        }
        else if (ModelState.IsValid && !string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), "No account has this email address.");
        }
    }
}
