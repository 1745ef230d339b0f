using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Logs;

public partial class AdminPageSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new()
    {
        ["Accounts:IpFailureLimit"] = "100000",
        ["Logs:PageSize"] = "10",
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Visitors_are_sent_to_sign_in()
    {
        using var visitor = _app.NewBrowser();

        var response = await visitor.Client.GetAsync("/Logs");

        Assert.Equal("/Accounts/Login", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("/Logs")]
    [InlineData("/Logs?handler=Export")]
    public async Task Users_who_are_not_admins_cannot_read_or_export_and_the_attempt_is_recorded(string path)
    {
        using var user = _app.NewBrowser();
        await user.RegisterAsync("curious@example.com");

        var response = await user.Client.GetAsync(path);

        Assert.Equal("/Accounts/AccessDenied", response.Headers.Location?.AbsolutePath);
        Assert.DoesNotContain("text/csv", response.Content.Headers.ContentType?.ToString() ?? "");
        var denied = Assert.Single(await _app.EventsAsync(), e => e.EventType == AuthEventTypes.LogsAccessDenied);
        Assert.Equal("curious@example.com", denied.Email);
        Assert.False(denied.Succeeded);
    }

    [Fact]
    public async Task The_admin_sees_the_newest_events_first_with_counts_per_type()
    {
        using var admin = await _app.SignedInAdminAsync();
        using var other = _app.NewBrowser();
        await other.SignInAsync("first@example.com", "a wrong guess");
        await other.SignInAsync("second@example.com", "a wrong guess");

        var (status, html) = await admin.GetAsync("/Logs");

        Assert.Equal(HttpStatusCode.OK, status);
        var second = html.IndexOf("second@example.com", StringComparison.Ordinal);
        var first = html.IndexOf("first@example.com", StringComparison.Ordinal);
        Assert.True(second >= 0 && first >= 0, "both failed sign-ins are listed");
        Assert.True(second < first, "the newer one is listed first");
        Assert.Matches(@"SignInFailed <span class=""fw-normal"">2</span>", html);
    }

    [Fact]
    public async Task Above_the_count_limit_the_page_counts_per_type_only_when_asked()
    {
        await using var app = await TestApp.StartAsync(new() { ["Logs:CountLimit"] = "3" });
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.SeedAsync([
            .. Enumerable.Range(0, 3).Select(i => LogsSpecsSupport.Seeded($"guess{i}@example.com", now)),
            LogsSpecsSupport.Seeded("owner@example.com", now, AuthEventTypes.PasswordChanged),
        ]);
        using var admin = await app.SignedInAdminAsync();

        var (_, three) = await admin.GetAsync("/Logs?Filter.Type=SignInFailed");
        var (_, all) = await admin.GetAsync("/Logs");

        Assert.Matches(@"SignInFailed <span class=""fw-normal"">3</span>", three);
        Assert.DoesNotContain("Count them by type", three);
        Assert.Contains("More than 3 events match.", all);
        Assert.DoesNotContain(@"<span class=""fw-normal"">", all);
        var countAll = Assert.Single(Links().Matches(all), m => m.Groups["text"].Value == "Count them by type");
        var (status, counted) = await admin.GetAsync(WebUtility.HtmlDecode(countAll.Groups["href"].Value));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches(@"SignInFailed <span class=""fw-normal"">3</span>", counted);
        Assert.Matches(@"PasswordChanged <span class=""fw-normal"">1</span>", counted);
        Assert.DoesNotContain("More than 3 events match.", counted);
        // The same events are listed either way.
        Assert.Contains("owner@example.com", all);
        Assert.Contains("owner@example.com", counted);
    }

    [GeneratedRegex(@"<a href=""(?<href>[^""]+)"">(?<text>[^<]+)</a>")]
    private static partial Regex Links();

    [Theory]
    [InlineData("Filter.User", "ok\u200B@example.com")]
    [InlineData("Filter.Search", "\u202Eok")]
    public async Task A_filter_with_invisible_characters_gets_a_message_instead_of_an_empty_list(string field, string value)
    {
        await _app.SeedAsync([LogsSpecsSupport.Seeded("ok@example.com", _app.Clock.GetUtcNow().UtcDateTime)]);
        using var admin = await _app.SignedInAdminAsync();

        var (status, html) = await admin.GetAsync($"/Logs?{field}={Uri.EscapeDataString(value)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Remove the invisible formatting or control characters from this field.", html);
    }

    [Fact]
    public async Task Each_filter_narrows_the_events()
    {
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync(
        [
            LogsSpecsSupport.Seeded("old@example.com", now.AddDays(-40)),
            LogsSpecsSupport.Seeded("ok@example.com", now.AddDays(-2), AuthEventTypes.SignedIn),
            LogsSpecsSupport.Seeded("bad@example.com", now.AddDays(-1), ip: "203.0.113.99"),
        ]);
        using var admin = await _app.SignedInAdminAsync();

        Assert.Equal(["bad@example.com"], await EmailsAsync(admin, "Filter.Type=SignInFailed&Filter.From=" + Day(now.AddDays(-7))));
        Assert.Equal(["ok@example.com"], await EmailsAsync(admin, "Filter.Status=success&Filter.User=OK%40example.com"));
        Assert.Equal(["bad@example.com"], await EmailsAsync(admin, "Filter.Ip=203.0.113.99"));
        Assert.Equal(["old@example.com"], await EmailsAsync(admin, "Filter.To=" + Day(now.AddDays(-30))));
        Assert.Equal(["bad@example.com"], await EmailsAsync(admin, "Filter.Search=BAD%40EXAMPLE"));
        // Opened without a filter: the last 7 days only.
        Assert.DoesNotContain("old@example.com", await EmailsAsync(admin, null));
        Assert.Contains("old@example.com", await EmailsAsync(admin, "Filter.From="));
    }

    [Fact]
    public async Task Filtering_by_email_matches_ascii_case_only_never_unicode_lookalikes()
    {
        using (var visitor = _app.NewBrowser())
        {
            await visitor.SignInAsync("support@example.com", "a wrong guess");
            await visitor.SignInAsync("\u017Fupport@example.com", "a wrong guess");
            await visitor.SignInAsync("\u212Aelvin@example.com", "a wrong guess");
        }
        using var admin = await _app.SignedInAdminAsync();

        Assert.Equal(["support@example.com"], await EmailsAsync(admin, "Filter.User=SUPPORT%40Example.com"));
        Assert.Equal(["\u017Fupport@example.com"], await EmailsAsync(admin, "Filter.User=" + Uri.EscapeDataString("\u017Fupport@example.com")));
        Assert.Empty(await EmailsAsync(admin, "Filter.User=kelvin%40example.com"));
    }

    [Theory]
    [InlineData("Filter.To=9999-12-31", "Enter dates between")]
    [InlineData("Filter.From=9999-12-31", "Enter dates between")]
    [InlineData("Filter.From=0001-01-01", "Enter dates between")]
    [InlineData("Filter.To=0001-01-01", "Enter dates between")]
    [InlineData("Filter.From=2026-03-02&Filter.To=2026-03-01", "The start date is after the end date")]
    [InlineData("Filter.From=not-a-date", "The value 'not-a-date' is not valid")]
    // PostgreSQL refuses NUL in a query parameter: [PlainText] keeps it out.
    [InlineData("Filter.Search=a%00b", "Remove the invisible formatting or control characters")]
    [InlineData("Filter.User=a%00b%40example.com", "Remove the invisible formatting or control characters")]
    public async Task A_date_range_out_of_bounds_or_backwards_gives_a_message_on_the_page(string query, string message)
    {
        using var admin = await _app.SignedInAdminAsync();

        var (status, html) = await admin.GetAsync("/Logs?" + query);
        var export = await admin.Client.GetAsync("/Logs?handler=Export&" + query);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(message, html);
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
    }

    [Fact]
    public async Task A_range_of_one_day_at_either_end_of_the_bounds_is_accepted()
    {
        using var admin = await _app.SignedInAdminAsync();

        Assert.Empty(await EmailsAsync(admin, "Filter.From=1970-01-01&Filter.To=1970-01-01"));
        Assert.Empty(await EmailsAsync(admin, "Filter.From=2999-12-31&Filter.To=2999-12-31"));
    }

    [Fact]
    public async Task Paging_stays_stable_while_new_events_arrive()
    {
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync(Enumerable.Range(1, 25).Select(i => LogsSpecsSupport.Seeded($"seed{i:00}@example.com", now.AddMinutes(-100 + i))));
        using var admin = await _app.SignedInAdminAsync();
        const string query = "Filter.Search=seed";

        var (_, first) = await admin.GetAsync($"/Logs?{query}");
        var before = NextPageCursor().Match(first).Groups[1].Value;
        await _app.SeedAsync(Enumerable.Range(26, 5).Select(i => LogsSpecsSupport.Seeded($"seed{i:00}@example.com", now)));
        var second = await EmailsAsync(admin, $"{query}&Before={before}");

        Assert.Equal(Enumerable.Range(6, 10).Reverse().Select(i => $"seed{i:00}@example.com"), second);
    }

    // A date range is read through the time index (walking ids from the newest would pass every
    // newer event first), so its pages go by time, even where times run against the ids.
    [Fact]
    public async Task A_date_range_pages_by_time_through_every_event_once()
    {
        var day = _app.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-200);
        // Inserted oldest id first but newest time first, and an equal time for two of them.
        await _app.SeedAsync(Enumerable.Range(1, 25).Select(i =>
            LogsSpecsSupport.Seeded($"late{i:00}@example.com", day.AddHours(12).AddMinutes(-Math.Min(i, 24)))));
        await _app.SeedAsync([LogsSpecsSupport.Seeded("outside@example.com", day.AddDays(-1))]);
        using var admin = await _app.SignedInAdminAsync();
        var query = $"Filter.From={Day(day)}&Filter.To={Day(day)}";

        var seen = new List<string>();
        string? before = null;
        for (var page = 0; page < 5; page++)
        {
            var (status, html) = await admin.GetAsync(before is null ? $"/Logs?{query}" : $"/Logs?{query}&Before={before}");
            Assert.Equal(HttpStatusCode.OK, status);
            var table = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
            seen.AddRange(EmailCell().Matches(table).Select(m => m.Groups[1].Value));
            var next = NextPageCursor().Match(html);
            if (!next.Success)
            {
                break;
            }
            before = next.Groups[1].Value;
        }

        // Newest first by time; the two of equal time newest id first.
        string[] expected = [.. Enumerable.Range(1, 23).Select(i => $"late{i:00}@example.com"), "late25@example.com", "late24@example.com"];
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task The_csv_export_holds_exactly_the_filtered_events_with_formulas_neutralised()
    {
        using var attacker = _app.NewBrowser();
        attacker.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "=1+2");
        await attacker.SignInAsync("=HYPERLINK(\"http://evil.example\")@example.com", "a wrong guess");
        await attacker.SignInAsync("plain@example.com", "a wrong guess");
        using var admin = await _app.SignedInAdminAsync();

        var response = await admin.Client.GetAsync("/Logs?handler=Export&Filter.Type=SignInFailed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,Time (UTC),Event,Status", lines[0]);
        var expected = (await _app.EventsAsync()).Where(e => e.EventType == AuthEventTypes.SignInFailed).OrderByDescending(e => e.Id).Select(e => e.Id.ToString());
        Assert.Equal(expected, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")@example.com\"", lines[2]);
        Assert.Contains(",'=1+2,", lines[2]);
        Assert.Single(await _app.EventsAsync(), e => e.EventType == AuthEventTypes.LogsExported);
    }

    [Fact]
    public async Task Each_user_sees_only_their_own_recent_sign_ins()
    {
        using var mine = _app.NewBrowser();
        mine.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0 Safari/537.36");
        await mine.RegisterAsync("me@example.com");
        await mine.SignOutAsync();
        await mine.SignInAsync("me@example.com", "a wrong guess");
        await mine.SignInAsync("me@example.com");
        using var someone = _app.NewBrowser();
        await someone.RegisterAsync("someone.else@example.com");
        await someone.SignOutAsync();
        await someone.SignInAsync("someone.else@example.com");

        var (status, html) = await mine.GetAsync("/Logs/MySignIns");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, Regex.Count(html, "Signed in</span>"));
        Assert.Equal(1, Regex.Count(html, "Failed</span>"));
        Assert.Contains("Chrome on Linux", html);
        Assert.Contains("192.0.2.1", html);
    }

    [Fact]
    public async Task A_users_own_page_shows_the_steps_of_a_two_step_sign_in_and_wrong_codes()
    {
        using var mine = _app.NewBrowser();
        await mine.RegisterAsync("me@example.com");
        // What a sign-in step module (two-factor) makes the accounts module raise.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
            var events = scope.ServiceProvider.GetRequiredService<UserEventPublisher>();
            var user = await db.Users.SingleAsync();
            var session = new UserSession { UserId = user.Id, SignInMethod = SignInMethods.PasswordAnd("AuthenticatorCode") };
            await events.PublishAsync(h => h.PasswordVerifiedAsync(user, default));
            await events.PublishAsync(h => h.SignInFailedAsync(user.Email, user, SignInFailureReason.BadCode, default));
            await events.PublishAsync(h => h.SignInFailedAsync(user.Email, user, SignInFailureReason.BadRecoveryCode, default));
            await events.PublishAsync(h => h.SignedInAsync(user, session, default));
            await db.SaveChangesAsync();
        }

        var (_, html) = await mine.GetAsync("/Logs/MySignIns");

        Assert.Contains("Password right, code asked</span>", html);
        Assert.Contains("Wrong code</span>", html);
        Assert.Contains("Wrong recovery code</span>", html);
        Assert.Contains("Signed in (Password + AuthenticatorCode)</span>", html);
        Assert.Contains("Signed in</span>", html);
    }

    private static string Day(DateTime time) => time.ToString("yyyy-MM-dd");

    private static async Task<List<string>> EmailsAsync(Browser admin, string? query)
    {
        var (status, html) = await admin.GetAsync(query is null ? "/Logs" : $"/Logs?{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        var table = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        return EmailCell().Matches(table).Select(m => m.Groups[1].Value).Where(e => e != LogsSpecsSupport.AdminEmail).ToList();
    }

    [GeneratedRegex(@"<td class=""text-break"">\s*(?:<a [^>]*>)?([^<\s]+)")]
    private static partial Regex EmailCell();

    [GeneratedRegex(@"Before=(\d+)")]
    private static partial Regex NextPageCursor();
}
