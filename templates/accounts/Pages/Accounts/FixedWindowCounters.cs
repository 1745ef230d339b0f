namespace ModularUsersApp.Pages.Accounts;

// Attempts per key (a client address, see ClientAddress) in fixed windows, kept in this process's
// memory: a key may count `limit` attempts, then is refused until its window is over. At most
// MaxKeys keys are kept: when that many are counted, keys whose window is over go first, then
// those whose window started longest ago, so a client rotating through many addresses cannot
// grow the table without bound. With several instances each one counts its own.
public class FixedWindowCounters(int limit, TimeSpan window, TimeProvider time)
{
    public const int MaxKeys = 100_000;

    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    // How many keys are being counted now (at most MaxKeys).
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

    // False when the key has used up its limit in the current window; retryAfter says when that
    // window ends, and firstRefusal is true for the first refusal of the window (to log it once).
    public bool TryCount(string key, out TimeSpan retryAfter, out bool firstRefusal)
    {
        lock (_counters)
        {
            var now = time.GetUtcNow();
            var counter = Get(key, now);
            if (counter.Start + window <= now)
            {
                counter.Start = now;
                counter.Count = 0;
                counter.Refused = 0;
            }
            if (counter.Count >= limit)
            {
                retryAfter = counter.Start + window - now;
                firstRefusal = counter.Refused++ == 0;
                return false;
            }
            counter.Count++;
            retryAfter = TimeSpan.Zero;
            firstRefusal = false;
            return true;
        }
    }

    // A counted attempt that should not count after all (its secret was right, or never checked).
    public void Uncount(string key)
    {
        lock (_counters)
        {
            if (_counters.TryGetValue(key, out var counter) && counter.Count > 0)
            {
                counter.Count--;
            }
        }
    }

    private Counter Get(string key, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            if (_counters.Count >= MaxKeys)
            {
                MakeRoom(now);
            }
            counter = new Counter { Start = now };
            _counters[key] = counter;
        }
        return counter;
    }

    // Frees a tenth of the table at least, so this runs at most once per MaxKeys / 10 new keys.
    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (counter.Start + window <= now)
            {
                _counters.Remove(key);
            }
        }
        var excess = _counters.Count - (MaxKeys - MaxKeys / 10);
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

        public int Refused { get; set; }

        public DateTimeOffset Start { get; set; }
    }
}
