using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// Remembers the browsers each user signs in with (KnownDevice, through a long-lived random
// cookie) and mails the user when a sign-in comes from one they have not used before: with the
// email module present (IUserMail) and Sessions:NewDeviceEmail on. The account's first sign-in
// (at registration, or after confirming the address) records its browser without a mail. A
// password reset forgets every browser: whoever knew the old password may have signed in with one.
// A browser that clears its cookies counts as new again.
public class NewDeviceAlerts(
    UsersDbContext db,
    IEnumerable<IUserMail> mail,
    IIpLocator locator,
    IHttpContextAccessor httpContextAccessor,
    IHostEnvironment environment,
    IOptions<SessionsOptions> options,
    TimeProvider time) : IUserEvents
{
    public const string CookieName = "Sessions.Device";

    // The longest browsers keep a cookie (Chrome caps Max-Age at 400 days); signing in renews it.
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(400);

    public async Task SignedInAsync(User user, UserSession session, CancellationToken cancellationToken)
    {
        if (httpContextAccessor.HttpContext is not { } http
            || await RememberAsync(user, http, cancellationToken)
            || await IsFirstSignInAsync(user, session, cancellationToken))
        {
            return;
        }
        if (options.Value.NewDeviceEmail)
        {
            foreach (var sender in mail)
            {
                sender.Queue(user, Notice(session));
            }
        }
    }

    // No browser known and no other session, ended or not: the account's first use. (An
    // account unused for long has no session rows left after the purge, but its known browsers
    // stay 400 days, so a new browser there is still mailed.)
    private async Task<bool> IsFirstSignInAsync(User user, UserSession session, CancellationToken cancellationToken) =>
        !await db.KnownDevices.AnyAsync(d => d.UserId == user.Id, cancellationToken)
        && !await db.UserSessions.AnyAsync(s => s.UserId == user.Id && s.Id != session.Id, cancellationToken);

    public async Task PasswordResetAsync(User user, CancellationToken cancellationToken) =>
        db.KnownDevices.RemoveRange(await db.KnownDevices.Where(d => d.UserId == user.Id).ToListAsync(cancellationToken));

    // True when the browser was known for this user; otherwise it is from now on. The caller saves.
    private async Task<bool> RememberAsync(User user, HttpContext http, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cookie = DeviceCookie();
        var deviceId = http.Request.Cookies[cookie.Name!] is { Length: 43 } existing ? existing : NewDeviceId();
        // Renewed at each sign-in, so a browser in use stays known.
        http.Response.Cookies.Append(cookie.Name!, deviceId, cookie.Build(http, now));
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(deviceId)));
        var known = await db.KnownDevices.FirstOrDefaultAsync(d => d.UserId == user.Id && d.DeviceIdHash == hash, cancellationToken);
        if (known is not null)
        {
            known.LastSeenAt = now;
            return true;
        }
        db.KnownDevices.Add(new KnownDevice { UserId = user.Id, DeviceIdHash = hash, FirstSeenAt = now, LastSeenAt = now });
        return false;
    }

    private CookieBuilder DeviceCookie()
    {
        var cookie = new CookieBuilder
        {
            Name = CookieName,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = CookieLifetime,
        };
        AccountsModule.SecureOutsideDevelopment(cookie, environment);
        return cookie;
    }

    // 256 random bits, URL-safe base64 without padding: 43 characters.
    private static string NewDeviceId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The words of the mail; change them here. No Host header or User-Agent text is quoted: the
    // browser is named from known words of its header (UserAgents).
    private UserNotice Notice(UserSession session)
    {
        var device = UserAgents.Describe(session.UserAgent);
        var when = session.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var location = IPAddress.TryParse(session.IpAddress, out var address) ? locator.Locate(address) : null;
        var details = $"Browser: {device}\nIP address: {session.IpAddress ?? "unknown"}\n" +
            (location is null ? "" : $"Location (approximate): {location}\n") +
            $"When: {when}";
        return new UserNotice(
            "NewDeviceSignIn",
            "A new sign-in to your account",
            [
                "Your account was just signed in to from a browser it had not been used with before.",
                details,
                "If it was you, there is nothing to do. If it was not, sign that browser out on the page below and change your password at once.",
            ],
            "/Sessions",
            "See where you are signed in");
    }
}
