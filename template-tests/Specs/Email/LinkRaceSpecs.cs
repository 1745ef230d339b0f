using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// A link posted many times at once (a double click, a copied link, two tabs) still works once,
// two accounts confirming one address at once never both get it, and a burst of requests for
// one address sends no more mail than the per-address limit.
public class LinkRaceSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        var settings = _sink.Settings;
        settings["Accounts:FormPostLimit"] = "1000";
        _app = await TestApp.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task A_reset_link_posted_ten_times_at_once_sets_one_password()
    {
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
            await owner.RequestPasswordResetAsync(Email);
        }
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        var tabs = Enumerable.Range(0, 10).Select(_ => _app.NewBrowser()).ToList();
        var forms = await Task.WhenAll(tabs.Select(tab => tab.OpenFormAsync(link)));

        var responses = await Task.WhenAll(tabs.Select((tab, i) => tab.PostResetFormAsync(link, forms[i], $"the passphrase of tab number {i}")));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        var winner = Assert.Single(responses, r => r.IsRedirect());
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email, $"the passphrase of tab number {Array.IndexOf(responses, winner)}");
        Assert.True(await browser.IsSignedInAsync());
        Assert.Single(await _app.QueryAsync(db => db.EmailTokens.Where(t => t.UsedAt != null).ToListAsync()));
        tabs.ForEach(tab => tab.Dispose());
    }

    [Fact]
    public async Task Twenty_reset_requests_for_one_address_at_once_send_no_more_than_the_limit()
    {
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
        }
        // From twenty networks: the per-network limit has its own spec.
        var browsers = Enumerable.Range(0, 20).Select(i => _app.NewBrowser($"198.51.100.{i + 1}")).ToList();
        var forms = await Task.WhenAll(browsers.Select(b => b.ReadFormAsync("/Email/ForgotPassword")));

        var responses = await Task.WhenAll(browsers.Select((b, i) => b.PostAsync("/Email/ForgotPassword", new(forms[i]) { ["Input.Email"] = Email })));

        Assert.All(responses, r => Assert.Equal("/Email/CheckInbox?for=password-reset", r.Location()));
        await _app.OutboxSentAsync();
        var queued = await _app.QueryAsync(db => db.EmailOutbox.CountAsync(m => m.Subject == "Reset your password"));
        Assert.True(queued <= 5, $"{queued} reset mails for one address; Email:RequestsPerAddress is 5");
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task Twenty_registrations_of_one_taken_address_at_once_tell_the_owner_once()
    {
        await using var confirming = _app.Restart(new(_sink.Settings) { ["Email:RequireConfirmedEmail"] = "true" });
        using (var owner = confirming.NewBrowser())
        {
            await owner.RegisterAsync(Email);
        }
        await _sink.NextMailToAsync(Email, "Confirm your email address");
        var browsers = Enumerable.Range(0, 20).Select(i => confirming.NewBrowser($"198.51.100.{i + 1}")).ToList();

        var responses = await Task.WhenAll(browsers.Select(b => b.RegisterAsync(Email, "a stranger's passphrase here")));

        Assert.All(responses, r => Assert.Equal("/Email/CheckInbox?for=registration", r.Location()));
        await confirming.OutboxSentAsync();
        Assert.Equal(1, await confirming.QueryAsync(db => db.Users.CountAsync()));
        var told = await confirming.QueryAsync(db => db.EmailOutbox.CountAsync(m => m.Subject == "Someone tried to register with your address"));
        Assert.True(told == 1, $"The owner was told {told} times; one mail per Email:RequestWindow");
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task Two_accounts_confirming_one_address_at_once_never_both_get_it()
    {
        var links = new List<Uri>();
        var browsers = new List<Browser>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var browser = _app.NewBrowser();
            await browser.RegisterAsync($"{name}@example.com");
            await browser.RequestEmailChangeAsync("wanted@example.com");
            links.Add(MailSink.LinkIn(await _sink.NextMailToAsync("wanted@example.com", "Confirm your new email address")));
            browsers.Add(browser);
        }
        var forms = await Task.WhenAll(browsers.Select((b, i) => b.OpenFormAsync(links[i])));

        var responses = await Task.WhenAll(browsers.Select((b, i) => b.PostAsync(links[i].PathAndQuery, forms[i])));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        Assert.Single(responses, r => r.IsRedirect());
        var emails = await _app.QueryAsync(db => db.Users.Select(u => u.NormalizedEmail).ToListAsync());
        Assert.Single(emails, e => e == "WANTED@EXAMPLE.COM");
        Assert.Equal(3, emails.Count);
        browsers.ForEach(b => b.Dispose());
    }
}
