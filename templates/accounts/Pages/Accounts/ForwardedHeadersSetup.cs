using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// The client IP used for throttling and logs. Behind a reverse proxy or load balancer, list the
// proxy's addresses in configuration and its X-Forwarded-For / X-Forwarded-Proto are used:
//   "ForwardedHeaders": { "KnownProxies": [ "10.0.0.5" ], "KnownNetworks": [ "10.1.0.0/16" ] }
// A forwarded header from any other peer is ignored, so a client cannot choose its own IP.
// With nothing configured the middleware is not added at all.
public class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];

    public List<string> KnownNetworks { get; set; } = [];

    // Proxies in front of the app; each one adds an entry to X-Forwarded-For.
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = ForwardLimit;
        // Only what is configured: the framework's default trusts loopback.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new OptionsValidationException(Section, typeof(ForwardedHeadersSettings), [$"KnownProxies: '{proxy}' is not an IP address."]));
        }
        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new OptionsValidationException(Section, typeof(ForwardedHeadersSettings), [$"KnownNetworks: '{network}' is not a network such as 10.0.0.0/8."]));
        }
    }
}

// Puts UseForwardedHeaders first in the pipeline, before anything reads the client IP.
public class ForwardedHeadersStartup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseForwardedHeaders();
        next(app);
    };
}
