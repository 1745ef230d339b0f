using System.Net;
using System.Text.RegularExpressions;
using Specs.Support;

namespace Specs.Logs;

// A refusal that checked no secret (a blocked address, a locked account, a non-admin at /Logs)
// is recorded once per Logs:RefusalWindow, with the number of times it happened, so a client
// hammering the app cannot flood the log. Checked secrets stay one row each.
public partial class RepeatedRefusalSpecs : IAsyncLifetime
{
    private const string Attacker = "203.0.113.66";

    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new()
    {
        ["Accounts:IpFailureLimit"] = "1",
        ["Accounts:IpWindow"] = "01:00:00",
        // The attacker's refused sign-ins must reach the failure throttle, not the post limit before it.
        ["Accounts:SignInLimit"] = "100000",
        ["Accounts:LockoutFailures"] = "2",
        ["Logs:RefusalWindow"] = "00:01:00",
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_blocked_address_gets_one_row_per_window_that_counts_every_refused_attempt()
    {
        await BlockAttackerAsync(_app);

        await FromAttackerAsync(_app, 10, async (browser, b) =>
        {
            for (var i = 0; i < 10; i++)
            {
                await browser.SignInAsync($"guess-{b}-{i}@example.com", "a wrong guess");
            }
        });
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        await FromAttackerAsync(_app, 1, async (browser, _) =>
        {
            for (var i = 0; i < 7; i++)
            {
                await browser.SignInAsync($"later-{i}@example.com", "a wrong guess");
            }
        });
        using var admin = await _app.SignedInAdminAsync();

        var refused = (await ExportAsync(admin, "Filter.Ip=" + Attacker)).Where(r => r["Reason"] == "TooManyAttemptsFromIp").ToList();

        Assert.Equal(["7", "100"], refused.Select(r => r["Count"]));
        Assert.Equal(2, (await _app.EventsAsync()).Count(e => e.Reason == "TooManyAttemptsFromIp"));
        var (_, html) = await admin.GetAsync("/Logs?Filter.Ip=" + Attacker);
        Assert.Contains("×100", html);
        Assert.Contains("×7", html);
        Assert.Matches(@"SignInFailed <span class=""fw-normal"">108</span>", html);
    }

    [Fact]
    public async Task Wrong_passwords_stay_one_row_each_and_a_locked_account_gets_one_counted_refusal_whatever_the_address()
    {
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync("target@example.com");
        }
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            using var guesser = FromAddress(_app, $"198.51.100.{i + 1}");
            await guesser.SignInAsync("target@example.com", $"wrong guess {i}");
        }));

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var guesser = FromAddress(_app, $"198.51.100.{i + 10}");
            await guesser.SignInAsync("target@example.com", i % 2 == 0 ? "another guess" : Browser.StrongPassword);
        }));
        using var admin = await _app.SignedInAdminAsync();

        var failures = (await ExportAsync(admin, "Filter.Type=SignInFailed&Filter.User=target%40example.com")).Select(r => (r["Reason"], r["Count"]));

        Assert.Equal([("LockedOut", "30"), ("BadPassword", "1"), ("BadPassword", "1")], failures);
    }

    [Fact]
    public async Task A_locked_unknown_email_gets_one_counted_refusal_like_a_locked_account()
    {
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            using var guesser = FromAddress(_app, $"198.51.100.{i + 1}");
            await guesser.SignInAsync("nobody@example.com", $"wrong guess {i}");
        }));

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var guesser = FromAddress(_app, $"198.51.100.{i + 10}");
            await guesser.SignInAsync(i % 2 == 0 ? "nobody@example.com" : "NOBODY@example.com", "another guess");
        }));
        using var admin = await _app.SignedInAdminAsync();

        // In any order: the two parallel first attempts may be saved after the lock they caused.
        var failures = (await ExportAsync(admin, "Filter.Type=SignInFailed&Filter.User=nobody%40example.com"))
            .Select(r => (r["Reason"], r["Count"])).Order();

        Assert.Equal([("LockedOut", "30"), ("UnknownUser", "1"), ("UnknownUser", "1")], failures);
    }

    [Fact]
    public async Task A_user_opening_the_logs_twenty_times_gives_one_denied_row_that_says_twenty()
    {
        using var user = _app.NewBrowser();
        await user.RegisterAsync("curious@example.com");

        for (var i = 0; i < 20; i++)
        {
            var response = await user.Client.GetAsync(i % 4 == 0 ? "/Logs?handler=Export" : "/Logs");
            Assert.Equal("/Accounts/AccessDenied", response.Headers.Location?.AbsolutePath);
        }
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        await user.Client.GetAsync("/Logs");
        using var admin = await _app.SignedInAdminAsync();

        var denied = (await ExportAsync(admin, "Filter.Type=LogsAccessDenied")).Select(r => (r["Email"], r["Count"]));

        Assert.Equal([("curious@example.com", "1"), ("curious@example.com", "20")], denied);
    }

    [Fact]
    public async Task A_locked_user_retrying_a_page_that_asks_for_the_password_again_gets_one_counted_refusal()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:LockoutFailures"] = "2", ["Accounts:IpFailureLimit"] = "100000" });
        using var user = app.NewBrowser();
        await user.RegisterAsync("forgetful@example.com");

        for (var i = 0; i < 8; i++)
        {
            await user.ChangePasswordAsync($"wrong guess {i}", "a second strong passphrase");
        }
        using var admin = await app.SignedInAdminAsync();

        var failures = (await ExportAsync(admin, "Filter.Type=ReauthenticationFailed")).Select(r => (r["Reason"], r["Count"]));

        Assert.Equal([("LockedOut", "6"), ("WrongAnswer", "1"), ("WrongAnswer", "1")], failures);
    }

    [Fact]
    public async Task Counts_not_yet_written_are_written_when_the_app_stops()
    {
        await using (var instance = _app.Restart())
        {
            await BlockAttackerAsync(instance);
            await FromAttackerAsync(instance, 1, async (browser, _) =>
            {
                for (var i = 0; i < 12; i++)
                {
                    await browser.SignInAsync($"before-stop-{i}@example.com", "a wrong guess");
                }
            });
        }
        using var admin = await _app.SignedInAdminAsync();

        var refused = Assert.Single(await ExportAsync(admin, "Filter.Ip=" + Attacker), r => r["Reason"] == "TooManyAttemptsFromIp");

        Assert.Equal("12", refused["Count"]);
    }

    [Fact]
    public async Task Counts_reach_the_database_within_seconds_without_anyone_reading_the_logs()
    {
        await BlockAttackerAsync(_app);
        await FromAttackerAsync(_app, 1, async (browser, _) =>
        {
            for (var i = 0; i < 5; i++)
            {
                await browser.SignInAsync($"unread-{i}@example.com", "a wrong guess");
            }
        });

        _app.Clock.Advance(RepeatedRefusals.WriteInterval);

        // Read from the table: an admin's page would write the counts itself.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var times = 0;
        while (times != 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            times = Assert.Single(await _app.EventsAsync(), e => e.Reason == "TooManyAttemptsFromIp").Times;
        }
        Assert.Equal(5, times);
    }

    // Each refused start is logged as a failed host start.
    [Trait("ServerErrors", "expected")]
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("2.00:00:00")]
    public async Task A_refusal_window_out_of_range_stops_the_app_at_start(string window)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(new() { ["Logs:RefusalWindow"] = window }));

        Assert.Contains("RefusalWindow", error.ToString());
    }

    // The one failure counted against the attacker's address, which blocks it (IpFailureLimit is 1).
    private static async Task BlockAttackerAsync(TestApp app)
    {
        using var browser = FromAddress(app, Attacker);
        var response = await browser.SignInAsync("first-guess@example.com", "a wrong guess");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Sign-in attempts from the attacker's address, from several browsers at once.
    private static async Task FromAttackerAsync(TestApp app, int browserCount, Func<Browser, int, Task> attempts)
    {
        var browsers = Enumerable.Range(0, browserCount).Select(_ => FromAddress(app, Attacker)).ToList();
        await Task.WhenAll(browsers.Select(attempts));
        browsers.ForEach(b => b.Dispose());
    }

    private static Browser FromAddress(TestApp app, string ip)
    {
        var browser = app.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, ip);
        return browser;
    }

    // The rows of the admin's CSV export, newest first, by column name.
    private static async Task<List<Dictionary<string, string>>> ExportAsync(Browser admin, string query)
    {
        var response = await admin.Client.GetAsync("/Logs?handler=Export&Filter.From=&" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = Cells(lines[0]);
        return lines.Skip(1).Select(line => header.Zip(Cells(line)).ToDictionary(c => c.First, c => c.Second)).ToList();
    }

    private static List<string> Cells(string line) =>
        CsvCell().Matches(line).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value.Replace("\"\"", "\"") : m.Groups["plain"].Value).ToList();

    [GeneratedRegex(@"(?<=^|,)(?:""(?<quoted>(?:[^""]|"""")*)""|(?<plain>[^,]*))")]
    private static partial Regex CsvCell();
}
