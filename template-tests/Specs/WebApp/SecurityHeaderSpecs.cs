using System.Net;
using Specs.Support;

namespace Specs.WebApp;

// mu-webapp's Program.cs sends these on every response: no framing by other sites, no guessing of
// content types, no full URL of this site sent to others in Referer.
public class SecurityHeaderSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/Accounts/Login", HttpStatusCode.OK)]
    [InlineData("/Accounts/ChangePassword", HttpStatusCode.Redirect)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/favicon.ico", HttpStatusCode.OK)]
    [InlineData("/no/such/page", HttpStatusCode.NotFound)]
    public async Task Every_kind_of_response_carries_the_security_headers(string path, HttpStatusCode status)
    {
        using var browser = _app.NewBrowser();

        var response = await browser.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_refused_post_carries_the_security_headers()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.PostAsync("/Accounts/Login", new() { ["Input.Email"] = "no-token@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Outside_development_the_redirect_to_https_carries_the_security_headers()
    {
        // The test server has no HTTPS port of its own to redirect to.
        await using var production = _app.Restart(new() { ["https_port"] = "443" }, environment: "Production");
        using var browser = production.NewBrowser();
        browser.Client.BaseAddress = new Uri("http://localhost");

        var response = await browser.Client.GetAsync("/Accounts/Login");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https", response.Headers.Location!.Scheme);
        AssertSecurityHeaders(response);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("frame-ancestors 'self'", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
