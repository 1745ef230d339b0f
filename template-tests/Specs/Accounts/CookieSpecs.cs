using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

// Outside Development every cookie the app sets is HTTPS-only and named __Host-, so a browser
// refuses it from http, from a subdomain, or with a Domain or a Path other than "/".
public class CookieSpecs : IAsyncLifetime
{
    private const string StepPerson = "stepper@example.com";
    private TestApp _development = null!;
    private TestApp _production = null!;

    // Development first, which applies the migrations; then Production on the same database.
    public async ValueTask InitializeAsync()
    {
        _development = await TestApp.StartAsync(services: services => services.AddScoped<ISignInChallenge, StepForOnePerson>());
        _production = _development.Restart(environment: "Production");
    }

    public async ValueTask DisposeAsync()
    {
        await _production.DisposeAsync();
        await _development.DisposeAsync();
    }

    [Fact]
    public async Task Outside_development_the_session_cookie_is_a_host_cookie_and_sign_in_still_works()
    {
        using var browser = _production.NewBrowser();

        var registered = await browser.RegisterAsync("grace@example.com");
        await browser.SignOutAsync();
        var signedIn = await browser.SignInAsync("grace@example.com");

        AssertHostCookie(registered, "__Host-Accounts.Session", sameSite: "lax");
        AssertHostCookie(signedIn, "__Host-Accounts.Session", sameSite: "lax");
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Outside_development_the_cookie_between_password_and_sign_in_step_is_a_host_cookie()
    {
        using (var registering = _production.NewBrowser())
        {
            await registering.RegisterAsync(StepPerson);
        }
        using var browser = _production.NewBrowser();

        var response = await browser.SignInAsync(StepPerson);

        Assert.True(response.IsRedirect());
        AssertHostCookie(response, "__Host-Accounts.Pending", sameSite: "lax");
    }

    [Fact]
    public async Task Outside_development_the_antiforgery_cookie_is_a_host_cookie()
    {
        using var browser = _production.NewBrowser();

        var response = await browser.Client.GetAsync("/Accounts/Login");

        // SameSite=Strict is the framework's default for this cookie, stricter than Lax.
        AssertHostCookie(response, "__Host-Antiforgery", sameSite: "strict");
    }

    [Fact]
    public async Task Outside_development_every_cookie_the_app_sets_is_a_host_cookie()
    {
        using var browser = _production.NewBrowser();

        var responses = new List<HttpResponseMessage>
        {
            await browser.Client.GetAsync("/Accounts/Login"),
            await browser.RegisterAsync("hopper@example.com"),
            // Its status message travels in the TempData cookie to the next page.
            await browser.ChangePasswordAsync(Browser.StrongPassword, "another long passphrase here"),
        };
        responses.Add(await browser.Client.GetAsync("/Accounts/ChangePassword"));

        var cookies = responses.SelectMany(SetCookies).ToList();
        Assert.Contains(cookies, c => c.StartsWith("__Host-TempData="));
        Assert.All(cookies, c => Assert.StartsWith("__Host-", c));
        AssertHostCookie(responses[2], "__Host-TempData", sameSite: "lax");
    }

    [Fact]
    public async Task In_development_cookies_keep_names_that_work_over_http()
    {
        using var browser = _development.NewBrowser();
        browser.Client.BaseAddress = new Uri("http://localhost");

        var form = await browser.Client.GetAsync("/Accounts/Login");
        var registered = await browser.RegisterAsync("ada@example.com");

        Assert.DoesNotContain(SetCookies(form).Concat(SetCookies(registered)), c => c.StartsWith("__Host-"));
        Assert.Contains(SetCookies(registered), c => c.StartsWith("Accounts.Session="));
        Assert.True(await browser.IsSignedInAsync());
    }

    private static void AssertHostCookie(HttpResponseMessage response, string name, string sameSite)
    {
        var cookie = Assert.Single(SetCookies(response), c => c.StartsWith(name + "="));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=" + sameSite, attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain="));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private sealed class StepForOnePerson : ISignInChallenge
    {
        public Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken) =>
            Task.FromResult(user.Email == StepPerson ? "/Accounts/AccessDenied" : null);
    }
}
