using System.Net;

namespace ModularUsersApp.Pages.Sessions;

// Where an IP address roughly is ("Berlin, Germany"), shown beside a session and in the
// new-device mail; null when unknown. It is a guess from a database of address ranges: a
// phone network or a VPN can put the user hundreds of kilometres away.
public interface IIpLocator
{
    string? Locate(IPAddress address);
}

// The default: no location is shown. `dotnet new mu-sessions --geoip` adds MaxMindIpLocator.
public sealed class NoIpLocator : IIpLocator
{
    public string? Locate(IPAddress address) => null;
}
