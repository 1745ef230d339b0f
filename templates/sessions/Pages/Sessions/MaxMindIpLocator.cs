using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// Looks addresses up in a MaxMind GeoLite2-City or GeoIP2-City file on disk: no network call, no
// account needed at run time. The file is opened once, memory-mapped, and shared by all requests.
// MaxMind publishes new data every week: move the new file into place (do not overwrite the one
// the app has open: it is mapped into memory) and restart the app.
public sealed class MaxMindIpLocator : IIpLocator, IDisposable
{
    private const string DownloadHint =
        "Download a GeoLite2-City .mmdb file (free, with a MaxMind account) from " +
        "https://dev.maxmind.com/geoip/geolite2-free-geolocation-data and set " +
        $"{SessionsOptions.Section}:{nameof(SessionsOptions.GeoIpDatabasePath)} to its path.";

    private const string Setting = $"{SessionsOptions.Section}:{nameof(SessionsOptions.GeoIpDatabasePath)}";

    // Null in Development until the setting is given: no locations are shown meanwhile.
    private readonly DatabaseReader? _reader;

    // Constructed at start-up (GeoIpStartupCheck), so a missing or wrong file stops the app with
    // this message rather than failing on the first page that shows a location. A relative path
    // is taken from the project folder (the content root).
    public MaxMindIpLocator(IOptions<SessionsOptions> options, IHostEnvironment environment, ILogger<MaxMindIpLocator> logger)
    {
        var setting = options.Value.GeoIpDatabasePath;
        if (string.IsNullOrWhiteSpace(setting))
        {
            if (environment.IsDevelopment())
            {
                Log.GeoIpDatabaseNotSet(logger, Setting, DownloadHint);
                return;
            }
            throw new StartupRefusedException($"{Setting} is not set. {DownloadHint}");
        }
        var path = Path.GetFullPath(setting, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            throw new StartupRefusedException($"{Setting} is '{setting}', but {path} does not exist. {DownloadHint}");
        }

        // For names in another language, add the locales, most preferred first:
        // new DatabaseReader(path, ["de", "en"], FileAccessMode.MemoryMapped).
        try
        {
            _reader = new DatabaseReader(path, FileAccessMode.MemoryMapped);
        }
        catch (InvalidDatabaseException exception)
        {
            throw new StartupRefusedException($"{Setting} is '{setting}', which is not a MaxMind database file. {DownloadHint}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException($"{Setting} is '{setting}', which the app cannot read: {exception.Message}", exception);
        }

        // A Country or ASN file opens fine but throws on every city lookup.
        var databaseType = _reader.Metadata.DatabaseType;
        if (!databaseType.Contains("City", StringComparison.Ordinal))
        {
            _reader.Dispose();
            throw new StartupRefusedException($"{Setting} is '{setting}', a {databaseType} database; a City database is needed. {DownloadHint}");
        }
    }

    public string? Locate(IPAddress address)
    {
        // A server listening on IPv6 and IPv4 sees IPv4 clients as ::ffff:a.b.c.d.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // An IPv4-only file cannot look up IPv6 addresses; private, loopback and unassigned
        // addresses are not in the database.
        if (_reader is null
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && _reader.Metadata.IPVersion == 4)
            || !_reader.TryCity(address, out var found))
        {
            return null;
        }

        return (found.City.Name, found.Country.Name) switch
        {
            (string city, string country) => $"{city}, {country}",
            (null, string country) => country,
            _ => null,
        };
    }

    public void Dispose() => _reader?.Dispose();
}

// Opens the location database while the app starts (see MaxMindIpLocator's constructor).
public class GeoIpStartupCheck : IHostedService
{
    // Being made with the locator is the check: the locator is made first.
    public GeoIpStartupCheck(IIpLocator locator)
    {
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
