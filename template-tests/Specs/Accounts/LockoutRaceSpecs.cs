using Specs.Support;

namespace Specs.Accounts;

// Parallel guesses must not overtake the lockout: the attempt is counted before the password is
// checked, so once the limit is reached the rest are refused without being checked.
public class LockoutRaceSpecs
{
    [Fact]
    public async Task A_burst_of_wrong_passwords_stops_at_the_lockout_and_the_right_password_after_it_fails()
    {
        var events = new RecordedEvents();
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1000" }, events.Register);
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("target@example.com");
        }
        var browsers = Enumerable.Range(0, 30).Select(_ => app.NewBrowser()).ToList();

        await Task.WhenAll(browsers.Select(b => b.SignInAsync("target@example.com", "a wrong guess here")));

        Assert.InRange(events.Count("SignInFailed:BadPassword"), 1, 5 + 1);
        Assert.Equal(1, events.Count("LockedOut"));
        using var attacker = app.NewBrowser();
        var right = await attacker.SignInAsync("target@example.com");
        Assert.Equal("/Accounts/Lockout", right.Headers.Location?.OriginalString);
        Assert.False(await attacker.IsSignedInAsync());
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task A_burst_from_one_address_stops_at_the_address_limit()
    {
        var events = new RecordedEvents();
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "10" }, events.Register);
        var browsers = Enumerable.Range(0, 30).Select(_ => app.NewBrowser()).ToList();

        await Task.WhenAll(browsers.Select((b, i) => b.SignInAsync($"nobody{i}@example.com", "a wrong guess here")));

        Assert.InRange(events.Count("SignInFailed:UnknownUser"), 1, 10 + 1);
        Assert.Equal(30, events.All.Count(e => e.StartsWith("SignInFailed:")));
        browsers.ForEach(b => b.Dispose());
    }
}
