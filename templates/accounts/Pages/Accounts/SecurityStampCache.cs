using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Each request's cookie carries the security stamp it was issued with. Comparing it with the
// user's current stamp ends sessions after a password change or sign-out. The current stamp is
// cached per user for SecurityStampCacheDuration, so an unchanged user costs no database query
// per request: changes made on this instance apply at once, changes made on another instance
// within the cache duration.
public class SecurityStampCache(IMemoryCache cache, IOptions<AccountsOptions> options, TimeProvider time)
{
    // Null when the user no longer exists or is deactivated.
    public async Task<string?> GetAsync(Guid userId, UsersDbContext db, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(userId), out Entry? entry)
            && entry!.ReadAt + options.Value.SecurityStampCacheDuration > time.GetUtcNow())
        {
            return entry.Stamp;
        }
        var stamp = await db.Users.Where(u => u.Id == userId && u.IsActive)
            .Select(u => u.SecurityStamp)
            .SingleOrDefaultAsync(cancellationToken);
        Set(userId, stamp);
        return stamp;
    }

    public void Set(Guid userId, string? stamp) =>
        cache.Set(Key(userId), new Entry(stamp, time.GetUtcNow()), options.Value.SecurityStampCacheDuration + TimeSpan.FromMinutes(1));

    private static string Key(Guid userId) => $"Accounts.SecurityStamp:{userId}";

    private sealed record Entry(string? Stamp, DateTimeOffset ReadAt);
}

// Runs on every request that carries the sign-in cookie.
public class SessionValidator(SecurityStampCache stamps, UsersDbContext db, IOptions<AccountsOptions> options, TimeProvider time)
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var valid = principal is not null
            && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && long.TryParse(principal.FindFirstValue(UserSignIn.AuthTimeClaim), CultureInfo.InvariantCulture, out var authTime)
            && DateTimeOffset.FromUnixTimeSeconds(authTime) + options.Value.SessionAbsoluteLifetime > time.GetUtcNow()
            && principal.FindFirstValue(UserSignIn.StampClaim) is { } cookieStamp
            && cookieStamp == await stamps.GetAsync(userId, db, context.HttpContext.RequestAborted);
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
