using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// Changing the address: the password is asked again, the old address hears of it at once, and
// the change happens only when the new address confirms, and only if it is still free then.
public class ChangeEmailSpecs : IAsyncLifetime
{
    private const string OldEmail = "ada@example.com";
    private const string NewEmail = "ada.lovelace@example.org";
    private const string CheckInbox = "/Email/CheckInbox?for=email-change";
    private const string Done = "/Email/Done?what=email-changed";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        var settings = _sink.Settings;
        settings["Accounts:IpFailureLimit"] = "1000";
        settings["Accounts:FormPostLimit"] = "1000";
        _app = await TestApp.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_and_mails_nothing()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);

        var response = await browser.RequestEmailChangeAsync(NewEmail, "not my password at all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The password is not correct.", await Browser.HtmlAsync(response));
        await _sink.AssertNoMailToAsync(NewEmail, _app);
        await _sink.AssertNoMailToAsync(OldEmail, _app);
        Assert.Equal(OldEmail, await EmailOfAsync(OldEmail));
    }

    [Fact]
    public async Task The_new_address_takes_over_when_it_confirms_and_the_old_one_is_told_at_each_step()
    {
        using var laptop = _app.NewBrowser();
        using var phone = _app.NewBrowser();
        await laptop.RegisterAsync(OldEmail);
        await phone.SignInAsync(OldEmail);

        var requested = await laptop.RequestEmailChangeAsync(NewEmail);

        Assert.Equal(CheckInbox, requested.Location());
        var warning = await _sink.NextMailToAsync(OldEmail, "A change of your email address was requested");
        Assert.DoesNotContain("token=", warning.TextBody);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));
        Assert.Equal(MailSink.PublicBaseUrl, link.GetLeftPart(UriPartial.Authority));
        Assert.Equal("/Email/ConfirmEmailChange", link.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await laptop.OpenAsync(link)).Status);
        Assert.Equal(HttpStatusCode.OK, (await laptop.OpenAsync(link)).Status);
        Assert.True(await SignsInAsync(OldEmail));

        var confirmed = await laptop.ConfirmAsync(link);

        Assert.Equal(Done, confirmed.Location());
        Assert.Equal(NewEmail, await _app.QueryAsync(db => db.Users.Select(u => u.Email).SingleAsync()));
        await _sink.NextMailToAsync(OldEmail, "Your email address was changed");
        Assert.True(await laptop.IsSignedInAsync());
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await SignsInAsync(NewEmail));
        Assert.False(await SignsInAsync(OldEmail));
    }

    [Fact]
    public async Task Confirming_in_a_browser_that_is_not_signed_in_ends_every_session_of_the_account()
    {
        using var laptop = _app.NewBrowser();
        await laptop.RegisterAsync(OldEmail);
        await laptop.RequestEmailChangeAsync(NewEmail);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));
        using var webmail = _app.NewBrowser();

        var confirmed = await webmail.ConfirmAsync(link);

        Assert.Equal(Done, confirmed.Location());
        Assert.False(await webmail.IsSignedInAsync());
        Assert.False(await laptop.IsSignedInAsync());
        Assert.True(await SignsInAsync(NewEmail));
    }

    [Fact]
    public async Task A_change_link_works_once_and_for_a_day()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);
        await browser.RequestEmailChangeAsync(NewEmail);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));
        var form = await browser.OpenFormAsync(link);

        _app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        var late = await browser.PostAsync(link.PathAndQuery, form);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(late));
        Assert.Equal(OldEmail, await EmailOfAsync(OldEmail));
    }

    [Fact]
    public async Task Asking_for_a_taken_address_answers_the_same_and_tells_that_address_instead()
    {
        using (var other = _app.NewBrowser())
        {
            await other.RegisterAsync(NewEmail);
        }
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);

        var requested = await browser.RequestEmailChangeAsync(NewEmail.ToUpperInvariant());

        Assert.Equal(CheckInbox, requested.Location());
        var notice = await _sink.NextMailToAsync(NewEmail, "An account already uses this address");
        Assert.DoesNotContain("token=", notice.TextBody);
        await _sink.AssertNoMailToAsync(NewEmail, _app);
        Assert.Equal(OldEmail, await EmailOfAsync(OldEmail));
    }

    [Fact]
    public async Task When_two_accounts_ask_for_one_free_address_the_first_to_confirm_gets_it_and_the_second_keeps_its_own()
    {
        using var first = _app.NewBrowser();
        using var second = _app.NewBrowser();
        await first.RegisterAsync("first@example.com");
        await second.RegisterAsync("second@example.com");
        await first.RequestEmailChangeAsync(NewEmail);
        var firstLink = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));
        await second.RequestEmailChangeAsync(NewEmail);
        var secondLink = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));

        Assert.Equal(Done, (await first.ConfirmAsync(firstLink)).Location());
        var late = await second.ConfirmAsync(secondLink);

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("Another account now uses this address", await Browser.HtmlAsync(late));
        Assert.Equal(NewEmail, await EmailOfAsync(NewEmail));
        Assert.Equal("second@example.com", await EmailOfAsync("second@example.com"));
        // The refused change saved nothing, so the mail that rides in its save was not queued.
        await _sink.NextMailToAsync("first@example.com", "Your email address was changed");
        await _sink.AssertNoMailToAsync("second@example.com", _app, "Your email address was changed");
        Assert.True(await second.IsSignedInAsync());
        Assert.True(await SignsInAsync("second@example.com"));
    }

    [Fact]
    public async Task Once_the_address_changed_a_reset_link_mailed_to_the_old_one_is_dead()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);
        using (var forgetful = _app.NewBrowser())
        {
            await forgetful.RequestPasswordResetAsync(OldEmail);
        }
        var reset = MailSink.LinkIn(await _sink.NextMailToAsync(OldEmail, "Reset your password"));
        await browser.RequestEmailChangeAsync(NewEmail);
        var change = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));

        Assert.Equal(Done, (await browser.ConfirmAsync(change)).Location());

        var (_, page) = await browser.OpenAsync(reset);
        Assert.Contains(EmailSupport.ExpiredLink, page);
        Assert.True(await SignsInAsync(NewEmail));
    }

    [Fact]
    public async Task Of_two_pending_changes_the_one_confirmed_first_wins_and_the_other_link_dies()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);
        await browser.RequestEmailChangeAsync("first.choice@example.com");
        var first = MailSink.LinkIn(await _sink.NextMailToAsync("first.choice@example.com", "Confirm your new email address"));
        await browser.RequestEmailChangeAsync("second.choice@example.com");
        var second = MailSink.LinkIn(await _sink.NextMailToAsync("second.choice@example.com", "Confirm your new email address"));

        Assert.Equal(Done, (await browser.ConfirmAsync(second)).Location());

        Assert.Contains(EmailSupport.ExpiredLink, (await browser.OpenAsync(first)).Html);
        Assert.Equal("second.choice@example.com", await EmailOfAsync("second.choice@example.com"));
    }

    [Fact]
    public async Task Wrong_passwords_on_the_change_form_lock_the_account_like_wrong_sign_ins()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await browser.RequestEmailChangeAsync(NewEmail, $"wrong password {attempt}");
        }

        var right = await browser.RequestEmailChangeAsync(NewEmail);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("too many failed attempts for this account", await Browser.HtmlAsync(right));
        using var elsewhere = _app.NewBrowser();
        Assert.Equal("/Accounts/Lockout", (await elsewhere.SignInAsync(OldEmail)).Location());
        await _sink.AssertNoMailToAsync(NewEmail, _app);
    }

    [Fact]
    public async Task The_confirmation_page_is_neither_stored_by_the_browser_nor_named_to_other_sites()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(OldEmail);
        await browser.RequestEmailChangeAsync(NewEmail);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address"));

        var response = await browser.Client.GetAsync(link.PathAndQuery);

        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    // The address as stored on the account that uses it now; null when no account does.
    private Task<string?> EmailOfAsync(string email)
    {
        var normalized = User.NormalizeEmail(email);
        return _app.QueryAsync(db => db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Email).SingleOrDefaultAsync());
    }

    private async Task<bool> SignsInAsync(string email)
    {
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(email);
        return await browser.IsSignedInAsync();
    }
}
