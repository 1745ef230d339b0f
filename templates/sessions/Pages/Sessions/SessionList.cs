using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// One session as the pages show it.
public record SessionRow(
    Guid Id,
    string Device,
    string? UserAgent,
    string? IpAddress,
    string? Location,
    DateTimeOffset SignedInAt,
    DateTimeOffset LastActiveAt,
    string SignedInWith,
    bool IsThisDevice,
    DateTimeOffset? EndedAt,
    string? WhyEnded);

// A user's sessions for /Sessions and /Sessions/Admin: the active ones, and those that ended
// in the last Sessions:RetentionDays (older ones are purged).
public partial class SessionList(UsersDbContext db, IIpLocator locator, IOptions<AccountsOptions> accounts, TimeProvider time)
{
    private const int EndedShown = 20;

    public record Sessions(IReadOnlyList<SessionRow> Active, IReadOnlyList<SessionRow> Ended);

    public async Task<Sessions> LoadAsync(Guid userId, Guid? thisSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId)
            .OrderByDescending(s => s.LastSeenAt)
            .ToListAsync(cancellationToken);
        var active = rows.Where(s => s.EndedAt is null && !HasExpired(s, now))
            .Select(s => Row(s, thisSessionId, whyEnded: null))
            .ToList();
        var ended = rows.Where(s => s.EndedAt is not null || HasExpired(s, now))
            .OrderByDescending(s => s.EndedAt ?? ExpiredAt(s))
            .Take(EndedShown)
            .Select(s => Row(s, thisSessionId, WhyEnded(s.EndReason)))
            .ToList();
        return new Sessions(active, ended);
    }

    // The cookie lives SessionIdleTimeout past the last request (give or take the write interval
    // of LastSeenAt), and never past SessionAbsoluteLifetime from sign-in.
    private bool HasExpired(UserSession session, DateTimeOffset now) => ExpiredAt(session) <= now;

    private DateTimeOffset ExpiredAt(UserSession session)
    {
        var options = accounts.Value;
        var idle = session.LastSeenAt + options.SessionIdleTimeout;
        var absolute = session.CreatedAt + options.SessionAbsoluteLifetime;
        return idle < absolute ? idle : absolute;
    }

    private SessionRow Row(UserSession session, Guid? thisSessionId, string? whyEnded)
    {
        var ip = session.LastIpAddress ?? session.IpAddress;
        return new SessionRow(
            session.Id,
            UserAgents.Describe(session.UserAgent),
            session.UserAgent,
            ip,
            IPAddress.TryParse(ip, out var address) ? locator.Locate(address) : null,
            session.CreatedAt,
            session.LastSeenAt,
            SignedInWith(session.SignInMethod),
            session.Id == thisSessionId,
            session.EndedAt ?? (whyEnded is null ? null : ExpiredAt(session)),
            whyEnded);
    }

    private static string WhyEnded(string? reason) => reason switch
    {
        null => "Expired",
        SessionEndReasons.SignedOut => "Signed out",
        SessionEndReasons.SignedOutEverywhere => "Signed out everywhere",
        SessionEndReasons.PasswordChanged => "Password changed",
        SessionEndReasons.PasswordReset => "Password reset",
        SessionEndReasons.EmailChanged => "Email address changed",
        SessionEndReasons.SecurityChanged => "Sign-in settings changed",
        SessionEndReasons.Deactivated => "Account deactivated",
        SessionEndReasons.SignedOutByAdmin => "Signed out by an administrator",
        EndedElsewhere.ByUser => "Signed out from another browser",
        EndedElsewhere.ByAdmin => "Signed out by an administrator",
        _ => reason,
    };

    // "Password", "Password+AuthenticatorCode" → "Password + authenticator code".
    public static string SignedInWith(string method) =>
        string.Join(" + ", method.Split('+').Select((part, i) =>
        {
            var words = WordStart().Replace(part, " $1").ToLowerInvariant();
            return i == 0 ? char.ToUpperInvariant(words[0]) + words[1..] : words;
        }));

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}

// What _SessionTable.cshtml shows: the sessions, and for an admin the user they belong to
// (their sign-out buttons post it back).
public record SessionTable(SessionList.Sessions Sessions, string? AdminOf = null, string? ReturnUrl = null);
