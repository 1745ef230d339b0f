using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Profiles;

// Every field of the profile form and the profile pages' parameters given hostile values
// (FormFuzz): never a server error, and a refused post leaves the profile as it was.
public class HostileInputSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_profile_form_refuses_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("profiled@example.com");

        await FormFuzz.PostHostileValuesAsync(browser, "/Profiles/Edit", () => [], () => _app.QueryAsync(async db => string.Join('\n',
            (await db.Profiles.AsNoTracking().ToListAsync())
                .Select(p => $"{p.UserId} {p.DisplayName} {p.Bio} {p.Location} {p.Website} {p.TimeZone} {p.Version}"))));
    }

    [Fact]
    public async Task Profile_pages_opened_with_hostile_values_never_fail()
    {
        using var visitor = _app.NewBrowser();
        using var user = _app.NewBrowser();
        await user.RegisterAsync("viewer@example.com");

        foreach (var browser in new[] { visitor, user })
        {
            await FormFuzz.GetHostileSegmentsAsync(browser, "/Profiles/");
            await FormFuzz.GetHostileValuesAsync(browser, "/Profiles", "handler");
            await FormFuzz.GetHostileValuesAsync(browser, "/Profiles/Edit", "handler");
        }
    }
}
