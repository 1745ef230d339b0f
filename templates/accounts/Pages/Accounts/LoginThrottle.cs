using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Counters kept in this process's memory:
// - failed sign-ins per client IP, so one address cannot try passwords against many accounts;
// - failed sign-ins per unknown email, so an address without an account locks out exactly like a
//   real one and the answer never tells which addresses are registered.
// Lockout of real accounts is stored on the User row instead, so it holds across restarts and
// instances. With several instances each one counts its own IP failures.
public class LoginThrottle(IOptions<AccountsOptions> options, TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly AccountsOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public bool IsIpBlocked(IPAddress? ip)
    {
        var now = time.GetUtcNow();
        return _counters.TryGetValue(IpKey(ip), out var counter)
            && counter.WindowStart + _options.IpWindow > now
            && counter.Count >= _options.IpFailureLimit;
    }

    public void RecordIpFailure(IPAddress? ip)
    {
        var now = time.GetUtcNow();
        Update(IpKey(ip), counter => counter.WindowStart + _options.IpWindow <= now
            ? new Counter(1, now, null)
            : counter with { Count = counter.Count + 1 });
    }

    public bool IsUnknownEmailLocked(string normalizedEmail) =>
        _counters.TryGetValue(EmailKey(normalizedEmail), out var counter) && counter.LockedUntil > time.GetUtcNow();

    // Call only while the email is not locked. Returns true when this failure starts a lockout,
    // after LockoutFailures in a row, as AccountLockout does for real accounts.
    public bool RecordUnknownEmailFailure(string normalizedEmail)
    {
        var now = time.GetUtcNow();
        var counter = Update(EmailKey(normalizedEmail), counter =>
        {
            var failures = counter.LockedUntil is null ? counter.Count + 1 : 1;
            return failures >= _options.LockoutFailures
                ? new Counter(0, now, now + _options.LockoutPeriod)
                : new Counter(failures, now, null);
        });
        return counter.LockedUntil is not null;
    }

    private Counter Update(string key, Func<Counter, Counter> change)
    {
        if (_counters.Count >= MaxEntries)
        {
            Prune();
        }
        return _counters.AddOrUpdate(key, _ => change(new Counter(0, time.GetUtcNow(), null)), (_, counter) => change(counter));
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        var horizon = _options.IpWindow > _options.LockoutPeriod ? _options.IpWindow : _options.LockoutPeriod;
        foreach (var (key, counter) in _counters)
        {
            if (counter.WindowStart + horizon <= now && !(counter.LockedUntil > now))
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private static string IpKey(IPAddress? ip) => "ip:" + (ip?.ToString() ?? "unknown");

    private static string EmailKey(string normalizedEmail) => "email:" + normalizedEmail;

    private sealed record Counter(int Count, DateTimeOffset WindowStart, DateTimeOffset? LockedUntil);
}
