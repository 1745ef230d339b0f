using Microsoft.Playwright;

namespace ModularUsers.Templates.Tests.Support;

// Debian's Chromium through Playwright (its own browser download cannot work here).
// .ci/run installs the chromium package; elsewhere a missing browser skips the journeys.
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            if (SpecRun.IsCi)
            {
                Assert.Fail($"CI needs Chromium at {ExecutablePath} (.ci/run installs the Debian package chromium).");
            }
            Assert.Skip($"No browser: install Chromium at {ExecutablePath} (apt-get install chromium) to run the browser journeys.");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return (playwright, browser);
    }
}
