using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Sessions;

// "Last active" costs no database write per request: a session's row is written at most once per
// Sessions:LastSeenWriteInterval (5 minutes), and when its IP address changes.
public class LastSeenSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task Two_hundred_requests_write_the_session_once_per_interval_and_once_more_on_a_new_address()
    {
        var updates = new SessionUpdates();
        await using var app = await TestApp.StartAsync(services: services => services.ConfigureDbContext<UsersDbContext>(options => options.AddInterceptors(updates)));
        using var browser = app.NewBrowser("198.51.100.7");
        await browser.RegisterAsync(Email);
        var signedInAt = app.Clock.GetUtcNow();
        updates.Reset();

        // 100 requests over 12 minutes and a half: an UPDATE at the first one (it finds the row
        // as the sign-in wrote it, so it changes nothing), then at 5 and at 10 minutes.
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await browser.Client.GetAsync("/Sessions")).IsSuccessStatusCode);
            app.Clock.Advance(TimeSpan.FromSeconds(7.5));
        }
        Assert.Equal(3, updates.Count);
        Assert.Equal(signedInAt + TimeSpan.FromMinutes(10), Assert.Single(await app.SessionsOfAsync(Email)).LastSeenAt);
        var afterFirst = updates.Count;

        // The same session from another network, within the interval: one write, then none.
        browser.MovesTo("203.0.113.9");
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await browser.Client.GetAsync("/Sessions")).IsSuccessStatusCode);
        }

        Assert.Equal(afterFirst + 1, updates.Count);
        var session = Assert.Single(await app.SessionsOfAsync(Email));
        Assert.Equal("203.0.113.9", session.LastIpAddress);
        Assert.Equal("198.51.100.7", session.IpAddress);
        Assert.Equal(signedInAt + TimeSpan.FromSeconds(750), session.LastSeenAt);
    }

    [Fact]
    public async Task A_browser_that_alternates_two_addresses_writes_at_most_every_thirty_seconds()
    {
        var updates = new SessionUpdates();
        await using var app = await TestApp.StartAsync(services: services => services.ConfigureDbContext<UsersDbContext>(options => options.AddInterceptors(updates)));
        using var browser = app.NewBrowser("198.51.100.7");
        await browser.RegisterAsync(Email);
        updates.Reset();

        // Two minutes of requests, one a second, from two networks in turn.
        for (var second = 0; second < 120; second++)
        {
            browser.MovesTo(second % 2 == 0 ? "203.0.113.9" : "198.51.100.7");
            Assert.True((await browser.Client.GetAsync("/Sessions")).IsSuccessStatusCode);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(updates.Count, 1, 4);
    }

    [Fact]
    public async Task An_address_in_X_Forwarded_For_from_a_peer_that_is_not_a_known_proxy_is_not_taken()
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser("198.51.100.7");
        await browser.RegisterAsync(Email);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66");
        app.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.True((await browser.Client.GetAsync("/Sessions")).IsSuccessStatusCode);

        var session = Assert.Single(await app.SessionsOfAsync(Email));
        Assert.Equal("198.51.100.7", session.LastIpAddress);
        Assert.Equal(app.Clock.GetUtcNow(), session.LastSeenAt);
    }

    [Fact]
    public async Task The_page_shows_when_each_session_was_last_active()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        app.Clock.Advance(TimeSpan.FromHours(2));

        await phone.GetAsync("/");

        var html = (await laptop.GetAsync("/Sessions")).Html;
        var phoneActive = app.Clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm");
        Assert.Contains(phoneActive, SessionListSpecs.RowOf(html, "Safari on iPhone"));
    }

    // Counts the UPDATE statements sent for the UserSessions table.
    private sealed class SessionUpdates : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("UserSessions", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
