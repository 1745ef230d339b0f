using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Sessions;

// Ended and expired sessions are kept Sessions:RetentionDays (30) for the list's "ended lately",
// then deleted by the background purge or `dotnet run -- purgesessions`.
public class PurgeSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task Purgesessions_deletes_the_sessions_that_ended_before_the_date_and_keeps_the_rest()
    {
        // The app's own purge runs at start-up too, possibly late on a busy machine: with a long
        // retention it leaves the backdated session to the command.
        await using var app = await TestApp.StartAsync(new() { ["Sessions:RetentionDays"] = "36500" });
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        await phone.SignOutAsync();
        var ended = await app.SessionWithEndedAsync(Email);
        await app.QueryAsync(db => db.UserSessions.Where(s => s.Id == ended)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, new DateTimeOffset(2025, 1, 10, 0, 0, 0, TimeSpan.Zero))));

        var (exitCode, output) = await app.RunCommandAsync("purgesessions", ["--before", "2025-02-01"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Deleted 1 session(s) that ended before 2025-02-01 00:00 UTC", output);
        var left = Assert.Single(await app.SessionsOfAsync(Email));
        Assert.Null(left.EndedAt);
        Assert.True(await laptop.IsSignedInAsync());
    }

    [Fact]
    public async Task Purgesessions_deletes_expired_sessions_nobody_ended_and_browsers_unused_for_400_days()
    {
        await using var app = await TestApp.StartAsync();
        using var idle = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var current = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await idle.RegisterAsync(Email);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await current.SignInAsync(Email);
        var now = app.Clock.GetUtcNow();
        // The first browser was last used 60 days ago (idle timeout 14 days, so it expired 46
        // days ago) and was first known 500 days ago, last signed in with 401 days ago.
        await app.QueryAsync(db => db.UserSessions.Where(s => s.UserAgent == SessionsSupport.Firefox)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.CreatedAt, now.AddDays(-61)).SetProperty(s => s.LastSeenAt, now.AddDays(-60))));
        var devices = await app.QueryAsync(db => db.KnownDevices.OrderBy(d => d.FirstSeenAt).Select(d => d.Id).ToListAsync());
        Assert.Equal(2, devices.Count);
        await app.QueryAsync(db => db.KnownDevices.Where(d => d.Id == devices[0])
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.FirstSeenAt, now.AddDays(-500)).SetProperty(d => d.LastSeenAt, now.AddDays(-401))));

        var (exitCode, output) = await app.RunCommandAsync("purgesessions", []);

        Assert.Equal(0, exitCode);
        Assert.Contains("Deleted 1 session(s)", output);
        Assert.Contains("and 1 browser(s)", output);
        Assert.Equal(SessionsSupport.IPhoneSafari, Assert.Single(await app.SessionsOfAsync(Email)).UserAgent);
        Assert.Equal(devices[1], Assert.Single(await app.QueryAsync(db => db.KnownDevices.Select(d => d.Id).ToListAsync())));
    }

    [Fact]
    public async Task A_cutoff_in_the_future_deletes_ended_sessions_but_none_that_is_still_alive()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        await phone.SignOutAsync();

        var (exitCode, _) = await app.RunCommandAsync("purgesessions", ["--before", "2099-01-01"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(SessionsSupport.Firefox, Assert.Single(await app.SessionsOfAsync(Email)).UserAgent);
        Assert.True(await laptop.IsSignedInAsync());
    }

    [Theory]
    [InlineData("--before")]
    [InlineData("--before 31/01/2025")]
    [InlineData("--everything")]
    public async Task Purgesessions_with_bad_arguments_deletes_nothing_and_exits_2(string args)
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.SignOutAsync();

        var (exitCode, output) = await app.RunCommandAsync("purgesessions", args.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet run -- purgesessions [--before yyyy-MM-dd]", output);
        Assert.Single(await app.SessionsOfAsync(Email));
    }

    [Fact]
    public async Task The_background_purge_deletes_sessions_ended_more_than_the_retention_ago()
    {
        await using var app = await TestApp.StartAsync(new() { ["Sessions:RetentionDays"] = "30" });
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.SignOutAsync();
        Assert.Single(await app.SessionsOfAsync(Email));

        // The purge runs at start-up and every Sessions:PurgeInterval (6 hours).
        app.Clock.Advance(TimeSpan.FromDays(31));

        await Eventually.TrueAsync(async () => (await app.SessionsOfAsync(Email)).Count == 0, "The background purge did not delete the session.");
    }
}
