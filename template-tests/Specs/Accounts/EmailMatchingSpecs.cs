using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// Two typed addresses meet in one account only when a mail server would deliver them to one
// mailbox: ASCII letters in any case. Unicode case folding and compatibility forms would join
// addresses that are different mailboxes, and let one person sign up as, or be mistaken for, another.
public class EmailMatchingSpecs : IAsyncLifetime
{
    private const string OtherPassword = "another violet stapler 43";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("support@example.com", "\u017Fupport@example.com")] // ſ, long s: upper case is S
    [InlineData("kelvin@example.com", "\u212Aelvin@example.com")] // Kelvin sign: K under NFC
    [InlineData("\u03A9@example.com", "\u2126@example.com")] // Ohm sign: Greek Omega under NFC
    public async Task Addresses_that_only_unicode_folding_makes_equal_are_two_accounts(string first, string second)
    {
        using var owner = _app.NewBrowser();
        using var lookalike = _app.NewBrowser();
        await owner.RegisterAsync(first);
        await owner.SignOutAsync();

        var registered = await lookalike.RegisterAsync(second, OtherPassword);
        await lookalike.SignOutAsync();

        Assert.True(registered.IsRedirect(), await Browser.HtmlAsync(registered));
        Assert.Equal(2, await _app.QueryAsync(db => db.Users.CountAsync()));
        await lookalike.SignInAsync(second, Browser.StrongPassword);
        Assert.False(await lookalike.IsSignedInAsync());
        await owner.SignInAsync(first, OtherPassword);
        Assert.False(await owner.IsSignedInAsync());
        await lookalike.SignInAsync(second, OtherPassword);
        Assert.True(await lookalike.IsSignedInAsync());
        Assert.Equal(second, (await _app.QueryAsync(db => db.Users.SingleAsync(u => u.Email == second))).Email);
    }

    [Theory]
    [InlineData("Support@Example.COM", "support@example.com")]
    [InlineData("  grace@example.com ", "GRACE@EXAMPLE.COM")]
    public async Task Addresses_differing_only_in_ascii_case_are_one_account(string registeredAs, string typed)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(registeredAs);
        await browser.SignOutAsync();

        var again = await browser.RegisterAsync(typed, OtherPassword);
        await browser.SignInAsync(typed);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("An account with this email already exists", await Browser.HtmlAsync(again));
        Assert.True(await browser.IsSignedInAsync());
        Assert.Equal(1, await _app.QueryAsync(db => db.Users.CountAsync()));
    }
}
