using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// The default policy: at least 15 characters counted as Unicode code points (NIST SP 800-63B-4),
// and a shipped list of the most common passwords refused whatever their case.
public class PasswordPolicySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("quiet harbor 7")]
    // 14 code points written as 15 UTF-16 chars: the emoji is one character to the person typing it.
    [InlineData("quiet harbor \U0001F600")]
    public async Task A_password_of_14_code_points_is_refused_with_the_minimum(string password)
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("ada@example.com", password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Use at least 15 characters", await Browser.HtmlAsync(response));
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [InlineData("quiet harbor 78")]
    [InlineData("quiet harbor 7\U0001F600")]
    // A flag is one symbol on screen but two code points: 13 + 2 = 15.
    [InlineData("quiet harbor \U0001F1F3\U0001F1F1")]
    public async Task A_password_of_15_code_points_is_accepted(string password)
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("ada@example.com", password);

        Assert.True(response.IsRedirect(), await Browser.HtmlAsync(response));
        Assert.Equal(1, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    // Rank 3,191 of the shipped list, long enough for the default minimum; typed in another case.
    [InlineData("PolniyPizdec0211")]
    [InlineData("MAILCREATED5240")]
    public async Task A_long_password_from_the_common_list_is_refused_in_any_case(string password)
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("ada@example.com", password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one of the most commonly used", await Browser.HtmlAsync(response));
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    // Ranks 9,000, 9,003 and 9,941 of the shipped list, refused once a shorter minimum lets them be tried.
    [InlineData("Trooper1")]
    [InlineData("papamama")]
    [InlineData("GreedIsGood")]
    public async Task A_password_from_deep_in_the_common_list_is_refused_with_the_reason(string password)
    {
        await using var shorter = _app.Restart(new() { ["Accounts:PasswordMinLength"] = "8" });
        using var browser = shorter.NewBrowser();

        var response = await browser.RegisterAsync("ada@example.com", password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one of the most commonly used", await Browser.HtmlAsync(response));
        Assert.Equal(0, await shorter.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task With_a_shorter_minimum_an_uncommon_password_of_that_length_is_accepted()
    {
        await using var shorter = _app.Restart(new() { ["Accounts:PasswordMinLength"] = "8" });
        using var browser = shorter.NewBrowser();

        var response = await browser.RegisterAsync("ada@example.com", "vq7-hlrz");

        Assert.True(response.IsRedirect(), await Browser.HtmlAsync(response));
    }
}
