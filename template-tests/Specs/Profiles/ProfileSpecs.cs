using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Profiles;

public class ProfileSpecs : IAsyncLifetime
{
    private readonly List<ModuleEvent> _moduleEvents = [];
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(services: services => services.AddScoped<IUserEvents>(_ => new EventRecorder(_moduleEvents)));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Registering_creates_one_profile_named_after_the_email()
    {
        using var browser = _app.NewBrowser();

        await browser.RegisterAsync("ada.lovelace@example.com");

        var profile = await _app.QueryAsync(db => db.Profiles.SingleAsync());
        var user = await _app.QueryAsync(db => db.Users.SingleAsync());
        Assert.Equal(user.Id, profile.UserId);
        Assert.Equal("ada.lovelace", profile.DisplayName);
        Assert.Equal(_app.Clock.GetUtcNow(), profile.CreatedAt);
        var (status, html) = await browser.GetAsync("/Profiles");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ada.lovelace", html);
    }

    [Fact]
    public async Task Fifty_concurrent_registrations_create_fifty_profiles()
    {
        // Fifty people, each on their own network (one network may register only a few accounts an hour).
        var browsers = Enumerable.Range(0, 50).Select(i => _app.NewBrowser($"198.51.100.{i + 1}")).ToList();

        var responses = await Task.WhenAll(browsers.Select((b, i) => b.RegisterAsync($"crowd{i}@example.com")));

        Assert.All(responses, r => Assert.True(r.IsRedirect()));
        Assert.Equal(50, await _app.QueryAsync(db => db.Profiles.CountAsync()));
        Assert.Equal(50, await _app.QueryAsync(db => db.Profiles.Select(p => p.UserId).Distinct().CountAsync()));
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task A_user_without_a_profile_gets_one_when_opening_it()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("before.profiles@example.com");
        // As for accounts made before the module was added.
        await _app.SaveAsync(async db => db.Profiles.RemoveRange(await db.Profiles.ToListAsync()));

        var (status, html) = await browser.GetAsync("/Profiles");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("before.profiles", html);
        Assert.Equal(1, await _app.QueryAsync(db => db.Profiles.CountAsync()));
    }

    [Fact]
    public async Task Every_field_of_the_edit_form_round_trips()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("round.trip@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        var editable = form.Keys.Where(k => k.StartsWith("Input.") && k != "Input.Version").ToList();
        Assert.Contains("Input.DisplayName", editable);
        // Set by the template tests after they add a field with the README's recipe.
        if (Environment.GetEnvironmentVariable("SPECS_PROFILE_FIELD") is { Length: > 0 } addedField)
        {
            Assert.Contains($"Input.{addedField}", editable);
        }
        foreach (var field in editable)
        {
            form[field] = SampleValue(field);
        }

        var response = await browser.PostAsync("/Profiles/Edit", form);

        Assert.True(response.IsRedirect(), await Browser.HtmlAsync(response));
        var saved = await browser.ReadFormAsync("/Profiles/Edit");
        Assert.All(editable, field => Assert.Equal(SampleValue(field), saved[field]));
        Assert.Single(_moduleEvents, e => e.Name == "ProfileUpdated");
    }

    [Fact]
    public async Task Saving_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("victim@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form.Remove("__RequestVerificationToken");
        form["Input.DisplayName"] = "Defaced";

        var response = await browser.PostAsync("/Profiles/Edit", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("victim", await _app.QueryAsync(db => db.Profiles.Select(p => p.DisplayName).SingleAsync()));
        Assert.DoesNotContain(_moduleEvents, e => e.Name == "ProfileUpdated");
    }

    public static TheoryData<string, string, string> InvalidValues => new()
    {
        { "Input.Website", "javascript:alert(1)", "Enter a full web address starting with https:// or http://." },
        { "Input.Website", "ftp://files.example.com", "Enter a full web address starting with https:// or http://." },
        { "Input.Website", "example.com/me", "Enter a full web address starting with https:// or http://." },
        { "Input.TimeZone", "Mars/Olympus_Mons", "Choose a time zone from the list" },
        { "Input.Bio", new string('b', 1001), "Use at most 1000 characters." },
        { "Input.DisplayName", "", "Enter the name others see." },
        { "Input.DisplayName", "bell\u0007name", InvisibleCharacters },
        // Shown as "adminexe.jpg": a right-to-left override, and zero-width characters that make
        // two names look the same.
        { "Input.DisplayName", "admin\u202Egpj.exe", InvisibleCharacters },
        { "Input.DisplayName", "ad\u200Bmin", InvisibleCharacters },
        // A tag character, above U+FFFF: invisible, and two UTF-16 units.
        { "Input.DisplayName", "admin\U000E0041", InvisibleCharacters },
        { "Input.DisplayName", "ad\u2060min\uFEFF", InvisibleCharacters },
        { "Input.DisplayName", "two\u2028lines", InvisibleCharacters },
        { "Input.Location", "Paris\u2066\u202E", InvisibleCharacters },
        { "Input.Website", "https://exa\u200Bmple.com/", InvisibleCharacters },
        { "Input.Bio", "A bio that ends \u202Ereversed", InvisibleCharacters },
        { "Input.Bio", "A bell\u0007 in the bio", InvisibleCharacters },
    };

    private const string InvisibleCharacters = "Remove the invisible formatting or control characters from this field.";

    [Fact]
    public async Task A_bio_keeps_its_line_breaks_tabs_and_emoji_sequences()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("multiline@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        // The family emoji is joined by zero-width joiners; Persian needs the zero-width non-joiner.
        var bio = "First line\r\n\tindented \U0001F468\u200D\U0001F469\u200D\U0001F467\r\nمی\u200Cخواهم";
        form["Input.Bio"] = bio;

        var response = await browser.PostAsync("/Profiles/Edit", form);

        Assert.True(response.IsRedirect(), await Browser.HtmlAsync(response));
        Assert.Equal(bio, await _app.QueryAsync(db => db.Profiles.Select(p => p.Bio).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Invalid_values_are_refused_with_a_message(string field, string value, string message)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("validate@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form[field] = value;

        var response = await browser.PostAsync("/Profiles/Edit", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await Browser.HtmlAsync(response));
        Assert.Equal("validate", await _app.QueryAsync(db => db.Profiles.Select(p => p.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task Markup_in_the_bio_is_shown_as_text()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("mallory@example.com");
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form["Input.Bio"] = "<script>alert('x')</script><b>bold</b>";
        await browser.PostAsync("/Profiles/Edit", form);

        var raw = await browser.Client.GetStringAsync("/Profiles");

        Assert.DoesNotContain("<script>alert", raw);
        Assert.DoesNotContain("<b>bold</b>", raw);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;", raw);
    }

    [Fact]
    public async Task Two_tabs_saving_at_once_get_a_changed_elsewhere_message_instead_of_a_silent_overwrite()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("two.tabs@example.com");
        var firstTab = await browser.ReadFormAsync("/Profiles/Edit");
        var secondTab = await browser.ReadFormAsync("/Profiles/Edit");
        firstTab["Input.Location"] = "Lisbon";
        secondTab["Input.Location"] = "Porto";

        var first = await browser.PostAsync("/Profiles/Edit", firstTab);
        var second = await browser.PostAsync("/Profiles/Edit", secondTab);

        Assert.True(first.IsRedirect());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("changed in another window or tab", await Browser.HtmlAsync(second));
        Assert.Equal("Lisbon", await _app.QueryAsync(db => db.Profiles.Select(p => p.Location).SingleAsync()));

        // Saving the re-shown form again is a deliberate replacement.
        var again = await browser.PostAsync("/Profiles/Edit", FormFields(await Browser.HtmlAsync(second), secondTab));
        Assert.True(again.IsRedirect());
        Assert.Equal("Porto", await _app.QueryAsync(db => db.Profiles.Select(p => p.Location).SingleAsync()));
    }

    [Fact]
    public async Task Public_profile_pages_are_off_by_default()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("private.person@example.com");
        var userId = await _app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());

        var (status, _) = await _app.NewBrowser().GetAsync($"/Profiles/{userId}");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Deleting_a_user_deletes_the_profile()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("leaving@example.com");

        await _app.SaveAsync(async db => db.Users.RemoveRange(await db.Users.ToListAsync()));

        Assert.Equal(0, await _app.QueryAsync(db => db.Profiles.CountAsync()));
    }

    private static string SampleValue(string field) => field switch
    {
        "Input.Website" => "https://example.org/~me?tab=about",
        "Input.TimeZone" => "America/Argentina/Buenos_Aires",
        "Input.Bio" => "Line one & <two>\nLine \"three\"",
        "Input.Handle" => "round-trip-7",
        _ => $"Value of {field[6..]} ü",
    };

    // The re-shown form's hidden version, with the values the user typed.
    private static Dictionary<string, string> FormFields(string html, Dictionary<string, string> typed)
    {
        var version = System.Text.RegularExpressions.Regex.Match(html, "name=\"Input.Version\" value=\"([^\"]+)\"");
        Assert.True(version.Success);
        return new Dictionary<string, string>(typed) { ["Input.Version"] = version.Groups[1].Value };
    }

    private sealed class EventRecorder(List<ModuleEvent> events) : IUserEvents
    {
        public Task ModuleEventAsync(ModuleEvent moduleEvent, CancellationToken cancellationToken)
        {
            lock (events)
            {
                events.Add(moduleEvent);
            }
            return Task.CompletedTask;
        }
    }
}

public partial class PublicProfileSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Profiles:PublicProfiles"] = "true" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_profile_without_a_chosen_handle_has_no_public_page_and_the_email_finds_nothing()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("public.person@example.com");
        var userId = await _app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        using var visitor = _app.NewBrowser();

        // Whether an address has an account must not show from its local part.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/Profiles/public.person")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/Profiles/View/public.person")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/Profiles/{userId}")).Status);
        var (_, own) = await browser.GetAsync("/Profiles");
        Assert.DoesNotContain("href=\"/Profiles/public", own);
    }

    [Fact]
    public async Task A_chosen_handle_is_the_public_address_and_it_holds_nothing_from_the_email()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("public.person@example.com");

        var saved = await ChooseHandleAsync(browser, "River-Song");

        Assert.True(saved.IsRedirect(), await Browser.HtmlAsync(saved));
        var (_, own) = await browser.GetAsync("/Profiles");
        var address = PublicAddress().Match(own);
        Assert.True(address.Success, own);
        Assert.Equal("/Profiles/river-song", address.Groups[1].Value);
        Assert.DoesNotContain("public", address.Groups[1].Value);
        Assert.DoesNotContain("person", address.Groups[1].Value);
        using var visitor = _app.NewBrowser();
        var page = await visitor.GetAsync(address.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var displayName = await _app.QueryAsync(db => db.Profiles.Select(p => p.DisplayName).SingleAsync());
        Assert.Contains($"<h1>{displayName}</h1>", page.Html);
        Assert.DoesNotContain("public.person@example.com", page.Html);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/Profiles/RIVER-song")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/Profiles/public.person")).Status);
    }

    [Fact]
    public async Task A_handle_taken_by_another_user_in_any_case_is_refused_with_a_message()
    {
        using var first = _app.NewBrowser();
        await first.RegisterAsync("first@example.com");
        Assert.True((await ChooseHandleAsync(first, "river-song")).IsRedirect());
        using var second = _app.NewBrowser();
        await second.RegisterAsync("second@example.com");

        var refused = await ChooseHandleAsync(second, "River-Song");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("This handle is taken. Choose another.", await Browser.HtmlAsync(refused));
        var handles = await _app.QueryAsync(db => db.Profiles.OrderBy(p => p.DisplayName).Select(p => p.Handle).ToListAsync());
        Assert.Equal(["river-song", null], handles);
        // The owner can save the profile again with its own handle.
        Assert.True((await ChooseHandleAsync(first, "river-song")).IsRedirect());
    }

    [Fact]
    public async Task Users_choosing_the_same_handle_at_once_get_one_owner_and_messages_for_the_others()
    {
        var browsers = Enumerable.Range(0, 8).Select(_ => _app.NewBrowser()).ToList();
        await Task.WhenAll(browsers.Select((b, i) => b.RegisterAsync($"racer{i}@example.com")));
        var forms = await Task.WhenAll(browsers.Select(b => b.ReadFormAsync("/Profiles/Edit")));

        var responses = await Task.WhenAll(browsers.Select((b, i) =>
        {
            forms[i]["Input.Handle"] = "same-handle";
            return b.PostAsync("/Profiles/Edit", forms[i]);
        }));

        Assert.Single(responses, r => r.IsRedirect());
        var refused = responses.Where(r => !r.IsRedirect()).ToList();
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in refused)
        {
            Assert.Contains("This handle is taken. Choose another.", await Browser.HtmlAsync(response));
        }
        Assert.Equal(1, await _app.QueryAsync(db => db.Profiles.CountAsync(p => p.Handle == "same-handle")));
        browsers.ForEach(b => b.Dispose());
    }

    [Theory]
    [InlineData("ab", HandleRules)]
    [InlineData("has space", HandleRules)]
    [InlineData("dot.ted", HandleRules)]
    [InlineData("-dash", HandleRules)]
    [InlineData("ad\u200Bmin", HandleRules)]
    [InlineData("\u0430dmin", HandleRules)] // a Cyrillic "а"
    [InlineData("thirty-one-characters-long-name", HandleRules)]
    [InlineData("Admin", "This handle is reserved. Choose another.")]
    [InlineData("edit", "This handle is reserved. Choose another.")]
    public async Task A_handle_outside_the_rules_is_refused_with_a_message(string handle, string message)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("rules@example.com");

        var refused = await ChooseHandleAsync(browser, handle);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(message, await Browser.HtmlAsync(refused));
        Assert.Null(await _app.QueryAsync(db => db.Profiles.Select(p => p.Handle).SingleAsync()));
    }

    private const string HandleRules = "Use 3 to 30 letters a to z, digits and hyphens, starting and ending with a letter or digit.";

    private static async Task<HttpResponseMessage> ChooseHandleAsync(Browser browser, string handle)
    {
        var form = await browser.ReadFormAsync("/Profiles/Edit");
        form["Input.Handle"] = handle;
        return await browser.PostAsync("/Profiles/Edit", form);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<a [^>]*id=\"public-address\"[^>]*href=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex PublicAddress();
}
