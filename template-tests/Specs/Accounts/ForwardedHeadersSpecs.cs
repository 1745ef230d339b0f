using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Specs.Support;

namespace Specs.Accounts;

// Some container hosts set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which makes the framework
// believe X-Forwarded-* from every peer. Only proxies listed in ForwardedHeaders are believed.
public class ForwardedHeadersSpecs
{
    // ASPNETCORE_FORWARDEDHEADERS_ENABLED as the framework reads it from configuration.
    private const string HostSwitch = "FORWARDEDHEADERS_ENABLED";

    [Fact]
    public async Task With_the_host_switch_on_and_no_proxies_configured_a_client_cannot_dodge_the_ip_limit()
    {
        await using var app = await TestApp.StartAsync(new() { [HostSwitch] = "true", ["Accounts:IpFailureLimit"] = "3" });
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("joan@example.com");
        await browser.SignOutAsync();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            browser.Client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{attempt}");
            await browser.SignInAsync($"guess{attempt}@example.com", "some guessed password");
        }
        browser.Client.DefaultRequestHeaders.Remove("X-Forwarded-For");
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.200");
        var response = await browser.SignInAsync("joan@example.com");

        Assert.Contains("Too many failed sign-ins from your network", await Browser.HtmlAsync(response));
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task With_the_host_switch_on_and_no_proxies_configured_the_app_warns_at_start_up()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(new() { [HostSwitch] = "true" }, logs.AddTo);
        using var browser = app.NewBrowser();
        await browser.GetAsync("/");

        var warning = Assert.Single(Warnings(logs), w => w.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED"));
        Assert.Contains("ForwardedHeaders:KnownProxies", warning);
    }

    [Fact]
    public async Task Without_the_host_switch_or_proxies_nothing_is_said_about_forwarded_headers()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(services: logs.AddTo);
        using var browser = app.NewBrowser();
        await browser.GetAsync("/");

        Assert.DoesNotContain(Warnings(logs), w => w.Contains("ForwardedHeaders"));
    }

    [Theory]
    [InlineData("true", "", "192.0.2.1", HttpStatusCode.TemporaryRedirect)]
    [InlineData("", "", "192.0.2.1", HttpStatusCode.TemporaryRedirect)]
    [InlineData("true", "10.0.0.5", "192.0.2.1", HttpStatusCode.TemporaryRedirect)]
    [InlineData("true", "10.0.0.5", "10.0.0.5", HttpStatusCode.OK)]
    [InlineData("", "10.0.0.5", "10.0.0.5", HttpStatusCode.OK)]
    public async Task X_forwarded_proto_is_believed_only_from_a_configured_proxy(string hostSwitch, string knownProxy, string peer, HttpStatusCode status)
    {
        // Development first, which applies the migrations; Production redirects http to https.
        await using var development = await TestApp.StartAsync();
        var settings = new Dictionary<string, string> { [HostSwitch] = hostSwitch, ["https_port"] = "443" };
        if (knownProxy != "")
        {
            settings["ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }
        await using var production = development.Restart(settings, environment: "Production");
        using var browser = production.NewBrowser();
        browser.Client.BaseAddress = new Uri("http://localhost");
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, peer);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await browser.Client.GetAsync("/Accounts/Login");

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_that_ends_tls_forms_and_secure_cookies_work_outside_development()
    {
        await using var development = await TestApp.StartAsync();
        await using var production = development.Restart(new() { ["https_port"] = "443", ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5" }, environment: "Production");
        // The browser speaks https to the proxy, which speaks http to the app.
        using var browser = production.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.SchemeHeader, "http");
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, "10.0.0.5");
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var registered = await browser.RegisterAsync("proxied@example.com");

        Assert.True(registered.IsRedirect(), $"{(int)registered.StatusCode}: {await Browser.HtmlAsync(registered)}");
        Assert.Contains(registered.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-Accounts.Session=") && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        var session = await production.QueryAsync(db => db.UserSessions.SingleAsync());
        Assert.Equal("203.0.113.9", session.IpAddress);
    }

    private static IEnumerable<string> Warnings(CapturedLogs logs) =>
        logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message);
}
