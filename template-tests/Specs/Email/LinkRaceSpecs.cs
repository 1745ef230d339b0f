using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// A link posted many times at once (a double click, a copied link, two tabs) still works once,
// and two accounts confirming one address at once never both get it.
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
