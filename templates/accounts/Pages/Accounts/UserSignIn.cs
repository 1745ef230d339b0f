using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Starts and ends sessions. After the password: the steps other modules add (ISignInChallenge),
// then the one place where a sign-in succeeds (StartSessionAsync): the failure count is reset,
// a UserSession row is saved and its id goes into the cookie. Ending sessions: this one (sign
// out), all of them (sign out everywhere), or all but this one (after a security change).
public class UserSignIn(
    UsersDbContext db,
    IEnumerable<ISignInChallenge> challenges,
    SecretJudge judge,
    UserEventPublisher events,
    SessionCache sessions,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider time)
{
    private HttpContext HttpContext => httpContextAccessor.HttpContext
        ?? throw new InvalidOperationException("UserSignIn is only available during a request.");

    // After a right password. Returns the next step's page, or null when the session has started.
    public async Task<SignInProgress> BeginAsync(User user, bool rememberMe, CancellationToken cancellationToken)
    {
        foreach (var challenge in challenges)
        {
            var stepPage = await challenge.GetStepPageAsync(user, cancellationToken);
            if (stepPage is not null)
            {
                await events.PublishAsync(handler => handler.PasswordVerifiedAsync(user, cancellationToken));
                await db.SaveChangesAsync(cancellationToken);
                var identity = new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                        new Claim(SessionCookie.StampClaim, user.SecurityStamp),
                        new Claim(SessionCookie.RememberMeClaim, rememberMe ? "true" : "false"),
                    ],
                    SessionCookie.PendingScheme);
                await HttpContext.SignInAsync(SessionCookie.PendingScheme, new ClaimsPrincipal(identity));
                return new SignInProgress(stepPage, Started: false);
            }
        }
        return new SignInProgress(null, await StartSessionAsync(user, rememberMe, SignInMethods.Password, cancellationToken));
    }

    // The user who passed the password and is in the middle of a sign-in step, if any.
    public async Task<PendingSignIn?> GetPendingAsync(CancellationToken cancellationToken)
    {
        var result = await HttpContext.AuthenticateAsync(SessionCookie.PendingScheme);
        if (!result.Succeeded || result.Principal.UserId() is not { } userId)
        {
            return null;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || !user.IsActive || user.SecurityStamp != result.Principal.FindFirstValue(SessionCookie.StampClaim))
        {
            return null;
        }
        return new PendingSignIn(user, result.Principal.FindFirstValue(SessionCookie.RememberMeClaim) == "true");
    }

    // After the step passed. secondFactor names what it asked for ("AuthenticatorCode", ...).
    // False when the account was locked meanwhile: no session starts.
    public async Task<bool> CompleteAsync(PendingSignIn pending, string secondFactor, CancellationToken cancellationToken)
    {
        await HttpContext.SignOutAsync(SessionCookie.PendingScheme);
        return await StartSessionAsync(pending.User, pending.RememberMe, SignInMethods.PasswordAnd(secondFactor), cancellationToken);
    }

    private async Task<bool> StartSessionAsync(User user, bool persistent, string method, CancellationToken cancellationToken)
    {
        if (!await judge.ResetAsync(user, cancellationToken))
        {
            return false;
        }
        var now = time.GetUtcNow();
        var session = new UserSession
        {
            UserId = user.Id,
            CreatedAt = now,
            LastSeenAt = now,
            IpAddress = HttpContext.Connection.RemoteIpAddress?.ToString(),
            LastIpAddress = HttpContext.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Cut(HttpContext.Request.Headers.UserAgent.ToString(), AccountLimits.UserAgentMaxLength),
            SignInMethod = method,
            IsPersistent = persistent,
        };
        db.UserSessions.Add(session);
        user.LastSignInAt = now;
        await events.PublishAsync(handler => handler.SignedInAsync(user, session, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await HttpContext.SignInAsync(SessionCookie.Scheme, SessionCookie.For(session.Id, user),
            new AuthenticationProperties { IsPersistent = persistent, AllowRefresh = true });
        return true;
    }

    // Ends this browser's session only; a copy of its cookie is refused from now on.
    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        if (HttpContext.User.SessionId() is { } sessionId
            && await db.Users.FindSignedInAsync(HttpContext.User, cancellationToken) is { } user)
        {
            await EndSessionsAsync(user, s => s.Id == sessionId, SessionEndReasons.SignedOut, cancellationToken);
            await events.PublishAsync(handler => handler.SignedOutAsync(user, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
        await HttpContext.SignOutAsync(SessionCookie.Scheme);
        await HttpContext.SignOutAsync(SessionCookie.PendingScheme);
    }

    // Ends every session of the user, this one included, and any sign-in half way through a step.
    public async Task SignOutEverywhereAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.FindSignedInAsync(HttpContext.User, cancellationToken) is { } user)
        {
            await EndAllSessionsAsync(user, SessionEndReasons.SignedOutEverywhere, cancellationToken);
            await events.PublishAsync(handler => handler.SignedOutEverywhereAsync(user, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
        await HttpContext.SignOutAsync(SessionCookie.Scheme);
        await HttpContext.SignOutAsync(SessionCookie.PendingScheme);
    }

    // After a change to how the user signs in (password, two-factor): every other browser, and
    // any sign-in half way through a step, must start again; this browser stays signed in under
    // the user's new security stamp. The caller saves.
    public async Task EndOtherSessionsAsync(User user, string reason, CancellationToken cancellationToken)
    {
        user.SecurityStamp = User.NewSecurityStamp();
        // Only when this browser is signed in as the user: an admin acting on another account keeps nothing of theirs.
        var current = HttpContext.User.UserId() == user.Id ? HttpContext.User.SessionId() : null;
        await EndSessionsAsync(user, s => s.Id != current, reason, cancellationToken);
        if (current is { } sessionId)
        {
            var cookie = await HttpContext.AuthenticateAsync(SessionCookie.Scheme);
            await HttpContext.SignInAsync(SessionCookie.Scheme, SessionCookie.For(sessionId, user), cookie.Properties);
        }
    }

    // One session of the user, ended from another browser (theirs or an admin's): its browser is
    // signed out at its next request. False when it had already ended. The caller saves.
    public async Task<bool> EndSessionAsync(User user, Guid sessionId, string reason, CancellationToken cancellationToken) =>
        await EndSessionsAsync(user, s => s.Id == sessionId, reason, cancellationToken) > 0;

    // Outside a request too (commands): every session, and a new security stamp so that a
    // sign-in half way through a step cannot complete either. The caller saves.
    public async Task EndAllSessionsAsync(User user, string reason, CancellationToken cancellationToken)
    {
        user.SecurityStamp = User.NewSecurityStamp();
        await EndSessionsAsync(user, _ => true, reason, cancellationToken);
    }

    private async Task<int> EndSessionsAsync(User user, System.Linq.Expressions.Expression<Func<UserSession, bool>> which, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ended = await db.UserSessions.Where(s => s.UserId == user.Id && s.EndedAt == null).Where(which)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), cancellationToken);
        sessions.Forget(user.Id);
        return ended;
    }

    private static string? Cut(string text, int maxLength) =>
        string.IsNullOrEmpty(text) ? null : text.Length <= maxLength ? text : text[..maxLength];
}

// StepPage: where the user goes next, or null when no step is needed. Started: a session began
// (false when the account was locked between the password and now).
public record SignInProgress(string? StepPage, bool Started);

public record PendingSignIn(User User, bool RememberMe);
