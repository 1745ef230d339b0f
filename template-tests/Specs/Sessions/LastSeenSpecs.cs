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

        // 100 requests over 12 minutes and a half: writes at 0, 5 and 10 minutes.
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await browser.Client.GetAsync("/Sessions")).IsSuccessStatusCode);
            app.Clock.Advance(TimeSpan.FromSeconds(7.5));
        }
        Assert.InRange(updates.Count, 1, 3);
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
        Assert.True(session.LastSeenAt >= signedInAt + TimeSpan.FromMinutes(10));
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
