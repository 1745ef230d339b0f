namespace ModularUsersApp.Pages.Logs;

// A short, readable name for a browser's User-Agent header: "Firefox on Windows".
// Good enough for a person scanning their sign-ins; the full header stays in the log.
public static class UserAgents
{
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown browser";
        }
        var browser =
            userAgent.Contains("Edg/") ? "Edge" :
            userAgent.Contains("OPR/") ? "Opera" :
            userAgent.Contains("Firefox/") ? "Firefox" :
            userAgent.Contains("Chrome/") || userAgent.Contains("Chromium/") ? "Chrome" :
            userAgent.Contains("Safari/") ? "Safari" :
            userAgent.Length > 40 ? userAgent[..40] + "…" : userAgent;
        var system =
            userAgent.Contains("Windows") ? "Windows" :
            userAgent.Contains("Android") ? "Android" :
            userAgent.Contains("iPhone") || userAgent.Contains("iPad") ? "iOS" :
            userAgent.Contains("Mac OS X") ? "macOS" :
            userAgent.Contains("Linux") ? "Linux" :
            null;
        return system is null ? browser : $"{browser} on {system}";
    }
}
