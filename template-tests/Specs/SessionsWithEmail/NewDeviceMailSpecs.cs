using Microsoft.EntityFrameworkCore;
using Specs.Email;
using Specs.Sessions;
using Specs.Support;

namespace Specs.SessionsWithEmail;

// A sign-in from a browser the user has not used before mails them, with the browser, where and
// when, and a link to /Sessions; registering, and later sign-ins from that browser, do not.
public class NewDeviceMailSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string Subject = "A new sign-in to your account";
    private MailSink _sink = null!;

    public ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task The_first_sign_in_from_a_new_browser_mails_the_user_once()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        await laptop.RegisterAsync(Email);
        await laptop.SignOutAsync();
        await laptop.SignInAsync(Email);
        // Registering, and signing in again from the same browser, mail nothing.
        await _sink.AssertNoMailToAsync(Email, app);
        using var phone = app.NewBrowser("198.51.100.61").WithUserAgent(SessionsSupport.IPhoneSafari);

        await phone.SignInAsync(Email);

        var mail = await _sink.NextMailToAsync(Email, Subject);
        Assert.Contains("Browser: Safari on iPhone", mail.TextBody);
        Assert.Contains("IP address: 198.51.100.61", mail.TextBody);
        Assert.Contains($"When: {app.Clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC", mail.TextBody);
        Assert.Equal(new Uri(MailSink.PublicBaseUrl + "/Sessions"), MailSink.LinkIn(mail));

        await phone.SignOutAsync();
        await phone.SignInAsync(Email);
        await _sink.AssertNoMailToAsync(Email, app);
    }

    [Fact]
    public async Task A_browser_known_for_one_user_is_new_for_another()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var shared = app.NewBrowser();
        await shared.RegisterAsync("grace@example.com");
        await shared.SignOutAsync();
        using (var own = app.NewBrowser())
        {
            await own.RegisterAsync(Email);
        }

        await shared.SignInAsync(Email);

        await _sink.NextMailToAsync(Email, Subject);
    }

    [Fact]
    public async Task With_confirmation_required_the_first_sign_in_after_confirming_mails_nothing_and_the_next_new_browser_does()
    {
        await using var app = await TestApp.StartAsync(new(_sink.Settings) { ["Email:RequireConfirmedEmail"] = "true" });
        using var laptop = app.NewBrowser();
        await laptop.RegisterAsync(Email);
        // Confirmed from the phone, where the mail was read; then signed in on the laptop.
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await phone.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Confirm your email address")));
        await laptop.SignInAsync(Email);
        Assert.True(await laptop.IsSignedInAsync());
        await _sink.AssertNoMailToAsync(Email, app, Subject);

        await phone.SignInAsync(Email);

        Assert.Contains("Safari on iPhone", (await _sink.NextMailToAsync(Email, Subject)).TextBody);
    }

    [Fact]
    public async Task After_a_password_reset_every_browser_is_new_again()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var laptop = app.NewBrowser();
        await laptop.RegisterAsync(Email);
        await laptop.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        await laptop.ResetPasswordAsync(link, "a brand new passphrase 9");
        await _sink.NextMailToAsync(Email, "Your password was reset");

        await laptop.SignInAsync(Email, "a brand new passphrase 9");

        await _sink.NextMailToAsync(Email, Subject);
    }

    [Fact]
    public async Task An_account_unused_so_long_that_its_sessions_were_purged_is_still_mailed_for_a_new_browser()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using (var laptop = app.NewBrowser())
        {
            await laptop.RegisterAsync(Email);
            await laptop.SignOutAsync();
        }
        await app.QueryAsync(db => db.UserSessions.ExecuteDeleteAsync());

        using var stranger = app.NewBrowser("198.51.100.99");
        await stranger.SignInAsync(Email);

        Assert.Contains("IP address: 198.51.100.99", (await _sink.NextMailToAsync(Email, Subject)).TextBody);
    }

    [Fact]
    public async Task Sessions_NewDeviceEmail_false_sends_no_such_mail()
    {
        await using var app = await TestApp.StartAsync(new(_sink.Settings) { ["Sessions:NewDeviceEmail"] = "false" });
        using (var laptop = app.NewBrowser())
        {
            await laptop.RegisterAsync(Email);
        }
        using var phone = app.NewBrowser();

        await phone.SignInAsync(Email);

        Assert.True(await phone.IsSignedInAsync());
        await _sink.AssertNoMailToAsync(Email, app);
    }
}
