using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// The reset link: opening it changes nothing, it sets a password once, within an hour, and only
// while no other password change came first; a reset ends every session and a lockout, and
// signs nobody in.
public class ResetPasswordSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string NewPassword = "a freshly chosen passphrase";
    private const string Done = "/Email/Done?what=password-reset";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        var settings = _sink.Settings;
        settings["Accounts:IpFailureLimit"] = "1000";
        _app = await TestApp.StartAsync(settings);
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task A_reset_link_opens_any_number_of_times_and_sets_a_password_once()
    {
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();

        var first = await browser.OpenAsync(link);
        var second = await browser.OpenAsync(link);
        var form = await browser.OpenFormAsync(link);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Contains("name=\"Input.NewPassword\"", second.Html);
        Assert.True(form.ContainsKey("Input.Token"), "The reset form carries the token in Input.Token");
        var reset = await browser.PostResetFormAsync(link, form, NewPassword);
        Assert.Equal(Done, reset.Location());
        Assert.True(await SignsInAsync(NewPassword));
        Assert.False(await SignsInAsync(Browser.StrongPassword));

        var again = await browser.PostResetFormAsync(link, form, "yet another passphrase here");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(again));
        var (status, reopened) = await browser.OpenAsync(link);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(EmailSupport.ExpiredLink, reopened);
        Assert.Contains("href=\"/Email/ForgotPassword\"", reopened);
        Assert.DoesNotContain("name=\"Input.NewPassword\"", reopened);
        Assert.False(await SignsInAsync("yet another passphrase here"));
        Assert.True(await SignsInAsync(NewPassword));
    }

    [Fact]
    public async Task A_link_works_for_an_hour_and_not_after()
    {
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();
        _app.Clock.Advance(TimeSpan.FromMinutes(59));
        var form = await browser.OpenFormAsync(link);

        _app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        var late = await browser.PostResetFormAsync(link, form, NewPassword);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(late));
        Assert.Contains(EmailSupport.ExpiredLink, (await browser.OpenAsync(link)).Html);
        Assert.True(await SignsInAsync(Browser.StrongPassword));
        Assert.False(await SignsInAsync(NewPassword));
    }

    [Fact]
    public async Task A_shorter_lifetime_set_in_Email_PasswordResetLifetime_is_the_one_that_counts()
    {
        var settings = _sink.Settings;
        settings["Email:PasswordResetLifetime"] = "00:10:00";
        await using var app = await TestApp.StartAsync(settings);
        using var owner = app.NewBrowser();
        await owner.RegisterAsync("grace@example.com");
        using var browser = app.NewBrowser();
        await browser.RequestPasswordResetAsync("grace@example.com");
        var mail = await _sink.NextMailToAsync("grace@example.com", "Reset your password");
        var link = MailSink.LinkIn(mail);

        Assert.Contains("The link works once, for 10 minutes.", mail.TextBody);
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        var form = await browser.OpenFormAsync(link);
        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var late = await browser.PostResetFormAsync(link, form, NewPassword);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(late));
    }

    [Fact]
    public async Task Changing_the_password_after_asking_for_a_link_kills_the_link()
    {
        using var signedIn = _app.NewBrowser();
        await signedIn.SignInAsync(Email);
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();
        var form = await browser.OpenFormAsync(link);

        Assert.True((await signedIn.ChangePasswordAsync(Browser.StrongPassword, "the owner's own new passphrase")).IsRedirect());

        var reset = await browser.PostResetFormAsync(link, form, NewPassword);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(reset));
        Assert.True(await SignsInAsync("the owner's own new passphrase"));
        Assert.False(await SignsInAsync(NewPassword));
    }

    [Fact]
    public async Task Resetting_with_one_link_kills_the_other_links_of_the_account()
    {
        var older = await RequestLinkAsync();
        var newer = await RequestLinkAsync();
        using var browser = _app.NewBrowser();
        var olderForm = await browser.OpenFormAsync(older);

        Assert.Equal(Done, (await browser.ResetPasswordAsync(newer, NewPassword)).Location());

        var stale = await browser.PostResetFormAsync(older, olderForm, "a passphrase from the old link");
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(stale));
        Assert.True(await SignsInAsync(NewPassword));
    }

    [Fact]
    public async Task A_reset_ends_every_session_clears_the_lockout_and_signs_nobody_in()
    {
        using var laptop = _app.NewBrowser();
        await laptop.SignInAsync(Email);
        // The link is opened on a computer signed in to the account: that session ends too.
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);
        using var attacker = _app.NewBrowser("198.51.100.66");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await attacker.SignInAsync(Email, $"wrong password {attempt}");
        }
        Assert.Equal("/Accounts/Lockout", (await attacker.SignInAsync(Email)).Location());
        Assert.True(await laptop.IsSignedInAsync());
        var link = await RequestLinkAsync();

        var reset = await browser.ResetPasswordAsync(link, NewPassword);

        Assert.Equal(Done, reset.Location());
        Assert.False(await browser.IsSignedInAsync());
        Assert.False(await laptop.IsSignedInAsync());
        Assert.Equal(0, await _app.QueryAsync(db => db.UserSessions.CountAsync(s => s.EndedAt == null)));
        using var afterwards = _app.NewBrowser();
        var signIn = await afterwards.SignInAsync(Email, NewPassword);
        Assert.NotEqual("/Accounts/Lockout", signIn.Location());
        Assert.True(await afterwards.IsSignedInAsync());
        var user = await _app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync());
        Assert.Null(user.LockoutEnd);
    }

    [Fact]
    public async Task A_password_the_policy_refuses_is_explained_and_leaves_the_link_usable()
    {
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();

        var tooShort = await browser.ResetPasswordAsync(link, "short one");
        var mismatched = await browser.ResetPasswordAsync(link, NewPassword, "a different confirmation");

        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        Assert.Contains("Use at least 15 characters.", await Browser.HtmlAsync(tooShort));
        Assert.Equal(HttpStatusCode.OK, mismatched.StatusCode);
        Assert.DoesNotContain(EmailSupport.ExpiredLink, await Browser.HtmlAsync(mismatched));
        // Nothing was saved, so the notice that rides in the same save was not queued either.
        await _sink.AssertNoMailToAsync(Email, _app, "Your password was reset");
        Assert.True(await SignsInAsync(Browser.StrongPassword));
        Assert.Equal(Done, (await browser.ResetPasswordAsync(link, NewPassword)).Location());
        Assert.True(await SignsInAsync(NewPassword));
    }

    [Fact]
    public async Task The_reset_page_is_neither_stored_by_the_browser_nor_named_to_other_sites()
    {
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();

        var response = await browser.Client.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task A_made_up_or_mangled_token_gets_the_expired_link_page()
    {
        var link = await RequestLinkAsync();
        using var browser = _app.NewBrowser();
        var token = link.Query["?token=".Length..];
        var mangled = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        foreach (var path in new[] { $"/Email/ResetPassword?token={mangled}", "/Email/ResetPassword?token=", "/Email/ResetPassword" })
        {
            var (status, page) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(EmailSupport.ExpiredLink, page);
        }
        var form = await browser.OpenFormAsync(link);
        form["Input.Token"] = mangled;
        form["Input.NewPassword"] = form["Input.ConfirmPassword"] = NewPassword;
        var forged = await browser.PostAsync("/Email/ResetPassword", form);
        Assert.Contains(EmailSupport.ExpiredLink, await Browser.HtmlAsync(forged));
        Assert.True(await SignsInAsync(Browser.StrongPassword));
    }

    [Fact]
    public async Task A_deactivated_account_gets_no_mail_and_its_earlier_link_is_dead()
    {
        var link = await RequestLinkAsync();
        await _app.SaveAsync(db => db.Users.ForEachAsync(u => u.IsActive = false));
        using var browser = _app.NewBrowser();

        var (_, page) = await browser.OpenAsync(link);
        var request = await browser.RequestPasswordResetAsync(Email);

        Assert.Contains(EmailSupport.ExpiredLink, page);
        Assert.Equal("/Email/CheckInbox?for=password-reset", request.Location());
        await _sink.AssertNoMailToAsync(Email, _app);
    }

    [Fact]
    public async Task An_address_with_letters_beyond_ascii_gets_its_link_and_resets()
    {
        const string international = "zoë.müller@example.com";
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync(international);
        }
        using var browser = _app.NewBrowser();

        await browser.RequestPasswordResetAsync(international);

        var link = MailSink.LinkIn(await _sink.NextMailToAsync(international, "Reset your password"));
        Assert.Equal(Done, (await browser.ResetPasswordAsync(link, NewPassword)).Location());
        await browser.SignInAsync(international, NewPassword);
        Assert.True(await browser.IsSignedInAsync());
    }

    private async Task<Uri> RequestLinkAsync()
    {
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Email);
        return MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
    }

    private async Task<bool> SignsInAsync(string password)
    {
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email, password);
        return await browser.IsSignedInAsync();
    }
}
