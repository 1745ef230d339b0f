using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// Mail goes through the outbox: a page that sends mail answers whether or not the mail server
// is up, and the mail goes out once it is back, once, by whichever instance sends it. Every mail
// is complete, from the configured sender, links only to the public address, and carries no
// link a stranger slipped into the request.
public partial class DeliverySpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(_sink.Settings);
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task While_the_mail_server_is_down_the_page_still_answers_and_the_mail_follows_once_it_is_back()
    {
        await _sink.StopAsync();
        using var browser = _app.NewBrowser();

        var response = await browser.RequestPasswordResetAsync(Email);

        Assert.Equal("/Email/CheckInbox?for=password-reset", response.Location());
        var (status, _) = await browser.GetAsync(response.Location()!);
        Assert.Equal(HttpStatusCode.OK, status);
        var failed = await _app.FailedAttemptsAsync("Reset your password");
        Assert.NotNull(failed.LastError);
        Assert.Null(failed.FailedAt);

        await _sink.StartAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        Assert.Equal("/Email/Done?what=password-reset", (await browser.ResetPasswordAsync(link, "a passphrase after the outage")).Location());
        await _app.OutboxSentAsync();
        await _sink.AssertNoMailToAsync(Email, _app, "Reset your password");
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task While_the_mail_server_stays_down_each_retry_waits_twice_as_long_as_the_one_before()
    {
        await _sink.StopAsync();
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Email);

        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var retryAt = await RetryAfterFailedAttemptAsync(attempt);
            waits.Add(retryAt - _app.Clock.GetUtcNow().UtcDateTime);
            // Not tried again a second before it is due (the sender looks every 200 ms of real time).
            _app.Clock.Advance(waits[^1] - TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(attempt, await _app.QueryAsync(db => db.EmailOutbox.Select(m => m.Attempts).SingleAsync()));
            if (attempt < 3)
            {
                _app.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], waits);
        // The server is back before the fourth attempt is due.
        await _sink.StartAsync();
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await _sink.NextMailToAsync(Email, "Reset your password"));
    }

    // When the sender will try again, once attempt number `attempt` has failed (a claimed mail's
    // next attempt is minutes away until the failure is written).
    private async Task<DateTime> RetryAfterFailedAttemptAsync(int attempt)
    {
        var deadline = DateTime.UtcNow + MailSink.DefaultWait;
        while (true)
        {
            var mail = await _app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync());
            if (mail.Attempts == attempt && mail.NextAttemptAt - _app.Clock.GetUtcNow().UtcDateTime < TimeSpan.FromMinutes(1))
            {
                return mail.NextAttemptAt;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Attempt {attempt} did not fail within {MailSink.DefaultWait.TotalSeconds} s: {mail.Attempts} attempt(s), next at {mail.NextAttemptAt:O}");
            await Task.Delay(100);
        }
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task A_mail_that_cannot_be_sent_for_two_days_is_given_up()
    {
        await _sink.StopAsync();
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Email);
        await _app.FailedAttemptsAsync("Reset your password");

        _app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow + MailSink.DefaultWait;
        while (await _app.QueryAsync(db => db.EmailOutbox.AnyAsync(m => m.FailedAt == null)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The mail was not given up within 30 s of passing Email:GiveUpAfter");
            await Task.Delay(100);
        }

        await _sink.StartAsync();
        _app.Clock.Advance(TimeSpan.FromHours(1));
        await _sink.AssertNoMailToAsync(Email);
        Assert.Null(await _app.QueryAsync(db => db.EmailOutbox.Select(m => m.SentAt).SingleAsync()));
    }

    [Fact]
    public async Task Mail_goes_out_at_once_after_the_change_it_is_about_not_at_the_next_poll()
    {
        var settings = _sink.Settings;
        settings["Email:PollInterval"] = "01:00:00";
        // An app of its own: the class's app polls its database every 0.2 s.
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.SignOutAsync();
        var soon = TimeSpan.FromSeconds(10);

        await browser.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password", soon));
        await browser.ResetPasswordAsync(link, "a passphrase set at once");
        await _sink.NextMailToAsync(Email, "Your password was reset", soon);
        await browser.SignInAsync(Email, "a passphrase set at once");
        await browser.RequestEmailChangeAsync("moved@example.com", "a passphrase set at once");
        await _sink.NextMailToAsync(Email, "A change of your email address was requested", soon);
        var change = MailSink.LinkIn(await _sink.NextMailToAsync("moved@example.com", "Confirm your new email address", soon));
        await browser.ConfirmAsync(change);
        await _sink.NextMailToAsync(Email, "Your email address was changed", soon);
    }

    [Fact]
    public async Task Every_kind_of_mail_has_both_bodies_comes_from_the_sender_and_links_only_to_the_public_address()
    {
        var settings = _sink.Settings;
        settings["Email:RequireConfirmedEmail"] = "true";
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();
        browser.Client.DefaultRequestHeaders.Host = "evil.example";
        await browser.RegisterAsync(Email);
        await browser.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Confirm your email address")));
        await browser.RegisterAsync(Email, "someone else's passphrase");
        await browser.RequestPasswordResetAsync("nobody@example.com");
        await browser.RequestPasswordResetAsync(Email);
        await browser.ResetPasswordAsync(MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password")), "a passphrase for every mail");
        await browser.SignInAsync(Email, "a passphrase for every mail");
        await browser.ChangePasswordAsync("a passphrase for every mail", "another passphrase for every mail");
        using (var other = app.NewBrowser())
        {
            await other.RegisterAsync("taken@example.com");
            await other.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync("taken@example.com", "Confirm your email address")));
        }
        await browser.RequestEmailChangeAsync("taken@example.com", "another passphrase for every mail");
        await browser.RequestEmailChangeAsync("moved@example.com", "another passphrase for every mail");
        await browser.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync("moved@example.com", "Confirm your new email address")));
        await app.OutboxSentAsync();

        var subjects = _sink.All.Select(m => m.Subject).ToHashSet();
        foreach (var subject in new[]
        {
            "Confirm your email address", "Someone tried to register with your address", "No account uses this address",
            "Reset your password", "Your password was reset", "Your password was changed", "An account already uses this address",
            "A change of your email address was requested", "Confirm your new email address", "Your email address was changed",
        })
        {
            Assert.Contains(subject, subjects);
        }
        Assert.All(_sink.All, mail =>
        {
            var what = $"\"{mail.Subject}\" to {mail.To}";
            Assert.Equal(MailSink.From, Assert.Single(mail.From.Mailboxes).Address);
            Assert.Single(mail.To.Mailboxes);
            Assert.False(string.IsNullOrWhiteSpace(mail.TextBody), $"{what} has no text body");
            Assert.False(string.IsNullOrWhiteSpace(mail.HtmlBody), $"{what} has no HTML body");
            Assert.False(string.IsNullOrEmpty(mail.MessageId), $"{what} has no Message-Id");
            foreach (Match link in AnyLink().Matches(mail.TextBody + WebUtility.HtmlDecode(mail.HtmlBody)))
            {
                Assert.True(link.Value.StartsWith(MailSink.PublicBaseUrl + "/", StringComparison.Ordinal), $"{what} links to {link.Value}");
            }
        });
    }

    [Fact]
    public async Task Mail_an_anonymous_request_causes_carries_no_link_the_requester_chose()
    {
        // Anyone can make the site mail any address (a reset, a registration); what they control
        // must not turn the site's own mail into their spam or phishing.
        const string Bait = "Mozilla/5.0 (Your account is at risk: secure it at https://spam.example/secure)";
        var settings = _sink.Settings;
        settings["Email:RequireConfirmedEmail"] = "true";
        await using var app = await TestApp.StartAsync(settings);
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("victim@example.com");
            await owner.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync("victim@example.com", "Confirm your email address")));
        }
        using var stranger = app.NewBrowser("203.0.113.50");
        stranger.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Bait);

        await stranger.RequestPasswordResetAsync("victim@example.com");
        await stranger.RequestPasswordResetAsync("bystander@example.com");
        await stranger.RegisterAsync("victim@example.com", "a stranger's passphrase here");

        foreach (var (to, subject) in new[]
        {
            ("victim@example.com", "Reset your password"),
            ("bystander@example.com", "No account uses this address"),
            ("victim@example.com", "Someone tried to register with your address"),
        })
        {
            var mail = await _sink.NextMailToAsync(to, subject);
            Assert.DoesNotContain("spam.example", mail.TextBody);
            Assert.DoesNotContain("spam.example", mail.HtmlBody);
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_send_each_mail_once()
    {
        await using var second = _app.Restart();
        await using var third = _app.Restart();
        var browsers = new[] { _app.NewBrowser(), second.NewBrowser(), third.NewBrowser() };

        foreach (var browser in browsers)
        {
            await browser.RequestPasswordResetAsync($"nobody-{Array.IndexOf(browsers, browser)}@example.com");
        }

        for (var i = 0; i < browsers.Length; i++)
        {
            await _sink.NextMailToAsync($"nobody-{i}@example.com", "No account uses this address");
        }
        await _app.OutboxSentAsync();
        for (var i = 0; i < browsers.Length; i++)
        {
            await _sink.AssertNoMailToAsync($"nobody-{i}@example.com", _app);
            browsers[i].Dispose();
        }
    }

    [GeneratedRegex("https?://[^\\s\"'<>]+")]
    private static partial Regex AnyLink();
}
