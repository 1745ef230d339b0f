using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Sessions;

// The sessions page as a person uses it, and the session rows behind it.
public static class SessionsSupport
{
    public const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
    public const string IPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";

    public static Browser WithUserAgent(this Browser browser, string userAgent)
    {
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return browser;
    }

    // From now on the browser's requests come from another address, with its cookies kept.
    public static void MovesTo(this Browser browser, string peerAddress)
    {
        browser.Client.DefaultRequestHeaders.Remove(PeerAddress.Header);
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, peerAddress);
    }

    // Presses "Sign out" on one row of /Sessions (or of /Sessions/Admin?user=...), or posts the
    // same form with a session id of its choosing. The antiforgery token is this browser's, from
    // a page that always has a form: the sessions page has none when no other browser is listed.
    public static Task<HttpResponseMessage> EndSessionAsync(this Browser browser, Guid sessionId, string page = "/Sessions") =>
        browser.SubmitAsync(TokenPage, Fields(page, new() { ["sessionId"] = sessionId.ToString() }), Handler(page, "End"));

    public static Task<HttpResponseMessage> EndOtherSessionsAsync(this Browser browser) =>
        browser.SubmitAsync(TokenPage, [], "/Sessions?handler=EndOthers");

    public static Task<HttpResponseMessage> EndAllSessionsAsAdminAsync(this Browser browser, string email) =>
        browser.SubmitAsync(TokenPage, new() { ["user"] = email }, Handler(AdminPage(email), "EndAll"));

    private const string TokenPage = "/Accounts/Logout";

    public static string AdminPage(string email) => $"/Sessions/Admin?user={Uri.EscapeDataString(email)}";

    // The ids of the user's sessions, newest first, and which are still active.
    public static Task<List<UserSession>> SessionsOfAsync(this TestApp app, string email) =>
        app.QueryAsync(db => db.UserSessions
            .Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == email))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .ToListAsync());

    public static async Task<Guid> SessionWithUserAgentAsync(this TestApp app, string email, string userAgent) =>
        (await app.SessionsOfAsync(email)).Single(s => s.UserAgent == userAgent && s.EndedAt == null).Id;

    public static async Task<Guid> SessionWithEndedAsync(this TestApp app, string email) =>
        (await app.SessionsOfAsync(email)).Single(s => s.EndedAt != null).Id;

    // The admin page's forms post back who they are about.
    private static Dictionary<string, string> Fields(string page, Dictionary<string, string> fields)
    {
        var query = page.Split('?', 2) is [_, var q] ? q : null;
        if (query is not null && query.StartsWith("user=", StringComparison.Ordinal))
        {
            fields["user"] = Uri.UnescapeDataString(query["user=".Length..]);
        }
        return fields;
    }

    private static string Handler(string page, string handler) => $"{page.Split('?')[0]}?handler={handler}";
}
