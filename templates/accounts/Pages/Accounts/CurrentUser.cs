using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// The signed-in user and session, for page models: var user = await db.Users.FindSignedInAsync(User, cancellationToken);
public static class CurrentUser
{
    public static Guid? UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId) ? userId : null;

    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionCookie.SessionIdClaim), out var sessionId) ? sessionId : null;

    // Null when nobody is signed in or the account no longer exists.
    public static async Task<User?> FindSignedInAsync(this IQueryable<User> users, ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        principal.UserId() is { } userId
            ? await users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            : null;

    // Only paths of this app: a returnUrl pointing elsewhere would send users to a look-alike site.
    public static string LocalOrHome(this IUrlHelper url, string? returnUrl) =>
        url.IsLocalUrl(returnUrl) ? returnUrl : url.Content("~/");
}
