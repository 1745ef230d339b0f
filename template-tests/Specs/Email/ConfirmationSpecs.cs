using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Email;

// With Email:RequireConfirmedEmail, a new account signs in only once its address has confirmed
// through the mailed link; registering never says whether an address already has an account.
public class ConfirmationSpecs : IAsyncLifetime
{
    private const string Email = "grace@example.com";
    private const string CheckInbox = "/Email/CheckInbox?for=registration";
    private const string Subject = "Confirm your email address";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(Settings(requireConfirmedEmail: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Registering_mails_a_confirmation_link_and_signs_nobody_in()
    {
        using var browser = _app.NewBrowser();

        var registered = await browser.RegisterAsync(Email);

        Assert.Equal(CheckInbox, registered.Location());
        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(0, await _app.QueryAsync(db => db.UserSessions.CountAsync()));
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));
        Assert.Equal(MailSink.PublicBaseUrl, link.GetLeftPart(UriPartial.Authority));
        Assert.Equal("/Email/ConfirmEmail", link.AbsolutePath);
        Assert.Matches("^\\?token=[A-Za-z0-9_-]{43}$", link.Query);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(CheckInbox)).Status);
    }

    [Fact]
    public async Task Signing_in_before_confirming_leads_to_the_unconfirmed_page_without_a_session()
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync(Email);
        }
        using var browser = _app.NewBrowser();

        var signIn = await browser.SignInAsync(Email);

        Assert.Equal("/Email/Unconfirmed", signIn.LocationPath());
        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(0, await _app.QueryAsync(db => db.UserSessions.CountAsync()));
        var (status, page) = await browser.GetAsync("/Email/Unconfirmed");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Send the link again", page);
    }

    [Fact]
    public async Task A_wrong_password_for_an_unconfirmed_account_gets_the_usual_refusal_not_the_unconfirmed_page()
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync(Email);
        }
        using var browser = _app.NewBrowser();

        var wrong = await browser.SignInAsync(Email, "not the password at all");

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The email or password is not correct.", await Browser.HtmlAsync(wrong));
        // No sign-in step was started: the step's page sends back to the sign-in page.
        Assert.Equal("/Accounts/Login", (await browser.Client.GetAsync("/Email/Unconfirmed")).LocationPath());
    }

    [Fact]
    public async Task Opening_the_link_confirms_nothing_until_its_button_is_pressed_and_then_the_password_signs_in()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));

        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(link)).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(link)).Status);
        using (var early = _app.NewBrowser())
        {
            Assert.Equal("/Email/Unconfirmed", (await early.SignInAsync(Email)).LocationPath());
        }

        var confirmed = await browser.ConfirmAsync(link);

        Assert.Equal("/Email/Done?what=email-confirmed", confirmed.Location());
        Assert.Empty(await _app.QueryAsync(db => db.UnconfirmedAccounts.ToListAsync()));
        using var later = _app.NewBrowser();
        Assert.NotEqual("/Email/Unconfirmed", (await later.SignInAsync(Email)).LocationPath());
        Assert.True(await later.IsSignedInAsync());
    }

    [Fact]
    public async Task The_confirmation_page_is_neither_stored_by_the_browser_nor_named_to_other_sites()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));

        var response = await browser.Client.GetAsync(link.PathAndQuery);

        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task Sending_the_link_again_waits_for_the_cooldown_then_mails_a_link_that_works()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await _sink.NextMailToAsync(Email, Subject);
        Assert.Equal("/Email/Unconfirmed", (await browser.SignInAsync(Email)).LocationPath());

        var tooSoon = await ResendAsync(browser);

        Assert.Contains("wait a few minutes", tooSoon, StringComparison.OrdinalIgnoreCase);
        await _sink.AssertNoMailToAsync(Email, _app);

        _app.Clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        var resent = await ResendAsync(browser);

        Assert.DoesNotContain("wait a few minutes", resent, StringComparison.OrdinalIgnoreCase);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));
        Assert.Equal("/Email/Done?what=email-confirmed", (await browser.ConfirmAsync(link)).Location());
        await browser.SignInAsync(Email);
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task A_confirmation_link_works_once_and_for_a_day()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var stale = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));
        var staleForm = await browser.OpenFormAsync(stale);

        _app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        Assert.Contains(EmailSupport.ExpiredLink, (await browser.OpenAsync(stale)).Html);
        var late = await browser.PostAsync(stale.PathAndQuery, staleForm);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(late));
        Assert.Equal("/Email/Unconfirmed", (await browser.SignInAsync(Email)).LocationPath());

        await ResendAsync(browser);
        var fresh = MailSink.LinkIn(await _sink.NextMailToAsync(Email, Subject));
        var freshForm = await browser.OpenFormAsync(fresh);
        Assert.Equal("/Email/Done?what=email-confirmed", (await browser.PostAsync(fresh.PathAndQuery, freshForm)).Location());
        var again = await browser.PostAsync(fresh.PathAndQuery, freshForm);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(again));
    }

    [Fact]
    public async Task A_password_reset_by_mail_proves_the_address_as_a_confirmation_would()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await _sink.NextMailToAsync(Email, Subject);

        await browser.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        Assert.Equal("/Email/Done?what=password-reset", (await browser.ResetPasswordAsync(link, "a passphrase chosen by mail")).Location());

        await browser.SignInAsync(Email, "a passphrase chosen by mail");
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Registering_a_taken_address_looks_exactly_like_a_new_one_and_tells_the_owner()
    {
        await CreateAccountAsync(_app, Email);
        using var stranger = _app.NewBrowser();
        using var newcomer = _app.NewBrowser();

        var taken = await stranger.RegisterAsync(Email, "the stranger's own passphrase");
        var fresh = await newcomer.RegisterAsync("newcomer@example.com");

        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(CheckInbox, taken.Location());
        Assert.Equal(fresh.Location(), taken.Location());
        Assert.False(await stranger.IsSignedInAsync());
        var warning = await _sink.NextMailToAsync(Email, "Someone tried to register with your address");
        Assert.DoesNotContain("token=", warning.TextBody);
        await _sink.NextMailToAsync("newcomer@example.com", Subject);
        await _sink.AssertNoMailToAsync(Email, _app);
        using var owner = _app.NewBrowser();
        await owner.SignInAsync(Email);
        Assert.True(await owner.IsSignedInAsync());
        using var impostor = _app.NewBrowser();
        await impostor.SignInAsync(Email, "the stranger's own passphrase");
        Assert.False(await impostor.IsSignedInAsync());
    }

    [Fact]
    public async Task An_address_someone_else_registered_is_won_back_by_its_owner_through_a_reset()
    {
        using var squatter = _app.NewBrowser("203.0.113.66");
        await squatter.RegisterAsync(Email, "the squatter's own passphrase");
        await _sink.NextMailToAsync(Email, Subject);
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email, "the owner's real passphrase");
        await _sink.NextMailToAsync(Email, "Someone tried to register with your address");

        await owner.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        Assert.Equal("/Email/Done?what=password-reset", (await owner.ResetPasswordAsync(link, "the owner's real passphrase")).Location());

        await owner.SignInAsync(Email, "the owner's real passphrase");
        Assert.True(await owner.IsSignedInAsync());
        await squatter.SignInAsync(Email, "the squatter's own passphrase");
        Assert.False(await squatter.IsSignedInAsync());
    }

    [Fact]
    public async Task Accounts_made_by_code_such_as_createsuperuser_sign_in_without_confirming()
    {
        await CreateAccountAsync(_app, Email);
        using var browser = _app.NewBrowser();

        await browser.SignInAsync(Email);

        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Accounts_registered_while_confirmation_was_off_keep_signing_in_once_it_is_on()
    {
        await using (var before = _app.Restart(Settings(requireConfirmedEmail: false)))
        {
            using var registering = before.NewBrowser();
            await registering.RegisterAsync(Email);
            Assert.True(await registering.IsSignedInAsync());
        }
        await using var after = _app.Restart(Settings(requireConfirmedEmail: true));
        using var browser = after.NewBrowser();

        await browser.SignInAsync(Email);

        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task With_confirmation_off_registering_signs_in_at_once_and_mails_nothing()
    {
        await using var app = _app.Restart(Settings(requireConfirmedEmail: false));
        using var browser = app.NewBrowser();

        var registered = await browser.RegisterAsync(Email);

        Assert.True(registered.IsRedirect());
        Assert.NotEqual(CheckInbox, registered.Location());
        Assert.True(await browser.IsSignedInAsync());
        await _sink.AssertNoMailToAsync(Email, app);
    }

    // Posts the unconfirmed page's button and returns the page that answers (after its redirect, if any).
    private static async Task<string> ResendAsync(Browser browser)
    {
        var response = await browser.SubmitAsync("/Email/Unconfirmed", []);
        Assert.True((int)response.StatusCode < 500, $"POST /Email/Unconfirmed: {(int)response.StatusCode}");
        if (response.IsRedirect())
        {
            var (_, page) = await browser.GetAsync(response.Location()!);
            return page;
        }
        return await Browser.HtmlAsync(response);
    }

    private static async Task CreateAccountAsync(TestApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAccounts>().RegisterAsync(email, Browser.StrongPassword, [], CancellationToken.None);
        Assert.NotNull(result.User);
    }

    private Dictionary<string, string> Settings(bool requireConfirmedEmail)
    {
        var settings = _sink.Settings;
        settings["Email:RequireConfirmedEmail"] = requireConfirmedEmail ? "true" : "false";
        settings["Accounts:RegistrationLimit"] = "1000";
        return settings;
    }
}
