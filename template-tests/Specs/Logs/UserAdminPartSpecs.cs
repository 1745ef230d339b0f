using System.Net;
using Specs.Support;

namespace Specs.Logs;

// The logs module on the admin's user page, and what it records of user administration.
public class UserAdminPartSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task The_user_page_lists_the_users_recent_events_and_links_to_all_of_them()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync();
        using var user = app.NewBrowser();
        await user.RegisterAsync(Email);
        await user.SignInAsync(Email, "not the password at all");
        var userId = await app.UserIdAsync(Email);
        await admin.AssertUserPageHasTheSectionsOfTheAppsModulesAsync(userId);

        var (status, html) = await admin.GetAsync(Admins.UserPage(userId));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<td>Registered</td>", html);
        Assert.Contains("<td>SignInFailed</td>", html);
        Assert.Contains($"href=\"/Logs?Filter.User={userId}\"", html);
        Assert.DoesNotContain(LogsSpecsSupport.AdminEmail, html.Split("Recent events")[1]);
    }

    [Fact]
    public async Task Every_admin_action_is_recorded_naming_the_admin_and_refused_tries_are_recorded_once_and_counted()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync();
        using var user = app.NewBrowser();
        using var mallory = app.NewBrowser();
        await user.RegisterAsync(Email);
        await mallory.RegisterAsync("mallory@example.com");
        var userId = await app.UserIdAsync(Email);

        await admin.AdministerAsync(userId, "Deactivate");
        await admin.AdministerAsync(userId, "Reactivate");
        await admin.AdministerAsync(userId, "SignOutEverywhere");
        for (var i = 0; i < 3; i++)
        {
            await mallory.Client.GetAsync("/Accounts/Users");
        }

        // Opening /Logs writes the repeats counted so far.
        await admin.GetAsync("/Logs");
        var events = await app.EventsAsync();
        Assert.Equal(["UserDeactivated", "UserReactivated", "UserSignedOutByAdmin"],
            events.Where(e => e.UserId == userId && e.EventType.StartsWith("User")).Select(e => e.EventType));
        Assert.All(events.Where(e => e.UserId == userId && e.EventType.StartsWith("User")),
            e => Assert.Equal($"by {LogsSpecsSupport.AdminEmail}", e.Reason));
        var denied = Assert.Single(events, e => e.EventType == "UserAdminAccessDenied");
        Assert.Equal("mallory@example.com", denied.Email);
        Assert.False(denied.Succeeded);
        Assert.Equal(2, denied.RepeatCount);
    }
}
