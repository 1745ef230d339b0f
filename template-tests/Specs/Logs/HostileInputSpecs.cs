using Specs.Support;

namespace Specs.Logs;

// The logs pages' query parameters given hostile values (FormFuzz), as the admin and as a user:
// never a server error.
public class HostileInputSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "100000" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_admin_page_and_its_export_opened_with_hostile_filters_never_fail()
    {
        using (var visitor = _app.NewBrowser())
        {
            await visitor.SignInAsync("someone@example.com", "a wrong guess");
        }
        using var admin = await _app.SignedInAdminAsync();
        string[] parameters = ["Filter.Type", "Filter.Status", "Filter.User", "Filter.Ip", "Filter.From", "Filter.To", "Filter.Search", "Before", "handler"];

        await FormFuzz.GetHostileValuesAsync(admin, "/Logs", parameters);
        await FormFuzz.GetHostileValuesAsync(admin, "/Logs?handler=Export", parameters);
    }

    [Fact]
    public async Task A_users_pages_opened_with_hostile_values_never_fail()
    {
        using var user = _app.NewBrowser();
        await user.RegisterAsync("curious@example.com");

        await FormFuzz.GetHostileValuesAsync(user, "/Logs/MySignIns", "handler", "Before", "Filter.From");
        await FormFuzz.GetHostileValuesAsync(user, "/Logs", "Filter.To", "Before");
    }
}
