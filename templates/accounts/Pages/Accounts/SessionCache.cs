using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// What one instance knows of each session it has seen: whether it is still active, and its
// user's email, roles and security stamp. Each entry is trusted for SessionCacheDuration, so an
// unchanged session costs no database query per request. Whatever changes a user on this
// instance calls Forget(userId), so the change applies here at once; other instances see it
// when their entry is older than SessionCacheDuration.
public class SessionCache(IMemoryCache cache, IOptions<AccountsOptions> options, TimeProvider time)
{
    // Increases with every Forget; an entry read before its user's last Forget is stale.
    private long _generation;

    // Null when the session has ended, or its user is gone or deactivated.
    // requestServices gives the UsersDbContext, asked for only when the database must be read.
    public async Task<SessionState?> GetAsync(Guid sessionId, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        var duration = options.Value.SessionCacheDuration;
        if (cache.TryGetValue(SessionKey(sessionId), out Entry? entry)
            && entry!.ReadAt + duration > time.GetUtcNow()
            && (entry.State is null || entry.Generation >= ForgottenAt(entry.State.UserId)))
        {
            return entry.State;
        }

        var generation = Interlocked.Read(ref _generation);
        var db = requestServices.GetRequiredService<UsersDbContext>();
        var state = await db.UserSessions
            .Where(s => s.Id == sessionId && s.EndedAt == null)
            .Join(db.Users.Where(u => u.IsActive), s => s.UserId, u => u.Id, (s, u) => new SessionState(
                s.Id, u.Id, u.Email, u.SecurityStamp, s.CreatedAt, db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.Role).ToList()))
            .SingleOrDefaultAsync(cancellationToken);
        if (duration > TimeSpan.Zero)
        {
            cache.Set(SessionKey(sessionId), new Entry(state, time.GetUtcNow(), generation), duration);
        }
        return state;
    }

    // The user's sessions, roles or stamp changed: read them again on their next request.
    public void Forget(Guid userId)
    {
        var generation = Interlocked.Increment(ref _generation);
        cache.Set(UserKey(userId), generation, options.Value.SessionCacheDuration + TimeSpan.FromMinutes(1));
    }

    private long ForgottenAt(Guid userId) => cache.TryGetValue(UserKey(userId), out long generation) ? generation : 0;

    private static string SessionKey(Guid sessionId) => $"Accounts.Session:{sessionId}";

    private static string UserKey(Guid userId) => $"Accounts.SessionUser:{userId}";

    private sealed record Entry(SessionState? State, DateTimeOffset ReadAt, long Generation);
}

public record SessionState(Guid SessionId, Guid UserId, string Email, string SecurityStamp, DateTimeOffset CreatedAt, List<string> Roles);
