using System.Net;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Attempts per client address (an IPv6 client by its /64 network, see ClientAddress), so one
// address cannot try secrets against many accounts. Kept in this process's memory: with several
// instances each one counts its own. An attempt is counted before its secret is checked
// (TryCountAddress) and given back when it was right (UncountAddress), so parallel requests
// cannot overtake the limit. Lockouts of accounts and of unknown emails are in the database
// (SecretJudge, UnknownEmailLockout), so they hold across restarts and instances.
public class LoginThrottle(IOptions<AccountsOptions> options, TimeProvider time)
{
    // A hard cap on the addresses counted at once. When it is reached, addresses whose window is
    // over are dropped first, then those that started counting longest ago.
    public const int MaxAddresses = 100_000;

    private readonly AccountsOptions _options = options.Value;
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    // How many addresses are being counted now (at most MaxAddresses).
    public int Count
    {
        get
        {
            lock (_counters)
            {
                return _counters.Count;
            }
        }
    }

    // False when the address has used up IpFailureLimit in the current IpWindow.
    public bool TryCountAddress(IPAddress? ip)
    {
        lock (_counters)
        {
            var now = time.GetUtcNow();
            var counter = Get(ClientAddress.KeyOf(ip), now);
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

    // The attempt's secret was right (or it was never checked): it does not count against the address.
    public void UncountAddress(IPAddress? ip)
    {
        lock (_counters)
        {
            if (_counters.TryGetValue(ClientAddress.KeyOf(ip), out var counter) && counter.Count > 0)
            {
                counter.Count--;
            }
        }
    }

    private Counter Get(string key, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            if (_counters.Count >= MaxAddresses)
            {
                MakeRoom(now);
            }
            counter = new Counter { Start = now };
            _counters[key] = counter;
        }
        return counter;
    }

    // Runs at most once per MaxAddresses / 10 new addresses, so its cost is spread thin.
    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (counter.Start + _options.IpWindow <= now)
            {
                _counters.Remove(key);
            }
        }
        var excess = _counters.Count - (MaxAddresses - MaxAddresses / 10);
        if (excess > 0)
        {
            foreach (var key in _counters.OrderBy(c => c.Value.Start).Take(excess).Select(c => c.Key).ToList())
            {
                _counters.Remove(key);
            }
        }
    }

    private sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset Start { get; set; }
    }
}
