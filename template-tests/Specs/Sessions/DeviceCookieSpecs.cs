using Specs.Support;

namespace Specs.Sessions;

// The cookie that makes a browser known (for the new-browser mail): random, HttpOnly, sent only
// over HTTPS under a __Host- name outside Development, kept 400 days, and stored only hashed.
public class DeviceCookieSpecs
{
    [Fact]
    public async Task Outside_development_the_device_cookie_is_a_long_lived_host_cookie_stored_only_as_a_hash()
    {
        // Development first, which applies the migrations; then Production on the same database.
        await using var development = await TestApp.StartAsync();
        await using var production = development.Restart(environment: "Production");
        using var browser = production.NewBrowser();

        var registered = await browser.RegisterAsync("grace@example.com");

        var cookie = Assert.Single(SetCookies(registered), c => c.StartsWith("__Host-Sessions.Device="));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains($"max-age={(int)TimeSpan.FromDays(400).TotalSeconds}", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain="));
        var value = cookie.Split(';')[0]["__Host-Sessions.Device=".Length..];
        Assert.Equal(43, value.Length);
        var stored = Assert.Single(await production.QueryAsync(db => Task.FromResult(db.KnownDevices.Select(d => d.DeviceIdHash).ToList())));
        Assert.NotEqual(value, stored);
        Assert.DoesNotContain(value, stored);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(value))), stored);
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
