using System.Text.RegularExpressions;
using Specs.Support;

namespace Specs.Profiles;

public class EditPageSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Windows_time_zone_ids_are_suggested_as_their_IANA_ids()
    {
        // As TimeZoneInfo.GetSystemTimeZones() lists them on Windows.
        var windows = TimeZoneInfo.CreateCustomTimeZone("Romance Standard Time", TimeSpan.FromHours(1), "Paris", "Paris");
        var tokyo = TimeZoneInfo.CreateCustomTimeZone("Tokyo Standard Time", TimeSpan.FromHours(9), "Tokyo", "Tokyo");

        var ids = EditModel.IanaTimeZoneIds([windows, tokyo, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")]);

        Assert.Equal(["Asia/Tokyo", "Europe/Paris"], ids);
    }

    [Fact]
    public async Task Every_suggested_time_zone_is_an_IANA_id_the_form_accepts()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("ada@example.com");

        var (_, html) = await browser.GetAsync("/Profiles/Edit");

        var suggested = Regex.Matches(html, "<option value=\"([^\"]+)\"></option>").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("Europe/Paris", suggested);
        Assert.All(suggested, id => Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId, id));
        Assert.Contains("aria-required=\"true\"", FormHtml.Field(html, "Input.DisplayName"));
    }

    [Fact]
    public async Task A_wrong_field_is_marked_and_points_at_its_message()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("ada@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form["Input.TimeZone"] = "Mars/Olympus_Mons";

        var response = await browser.PostAsync("/Profiles/Edit", form);

        var html = await Browser.HtmlAsync(response);
        var field = FormHtml.Field(html, "Input.TimeZone");
        Assert.Contains("aria-invalid=\"true\"", field);
        Assert.Contains("aria-describedby=\"time-zone-error\"", field);
        Assert.Contains("Choose a time zone from the list", FormHtml.ErrorSpan(html, "time-zone-error"));
        Assert.DoesNotContain("aria-invalid", FormHtml.Field(html, "Input.DisplayName"));
    }
}
