using System.Net;
using System.Net.Sockets;

namespace ModularUsersApp.Pages.Accounts;

// The key under which limits count a client. An IPv6 client is counted by its /64 network, the
// smallest block a provider hands out: one customer can pick any of its 2^64 addresses, so
// counting single IPv6 addresses would let one client rotate past every limit.
public static class ClientAddress
{
    public static string KeyOf(IPAddress? ip)
    {
        if (ip is null)
        {
            return "unknown";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
