using System.Net;
using Specs.Support;

namespace Specs.Sessions;

// /Sessions: a user sees each browser they are signed in with and can sign any other one out.
public class SessionListSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task Both_browsers_are_listed_by_name_and_address_with_this_device_marked()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser("198.51.100.7").WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser("192.0.2.44").WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        var (status, html) = await laptop.GetAsync("/Sessions");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Firefox on Windows", html);
        Assert.Contains("Safari on iPhone", html);
        Assert.Contains("198.51.100.7", html);
        Assert.Contains("192.0.2.44", html);
        Assert.Contains("Password", html);
        Assert.Equal(1, CountOf(html, "This device"));
        // The badge is on the laptop's row, which comes with a link to sign out instead of a button.
        var laptopRow = RowOf(html, "Firefox on Windows");
        Assert.Contains("This device", laptopRow);
        Assert.DoesNotContain("This device", RowOf(html, "Safari on iPhone"));
        Assert.DoesNotContain("This device", RowOf((await phone.GetAsync("/Sessions")).Html, "Firefox on Windows"));
    }

    [Fact]
    public async Task Signing_out_the_other_browser_sends_it_to_the_sign_in_page_at_its_next_request()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        var phoneSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);

        var response = await laptop.EndSessionAsync(phoneSession);

        Assert.True(response.IsRedirect());
        var html = (await laptop.GetAsync("/Sessions")).Html;
        Assert.Contains("That browser is signed out.", html);
        Assert.Contains("Signed out from another browser", RowOf(html, "Safari on iPhone"));
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await laptop.IsSignedInAsync());
    }

    [Fact]
    public async Task Sign_out_all_others_keeps_only_this_browser()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        using var tablet = app.NewBrowser();
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        await tablet.SignInAsync(Email);

        Assert.True((await laptop.EndOtherSessionsAsync()).IsRedirect());

        Assert.False(await phone.IsSignedInAsync());
        Assert.False(await tablet.IsSignedInAsync());
        Assert.True(await laptop.IsSignedInAsync());
        Assert.Single(await app.SessionsOfAsync(Email), s => s.EndedAt == null);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_the_list_says_why()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        await laptop.ChangePasswordAsync(Browser.StrongPassword, "another strong passphrase 7");

        Assert.False(await phone.IsSignedInAsync());
        var html = (await laptop.GetAsync("/Sessions")).Html;
        Assert.Contains("Password changed", RowOf(html, "Safari on iPhone"));
        Assert.Contains("This device", RowOf(html, "Firefox on Windows"));
    }

    [Fact]
    public async Task A_user_cannot_end_a_session_of_someone_else()
    {
        await using var app = await TestApp.StartAsync();
        using var mallory = app.NewBrowser();
        using var victim = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await mallory.RegisterAsync("mallory@example.com");
        await victim.RegisterAsync(Email);
        var victimSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);

        var response = await mallory.EndSessionAsync(victimSession);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That session had already ended.", await Browser.HtmlAsync(response));
        Assert.True(await victim.IsSignedInAsync());
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        await using var app = await TestApp.StartAsync();
        using var visitor = app.NewBrowser();

        var response = await visitor.Client.GetAsync("/Sessions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Accounts/Login", response.Headers.Location!.PathAndQuery);
    }

    private static int CountOf(string html, string text) => (html.Length - html.Replace(text, "").Length) / text.Length;

    // The table row that names the browser.
    public static string RowOf(string html, string device)
    {
        var at = html.IndexOf(device, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no row names {device}");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        var end = html.IndexOf("</tr>", at, StringComparison.Ordinal);
        return html[start..end];
    }
}
