using System.ComponentModel.DataAnnotations;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// Bound from the "Sessions" section of configuration, checked at start-up.
public class SessionsOptions
{
    public const string Section = "Sessions";

    // A session's "last active" is written at most this often (or when its IP address changes),
    // so a signed-in request costs no database write. 0 writes on every request.
    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan LastSeenWriteInterval { get; set; } = TimeSpan.FromMinutes(5);

    // Ended and expired sessions are deleted this many days after they ended, by the background
    // purge and by `dotnet run -- purgesessions`. (Known browsers go after 400 days unused.)
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 30;

    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(6);

    // Mail the user when they sign in from a browser they have not used before (needs the email module).
    public bool NewDeviceEmail { get; set; } = true;

    // A GeoLite2-City or GeoIP2-City .mmdb file you download from MaxMind (with --geoip).
    public string? GeoIpDatabasePath { get; set; }
}
