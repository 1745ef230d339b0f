using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Email;

// Asking for a reset link: one mail per request, on the app's public address whatever the
// request says its host is, and an answer that tells nobody whether the address has an account.
public partial class ForgotPasswordSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string CheckInbox = "/Email/CheckInbox?for=password-reset";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(Settings(), services => services.AddSingleton<IStartupFilter, HostEcho>());
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task A_request_sends_exactly_one_mail_whose_link_is_on_the_public_address_even_with_a_forged_host()
    {
        using var browser = _app.NewBrowser();
        browser.Client.DefaultRequestHeaders.Host = "evil.example";
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        Assert.Equal("evil.example", await browser.Client.GetStringAsync(HostEcho.Path));

        var response = await browser.RequestPasswordResetAsync(Email);

        Assert.Equal(CheckInbox, response.Location());
        var mail = await _sink.NextMailToAsync(Email, "Reset your password");
        var link = MailSink.LinkIn(mail);
        Assert.Equal(MailSink.PublicBaseUrl, link.GetLeftPart(UriPartial.Authority));
        Assert.Equal("/Email/ResetPassword", link.AbsolutePath);
        Assert.Matches("^\\?token=[A-Za-z0-9_-]{43}$", link.Query);
        Assert.DoesNotContain("evil.example", mail.TextBody + mail.HtmlBody);
        Assert.Contains($"href=\"{link.OriginalString}\"", WebUtility.HtmlDecode(mail.HtmlBody));
        Assert.Equal(MailSink.From, Assert.Single(mail.From.Mailboxes).Address);
        await _sink.AssertNoMailToAsync(Email, _app);
    }

    [Fact]
    public async Task A_known_and_an_unknown_address_get_the_same_answer_and_the_same_page()
    {
        using var browser = _app.NewBrowser();

        var known = await browser.RequestPasswordResetAsync(Email);
        var unknown = await browser.RequestPasswordResetAsync("nobody@example.com");

        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(CheckInbox, known.Location());
        Assert.Equal(CheckInbox, unknown.Location());
        var (knownStatus, knownPage) = await browser.GetAsync(known.Location()!);
        var (unknownStatus, unknownPage) = await browser.GetAsync(unknown.Location()!);
        Assert.Equal(HttpStatusCode.OK, knownStatus);
        Assert.Equal(knownStatus, unknownStatus);
        Assert.Equal(EmailSupport.WithoutTokens(knownPage), EmailSupport.WithoutTokens(unknownPage));
        Assert.DoesNotContain(Email, knownPage);
    }

    [Fact]
    public async Task An_unknown_address_is_told_that_no_account_uses_it_and_gets_no_link()
    {
        using var browser = _app.NewBrowser();

        await browser.RequestPasswordResetAsync("Nobody@Example.com");

        var mail = await _sink.NextMailToAsync("nobody@example.com", "No account uses this address");
        Assert.DoesNotContain("token=", mail.TextBody + mail.HtmlBody);
        Assert.Empty(await _app.QueryAsync(db => db.EmailTokens.ToListAsync()));
    }

    [Fact]
    public async Task With_MailUnknownAccounts_off_an_unknown_address_gets_no_mail()
    {
        await using var quiet = _app.Restart(Settings(("Email:MailUnknownAccounts", "false")));
        using var browser = quiet.NewBrowser();

        var response = await browser.RequestPasswordResetAsync("nobody@example.com");

        Assert.Equal(CheckInbox, response.Location());
        await _sink.AssertNoMailToAsync("nobody@example.com", quiet);
    }

    [Fact]
    public async Task The_sixth_request_for_one_address_within_an_hour_sends_nothing_and_answers_the_same()
    {
        // Two minutes before a full hour, so the five requests span it: an hour means the last
        // sixty minutes, not the current clock hour.
        var now = _app.Clock.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        _app.Clock.SetUtcNow(hourStart.AddMinutes(now.Minute < 58 ? 58 : 118));
        using var browser = _app.NewBrowser();
        for (var request = 1; request <= 5; request++)
        {
            Assert.Equal(CheckInbox, (await browser.RequestPasswordResetAsync(Email)).Location());
            await _sink.NextMailToAsync(Email, "Reset your password");
            _app.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        // Another browser and another network: the limit is the address's, not the client's.
        using var elsewhere = _app.NewBrowser("198.51.100.30");
        var sixth = await elsewhere.RequestPasswordResetAsync(Email.ToUpperInvariant());

        Assert.Equal(CheckInbox, sixth.Location());
        await _sink.AssertNoMailToAsync(Email, _app);

        // Still an hour after the first request: four mails are in the last sixty minutes.
        _app.Clock.Advance(TimeSpan.FromMinutes(36));
        Assert.Equal(CheckInbox, (await browser.RequestPasswordResetAsync(Email)).Location());
        await _sink.NextMailToAsync(Email, "Reset your password");
        Assert.Equal(CheckInbox, (await browser.RequestPasswordResetAsync(Email)).Location());
        await _sink.AssertNoMailToAsync(Email, _app);

        // An hour after the last of them.
        _app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(CheckInbox, (await browser.RequestPasswordResetAsync(Email)).Location());
        await _sink.NextMailToAsync(Email, "Reset your password");
    }

    [Fact]
    public async Task Past_the_limit_for_one_network_the_form_answers_429_and_mails_nothing()
    {
        // The form counts with the registration form (Accounts:RegistrationLimit per network).
        await using var limited = _app.Restart(Settings(("Accounts:RegistrationLimit", "3")));
        using var browser = limited.NewBrowser("198.51.100.40");
        for (var request = 1; request <= 3; request++)
        {
            Assert.Equal(CheckInbox, (await browser.RequestPasswordResetAsync($"someone-{request}@example.com")).Location());
        }

        var fourth = await browser.RequestPasswordResetAsync("someone-4@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        await _sink.AssertNoMailToAsync("someone-4@example.com", limited);
        using var otherNetwork = limited.NewBrowser("203.0.113.9");
        Assert.Equal(CheckInbox, (await otherNetwork.RequestPasswordResetAsync("someone-5@example.com")).Location());
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task The_outbox_keeps_neither_the_link_nor_its_token_and_forgets_the_body_once_sent()
    {
        await _sink.StopAsync();
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Email);
        var queued = await _app.FailedAttemptsAsync("Reset your password");
        var storedToken = await _app.QueryAsync(db => db.EmailTokens.AsNoTracking().SingleAsync());

        await _sink.StartAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        var token = link.Query["?token=".Length..];

        Assert.Equal(Email, queued.To);
        Assert.NotNull(queued.ProtectedBody);
        foreach (var secret in new[] { token, link.ToString(), link.PathAndQuery, "ResetPassword" })
        {
            Assert.DoesNotContain(secret, queued.ProtectedBody);
        }
        Assert.Equal("PasswordReset", storedToken.Purpose);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token))), storedToken.TokenHash, ignoreCase: true);
        Assert.DoesNotContain(token, storedToken.TokenHash);
        await _app.OutboxSentAsync();
        var sent = await _app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync());
        Assert.NotNull(sent.SentAt);
        Assert.Null(sent.ProtectedBody);
    }

    [Fact]
    public async Task The_sign_in_page_offers_a_reset_link()
    {
        using var browser = _app.NewBrowser();

        var (_, page) = await browser.GetAsync("/Accounts/Login");

        var link = ForgotLink().Match(page);
        Assert.True(link.Success, "The sign-in page has no \"Forgot your password?\" link");
        Assert.StartsWith("/Email/ForgotPassword", link.Groups[1].Value);
        var (status, form) = await browser.GetAsync(link.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("name=\"Input.Email\"", form);
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = _sink.Settings;
        // Many requests from one client address; the per-address limits have their own specs.
        settings["Accounts:FormPostLimit"] = "1000";
        settings["Accounts:RegistrationLimit"] = "1000";
        settings["Accounts:SignInLimit"] = "1000";
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [GeneratedRegex("<a[^>]*href=\"([^\"]*)\"[^>]*>\\s*Forgot your password\\?\\s*</a>")]
    private static partial Regex ForgotLink();

    // GET /specs/host answers with the host the app sees, so the spec knows its forgery arrived.
    private sealed class HostEcho : IStartupFilter
    {
        public const string Path = "/specs/host";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.MapWhen(context => context.Request.Path == Path, branch => branch.Run(context => context.Response.WriteAsync(context.Request.Host.Value ?? "")));
            next(app);
        };
    }
}
