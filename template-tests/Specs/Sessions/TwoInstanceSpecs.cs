using Specs.Support;

namespace Specs.Sessions;

// Two instances of the app on one database, as behind a load balancer: a session signed out on
// one is refused on the other within Accounts:SessionCacheDuration (30 s), as the README states.
public class TwoInstanceSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task A_session_signed_out_from_the_sessions_page_on_one_instance_is_refused_on_the_other_within_the_bound()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = first.Restart();
        var (laptop, phone) = await SignOutThePhoneFromTheLaptopAsync(first, second);

        second.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await laptop.IsSignedInAsync());
    }

    [Fact]
    public async Task With_no_cache_duration_the_other_instance_refuses_it_at_once()
    {
        var readEveryRequest = new Dictionary<string, string> { ["Accounts:SessionCacheDuration"] = "00:00:00" };
        await using var first = await TestApp.StartAsync(readEveryRequest);
        await using var second = first.Restart(readEveryRequest);
        var (_, phone) = await SignOutThePhoneFromTheLaptopAsync(first, second);

        Assert.False(await phone.IsSignedInAsync());
    }

    [Fact]
    public async Task An_instance_that_goes_to_write_last_active_finds_the_session_ended_and_refuses_it_before_its_cache_expires()
    {
        var seldomRead = new Dictionary<string, string> { ["Accounts:SessionCacheDuration"] = "00:10:00" };
        await using var first = await TestApp.StartAsync(seldomRead);
        await using var second = first.Restart(seldomRead);
        var (_, phone) = await SignOutThePhoneFromTheLaptopAsync(first, second);

        // Past the last-active interval (5 minutes), within the session cache's 10.
        second.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(await phone.IsSignedInAsync());
    }

    // The laptop signs in on the first instance, the phone on the second; the phone has made a
    // request there (so the second instance holds its session), then the laptop signs it out.
    private static async Task<(Browser Laptop, Browser Phone)> SignOutThePhoneFromTheLaptopAsync(TestApp first, TestApp second)
    {
        var laptop = first.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        await laptop.RegisterAsync(Email);
        var phone = second.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await phone.SignInAsync(Email);
        Assert.True(await phone.IsSignedInAsync());

        Assert.True((await laptop.EndSessionAsync(await first.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari))).IsRedirect());
        return (laptop, phone);
    }
}
