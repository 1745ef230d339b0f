using Specs.Support;

namespace Specs.Logs;

// X-Forwarded-For is believed only from a proxy listed in ForwardedHeaders:KnownProxies, whatever
// ASPNETCORE_FORWARDEDHEADERS_ENABLED says.
public class ClientAddressSpecs
{
    // ASPNETCORE_FORWARDEDHEADERS_ENABLED as the framework reads it: some container hosts set it.
    private const string HostSwitch = "FORWARDEDHEADERS_ENABLED";

    [Theory]
    [InlineData("", "10.0.0.5", "203.0.113.9", "203.0.113.9")]
    [InlineData("", "198.51.100.7", "203.0.113.9", "198.51.100.7")]
    [InlineData("", "127.0.0.1", "203.0.113.9", "127.0.0.1")]
    [InlineData("true", "10.0.0.5", "203.0.113.9", "203.0.113.9")]
    [InlineData("true", "198.51.100.7", "203.0.113.9", "198.51.100.7")]
    [InlineData("true", "10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9")]
    public async Task The_recorded_ip_comes_from_a_trusted_proxy_or_from_the_connection(string hostSwitch, string peer, string forwardedFor, string recorded)
    {
        await using var app = await TestApp.StartAsync(new() { [HostSwitch] = hostSwitch, ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5" });

        var ip = await FailedSignInIpAsync(app, peer, forwardedFor);

        Assert.Equal(recorded, ip);
    }

    [Fact]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored_even_from_loopback()
    {
        await using var app = await TestApp.StartAsync();

        var ip = await FailedSignInIpAsync(app, "127.0.0.1", "203.0.113.9");

        Assert.Equal("127.0.0.1", ip);
    }

    [Fact]
    public async Task With_the_host_switch_on_and_no_configured_proxies_forwarded_headers_are_still_ignored()
    {
        await using var app = await TestApp.StartAsync(new() { [HostSwitch] = "true" });

        Assert.Equal("198.51.100.7", await FailedSignInIpAsync(app, "198.51.100.7", "203.0.113.9"));
        Assert.Equal("127.0.0.1", await FailedSignInIpAsync(app, "127.0.0.1", "203.0.113.9"));
    }

    [Fact]
    public async Task Proxies_in_a_configured_network_are_trusted()
    {
        await using var app = await TestApp.StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/16" });

        Assert.Equal("203.0.113.9", await FailedSignInIpAsync(app, "10.1.2.3", "203.0.113.9"));
        Assert.Equal("10.2.0.1", await FailedSignInIpAsync(app, "10.2.0.1", "203.0.113.10"));
    }

    private static async Task<string?> FailedSignInIpAsync(TestApp app, string peer, string forwardedFor)
    {
        using var browser = app.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, peer);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        await browser.SignInAsync($"ip-{Guid.NewGuid():N}@example.com", "a wrong guess");
        return (await app.EventsAsync()).Last().ClientIp;
    }
}
