using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Starts and ends sessions: the sign-in cookie, the steps other modules add between the password
// and the session (ISignInChallenge), and the security stamp that ends other sessions.
public class UserSignIn(
    UsersDbContext db,
    IEnumerable<ISignInChallenge> challenges,
    UserEventPublisher events,
    SecurityStampCache stamps,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider time)
{
    // Holds the user between the password and a challenge step; never a session on its own.
    public const string PendingScheme = "Accounts.Pending";

    public const string StampClaim = "security_stamp";
    public const string AuthTimeClaim = "auth_time";
    private const string RememberMeClaim = "remember_me";

    private HttpContext HttpContext => httpContextAccessor.HttpContext
        ?? throw new InvalidOperationException("UserSignIn is only available during a request.");

    // Returns the page of the next step the user must pass, or null when the session has started.
    public async Task<string?> BeginAsync(User user, bool rememberMe, CancellationToken cancellationToken)
    {
        foreach (var challenge in challenges)
        {
            var stepPage = await challenge.GetStepPageAsync(user, cancellationToken);
            if (stepPage is not null)
            {
                await db.SaveChangesAsync(cancellationToken);
                var identity = new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                        new Claim(StampClaim, user.SecurityStamp),
                        new Claim(RememberMeClaim, rememberMe ? "true" : "false"),
                    ],
                    PendingScheme);
                await HttpContext.SignInAsync(PendingScheme, new ClaimsPrincipal(identity));
                return stepPage;
            }
        }
        await CompleteAsync(user, rememberMe, cancellationToken);
        return null;
    }

    // The user who passed the password and is in the middle of a challenge step, if any.
    public async Task<PendingSignIn?> GetPendingAsync(CancellationToken cancellationToken)
    {
        var result = await HttpContext.AuthenticateAsync(PendingScheme);
        if (!result.Succeeded
            || !Guid.TryParse(result.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }
        var user = await db.Users.Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || !user.IsActive || user.SecurityStamp != result.Principal.FindFirstValue(StampClaim))
        {
            return null;
        }
        return new PendingSignIn(user, result.Principal.FindFirstValue(RememberMeClaim) == "true");
    }

    public async Task CompleteAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        await HttpContext.SignOutAsync(PendingScheme);
        await CompleteAsync(pending.User, pending.RememberMe, cancellationToken);
    }

    private async Task CompleteAsync(User user, bool rememberMe, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        user.LastSignInAt = now;
        await events.PublishAsync(handler => handler.SignedInAsync(user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await IssueCookieAsync(user, rememberMe, now);
    }

    // After a password change: this browser keeps its session under the new stamp, every other
    // session of the user ends on its next request.
    public async Task RefreshAsync(User user)
    {
        var current = await HttpContext.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var authTime = long.TryParse(current.Principal?.FindFirstValue(AuthTimeClaim), CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : time.GetUtcNow();
        await IssueCookieAsync(user, current.Properties?.IsPersistent ?? false, authTime);
    }

    // Ends this session and, by changing the security stamp, every other session of the user.
    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        if (Guid.TryParse(HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user)
        {
            user.SecurityStamp = User.NewSecurityStamp();
            await events.PublishAsync(handler => handler.SignedOutAsync(user, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            stamps.Set(user.Id, user.SecurityStamp);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignOutAsync(PendingScheme);
    }

    private async Task IssueCookieAsync(User user, bool persistent, DateTimeOffset authTime)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Email, user.Email),
            new(StampClaim, user.SecurityStamp),
            new(AuthTimeClaim, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ];
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.Role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        stamps.Set(user.Id, user.SecurityStamp);
        await HttpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            principal,
            new AuthenticationProperties { IsPersistent = persistent, AllowRefresh = true });
    }
}

public record PendingSignIn(User User, bool RememberMe);
