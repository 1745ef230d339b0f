using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// Keeps UserSession.LastSeenAt and LastIpAddress for the sessions page without a database write
// per request: each instance remembers when it last wrote each session, and writes again only
// after Sessions:LastSeenWriteInterval, or when the session's IP address changes (at most every
// IpChangeInterval, so a browser that alternates two addresses does not write on every request).
// The write is one UPDATE whose condition repeats that rule, so instances that write at about the
// same time change the row once. Finding the session ended there signs the request out at once,
// without waiting for the session cache (Accounts:SessionCacheDuration) of this instance.
public class LastSeenTracker(SessionCache sessions, IOptions<SessionsOptions> options, TimeProvider time) : ISessionActivity
{
    private static readonly TimeSpan IpChangeInterval = TimeSpan.FromSeconds(30);

    // Sessions seen lately. When this many are held, new ones are not kept until the cache has
    // removed some (it drops a twentieth at a time): meanwhile they are written at each request.
    private readonly MemoryCache _written = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly Lock _gate = new();

    public async Task<bool> SeenAsync(SessionState session, HttpContext httpContext)
    {
        var now = time.GetUtcNow();
        var ip = httpContext.Connection.RemoteIpAddress?.ToString();
        var interval = options.Value.LastSeenWriteInterval;
        lock (_gate)
        {
            if (_written.TryGetValue(session.SessionId, out Written? last)
                && now - last!.At < interval
                && (last.IpAddress == ip || now - last.At < IpChangeInterval))
            {
                return true;
            }
            _written.Set(session.SessionId, new Written(now, ip), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpirationRelativeToNow = interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(1),
            });
        }

        var db = httpContext.RequestServices.GetRequiredService<UsersDbContext>();
        var writtenBefore = now - interval;
        var updated = await db.UserSessions
            .Where(s => s.Id == session.SessionId && s.EndedAt == null && (s.LastSeenAt <= writtenBefore || s.LastIpAddress != ip))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, now).SetProperty(s => s.LastIpAddress, ip), httpContext.RequestAborted);
        if (updated == 0 && await db.UserSessions.AnyAsync(s => s.Id == session.SessionId && s.EndedAt != null, httpContext.RequestAborted))
        {
            _written.Remove(session.SessionId);
            sessions.Forget(session.UserId);
            return false;
        }
        return true;
    }

    private sealed record Written(DateTimeOffset At, string? IpAddress);
}
