using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Accounts.Users;

// The user administration pages: for the Admin role only. Anyone else signed in is refused
// (403, shown as /Accounts/AccessDenied) and the attempt is an event, which is why the role is
// checked here rather than by [Authorize(Roles = ...)].
[Authorize]
public abstract class AdminPageModel : PageModel
{
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (User.IsInRole(Roles.Admin))
        {
            // A POST naming no handler of the page would otherwise render it with nothing loaded.
            if (context.HandlerMethod is null)
            {
                context.Result = BadRequest();
                return;
            }
            await next();
            return;
        }
        var services = HttpContext.RequestServices;
        var db = services.GetRequiredService<UsersDbContext>();
        if (await db.Users.FindSignedInAsync(User, HttpContext.RequestAborted) is { } user)
        {
            await services.GetRequiredService<UserEventPublisher>().PublishAsync(handler => handler.ModuleEventAsync(
                new ModuleEvent(UserAdminEvents.AccessDenied, user, Succeeded: false, Detail: Request.Path), HttpContext.RequestAborted));
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        context.Result = Forbid();
    }

    // Who acts, for the events: the signed-in admin's email.
    protected string ActingAdmin => User.Identity?.Name ?? "an admin";
}
