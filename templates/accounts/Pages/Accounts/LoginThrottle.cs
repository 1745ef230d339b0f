using System.Net;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Counters kept in this process's memory:
// - attempts per client IP, so one address cannot try secrets against many accounts;
// - failed sign-ins per unknown email, so an address without an account locks out exactly like a
//   real one and the answer never tells which addresses are registered.
// An attempt is counted before its secret is checked (TryCount...) and given back when it was
// right (Uncount...), so parallel requests cannot overtake a limit. Lockout of real accounts is
// stored on the User row instead (SecretJudge), so it holds across restarts and instances.
// With several instances each one counts its own.
public class LoginThrottle(IOptions<AccountsOptions> options, TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly AccountsOptions _options = options.Value;
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    // False when the address has used up IpFailureLimit in the current IpWindow.
    public bool TryCountAddress(IPAddress? ip)
    {
        lock (_counters)
        {
            var now = time.GetUtcNow();
            var counter = Get(AddressKey(ip), now);
            if (counter.Start + _options.IpWindow <= now)
            {
                counter.Start = now;
                counter.Count = 0;
            }
            if (counter.Count >= _options.IpFailureLimit)
            {
                return false;
            }
            counter.Count++;
            return true;
        }
    }

    // The attempt's secret was right: it does not count against the address.
    public void UncountAddress(IPAddress? ip)
    {
        lock (_counters)
        {
            if (_counters.TryGetValue(AddressKey(ip), out var counter) && counter.Count > 0)
            {
                counter.Count--;
            }
        }
    }

    // False while the unknown email is locked out, or while as many attempts as would lock it
    // are still being checked.
    public bool TryCountUnknownEmail(string normalizedEmail)
    {
        lock (_counters)
        {
            var now = time.GetUtcNow();
            var counter = Get(EmailKey(normalizedEmail), now);
            if (counter.LockedUntil is { } until && until <= now)
            {
                counter.LockedUntil = null;
                counter.Count = 0;
            }
            if (counter.LockedUntil is not null || counter.Count >= _options.LockoutFailures)
            {
                return false;
            }
            counter.Count++;
            counter.Start = now;
            return true;
        }
    }

    // After a counted attempt: true when it is the one that locks the email, as SecretJudge does
    // for real accounts.
    public bool LockUnknownEmailIfLimitReached(string normalizedEmail)
    {
        lock (_counters)
        {
            if (!_counters.TryGetValue(EmailKey(normalizedEmail), out var counter)
                || counter.LockedUntil is not null
                || counter.Count < _options.LockoutFailures)
            {
                return false;
            }
            counter.LockedUntil = time.GetUtcNow() + _options.LockoutPeriod;
            return true;
        }
    }

    private Counter Get(string key, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            if (_counters.Count >= MaxEntries)
            {
                Prune(now);
            }
            counter = new Counter { Start = now };
            _counters[key] = counter;
        }
        return counter;
    }

    private void Prune(DateTimeOffset now)
    {
        var horizon = _options.IpWindow > _options.LockoutPeriod ? _options.IpWindow : _options.LockoutPeriod;
        foreach (var (key, counter) in _counters)
        {
            if (counter.Start + horizon <= now && !(counter.LockedUntil > now))
            {
                _counters.Remove(key);
            }
        }
    }

    private static string AddressKey(IPAddress? ip) => "ip:" + (ip?.ToString() ?? "unknown");

    private static string EmailKey(string normalizedEmail) => "email:" + normalizedEmail;

    private sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset Start { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
