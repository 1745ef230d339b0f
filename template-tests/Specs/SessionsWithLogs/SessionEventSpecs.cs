using Specs.Logs;
using Specs.Sessions;
using Specs.Support;

namespace Specs.SessionsWithLogs;

// What is done on the sessions pages is in the account's events (/Logs), an admin's acts with
// the admin named.
public class SessionEventSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task An_admin_signing_out_a_users_session_is_recorded_with_the_admins_name()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync();
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await phone.RegisterAsync(Email);

        await admin.EndSessionAsync(await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari), SessionsSupport.AdminPage(Email));
        await admin.EndAllSessionsAsAdminAsync(Email);

        var events = await app.EventsAsync();
        var one = Assert.Single(events, e => e.EventType == SessionEvents.SessionEndedByAdmin);
        Assert.Equal(Email, one.Email);
        Assert.Contains(LogsSpecsSupport.AdminEmail, one.Reason);
        Assert.Single(events, e => e.EventType == SessionEvents.AllSessionsEndedByAdmin && e.Email == Email);
    }

    [Fact]
    public async Task A_user_signing_out_other_browsers_is_recorded()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        await laptop.EndSessionAsync(await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari));
        await laptop.EndOtherSessionsAsync();

        var events = await app.EventsAsync();
        Assert.Single(events, e => e.EventType == SessionEvents.SessionEnded && e.Email == Email);
        Assert.Single(events, e => e.EventType == SessionEvents.OtherSessionsEnded && e.Email == Email);
    }
}
