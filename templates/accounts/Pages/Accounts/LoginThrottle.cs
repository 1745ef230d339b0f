using System.Net;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Attempts per client address (an IPv6 client by its /64 network, see ClientAddress), so one
// address cannot try secrets against many accounts: IpFailureLimit per IpWindow, in this
// process's memory (FixedWindowCounters; with several instances each one counts its own). An
// attempt is counted before its secret is checked (TryCountAddress) and given back when it was
// right (UncountAddress), so parallel requests cannot overtake the limit. Lockouts of accounts
// and of unknown emails are in the database (SecretJudge, UnknownEmailLockouts), so they hold
// across restarts and instances.
public class LoginThrottle(IOptions<AccountsOptions> options, TimeProvider time)
{
    private readonly FixedWindowCounters _addresses = new(options.Value.IpFailureLimit, options.Value.IpWindow, time);

    // How many addresses are being counted now (at most FixedWindowCounters.MaxKeys).
    public int Count => _addresses.Count;

    // False when the address has used up IpFailureLimit in the current IpWindow.
    public bool TryCountAddress(IPAddress? ip) => _addresses.TryCount(ClientAddress.KeyOf(ip), out _, out _);

    // The attempt's secret was right (or it was never checked): it does not count against the address.
    public void UncountAddress(IPAddress? ip) => _addresses.Uncount(ClientAddress.KeyOf(ip));
}
