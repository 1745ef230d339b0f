using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// The sign-in cookie holds only which session it belongs to (its id, the user's id and the
// security stamp at sign-in); never roles or anything else that can change. On every request
// ValidateAsync looks the session up (through SessionCache) and gives the request a principal
// with the user's current email and roles, or rejects the cookie.
public static class SessionCookie
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    // Holds the user between the password and a sign-in step; never a session on its own.
    public const string PendingScheme = "Accounts.Pending";

    public const string SessionIdClaim = "session_id";
    public const string StampClaim = "security_stamp";
    public const string RememberMeClaim = "remember_me";

    public static ClaimsPrincipal For(Guid sessionId, User user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(SessionIdClaim, sessionId.ToString()),
            new Claim(StampClaim, user.SecurityStamp),
        ],
        Scheme));

    // What the rest of the request sees: User.Identity.Name, User.IsInRole(...), [Authorize(Roles = ...)].
    private static ClaimsPrincipal ForRequest(SessionState state)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, state.UserId.ToString()),
            new(SessionIdClaim, state.SessionId.ToString()),
            new(ClaimTypes.Name, state.Email),
            new(ClaimTypes.Email, state.Email),
        ];
        claims.AddRange(state.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    // Runs on every request that carries the sign-in cookie, so it costs no database query (nor
    // even a DbContext) while the session's cache entry is fresh; an ISessionActivity (the
    // sessions module's last-active write) may add one now and then.
    public class Validator(SessionCache sessions, IEnumerable<ISessionActivity> activities, IOptions<AccountsOptions> options, TimeProvider time)
    {
        public async Task ValidateAsync(CookieValidatePrincipalContext context)
        {
            var cookie = context.Principal;
            var state = cookie?.SessionId() is { } sessionId
                ? await sessions.GetAsync(sessionId, context.HttpContext.RequestServices, context.HttpContext.RequestAborted)
                : null;
            if (cookie is null
                || state is null
                || state.UserId != cookie.UserId()
                || state.SecurityStamp != cookie.FindFirstValue(StampClaim)
                || state.CreatedAt + options.Value.SessionAbsoluteLifetime <= time.GetUtcNow()
                || !await AllSeeActiveAsync(state, context.HttpContext))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(Scheme);
                return;
            }
            // The cookie itself is not rewritten: it keeps holding only the session's id.
            context.ReplacePrincipal(ForRequest(state));
        }

        private async Task<bool> AllSeeActiveAsync(SessionState state, HttpContext httpContext)
        {
            foreach (var activity in activities)
            {
                if (!await activity.SeenAsync(state, httpContext))
                {
                    return false;
                }
            }
            return true;
        }
    }

    // Decrypting the cookie (Data Protection: key derivation, HMAC, AES) is most of what a
    // signed-in request costs over an anonymous one. A cookie value always decrypts to the same
    // ticket, so each one that did is kept for SessionCacheDuration (0: not kept). The ticket's
    // expiry and its session (Validator) are still checked on every request.
    public sealed class TicketCache(ISecureDataFormat<AuthenticationTicket> inner, TimeSpan duration) : ISecureDataFormat<AuthenticationTicket>
    {
        // Only cookies that decrypted, so only ones this app issued; at most this many.
        private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = 10_000 });

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            if (protectedText is null || purpose is not null || duration <= TimeSpan.Zero)
            {
                return inner.Unprotect(protectedText, purpose);
            }
            if (!_tickets.TryGetValue(protectedText, out AuthenticationTicket? ticket))
            {
                ticket = inner.Unprotect(protectedText);
                if (ticket is null)
                {
                    return null;
                }
                _tickets.Set(protectedText, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
            }
            // A copy, so nothing one request does to its ticket reaches another request.
            return new AuthenticationTicket(ticket!.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
        }
    }
}
