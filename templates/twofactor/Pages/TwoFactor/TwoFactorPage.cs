using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

public static class TwoFactorPageExtensions
{
    // The signed-in user, or null when the account no longer exists.
    public static Task<User?> CurrentUserAsync(this PageModel page, UsersDbContext db, CancellationToken cancellationToken) =>
        Guid.TryParse(page.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            ? db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            : Task.FromResult<User?>(null);
}
