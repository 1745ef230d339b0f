namespace ModularUsersApp.Pages.Accounts;

// A short, readable name for a browser's User-Agent header: "Firefox on Windows", "Safari on
// iPhone", "Googlebot (bot)". Made from a few known words, never by quoting the header, which is
// text the client chooses. Good enough for a person looking at their sessions or sign-ins; the
// full header stays in the database. Add a browser here when your users have one it misses.
public static class UserAgents
{
    public const string Unknown = "Unknown browser";

    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown;
        }
        if (Bot(userAgent) is { } bot)
        {
            return bot;
        }
        if (userAgent.StartsWith("curl/", StringComparison.OrdinalIgnoreCase))
        {
            return "curl";
        }
        var browser = Browser(userAgent);
        var system = System(userAgent);
        return (browser, system) switch
        {
            (null, null) => Unknown,
            (null, _) => $"Browser on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }

    // Crawlers name themselves "Googlebot/2.1", "GPTBot/1.2", "Slackbot-LinkExpanding": "bot/" and
    // "bot-", not any "bot" (a phone called "CUBOT" is not one).
    private static string? Bot(string ua) =>
        ua.Contains("Googlebot", StringComparison.OrdinalIgnoreCase) ? "Googlebot (bot)" :
        ua.Contains("bingbot", StringComparison.OrdinalIgnoreCase) ? "Bingbot (bot)" :
        ua.Contains("bot/", StringComparison.OrdinalIgnoreCase)
            || ua.Contains("bot-", StringComparison.OrdinalIgnoreCase)
            || ua.Contains("crawler", StringComparison.OrdinalIgnoreCase)
            || ua.Contains("spider", StringComparison.OrdinalIgnoreCase)
            || ua.Contains("facebookexternalhit", StringComparison.OrdinalIgnoreCase) ? "A bot" :
        null;

    // Order matters: Edge, Opera and Samsung Internet also say Chrome and Safari; Chrome says Safari.
    private static string? Browser(string ua) =>
        ua.Contains("Edg/") || ua.Contains("EdgA/") || ua.Contains("EdgiOS/") ? "Edge" :
        ua.Contains("OPR/") || ua.Contains("OPT/") || ua.Contains("Opera") ? "Opera" :
        ua.Contains("SamsungBrowser/") ? "Samsung Internet" :
        ua.Contains("Firefox/") || ua.Contains("FxiOS/") ? "Firefox" :
        ua.Contains("Chrome/") || ua.Contains("CriOS/") || ua.Contains("Chromium/") ? "Chrome" :
        ua.Contains("Safari/") ? "Safari" :
        null;

    // iPhone and iPad before macOS: their headers say "like Mac OS X" (an iPad asking for desktop
    // sites sends a Mac's header, and is named as one). Android before Linux.
    private static string? System(string ua) =>
        ua.Contains("iPhone") ? "iPhone" :
        ua.Contains("iPad") ? "iPad" :
        ua.Contains("Android") ? "Android" :
        ua.Contains("Windows") ? "Windows" :
        ua.Contains("CrOS") ? "ChromeOS" :
        ua.Contains("Mac OS X") || ua.Contains("Macintosh") ? "macOS" :
        ua.Contains("Linux") ? "Linux" :
        null;
}
