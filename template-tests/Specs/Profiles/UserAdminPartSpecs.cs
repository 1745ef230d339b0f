using Specs.Support;

namespace Specs.Profiles;

// The profile on the admin's user page, HTML-encoded like every page shows it.
public class UserAdminPartSpecs
{
    [Fact]
    public async Task The_user_page_shows_the_profile_as_the_user_filled_it_in()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync("admin@example.com");
        using var user = app.NewBrowser();
        await user.RegisterAsync("ada@example.com");
        var userId = await app.UserIdAsync("ada@example.com");
        await admin.AssertUserPageHasTheSectionsOfTheAppsModulesAsync(userId);
        await app.QueryAsync(async db =>
        {
            var profile = db.Profiles.Single(p => p.UserId == userId);
            profile.DisplayName = "Ada <b>Lovelace</b>";
            profile.Location = "London";
            return await db.SaveChangesAsync();
        });

        var response = await admin.Client.GetAsync(Admins.UserPage(userId));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-admin-part=\"Profile\"", raw);
        Assert.Contains("Ada &lt;b&gt;Lovelace&lt;/b&gt;", raw);
        Assert.Contains("London", raw);
    }
}
