using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// The client IP used for throttling and logs. Behind a reverse proxy or load balancer, list the
// proxy's addresses in configuration and its X-Forwarded-For / X-Forwarded-Proto are used:
//   "ForwardedHeaders": { "KnownProxies": [ "10.0.0.5" ], "KnownNetworks": [ "10.1.0.0/16" ] }
// A forwarded header from any other peer is ignored, so a client cannot choose its own IP.
// With nothing configured forwarded headers are ignored altogether, even when the host sets
// ASPNETCORE_FORWARDEDHEADERS_ENABLED=true (the framework's own middleware would then believe
// every peer).
public class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];

    public List<string> KnownNetworks { get; set; } = [];

    // Proxies in front of the app; each one adds an entry to X-Forwarded-For.
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    // ASPNETCORE_FORWARDEDHEADERS_ENABLED, as configuration sees it.
    public static bool IsEnabledByHost(IConfiguration configuration) =>
        string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        // Only what is configured: the framework's default trusts loopback, and with both lists
        // empty the middleware believes every peer.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (!IsConfigured)
        {
            options.ForwardedHeaders = ForwardedHeaders.None;
            return;
        }
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = ForwardLimit;
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

// Puts UseForwardedHeaders first in the pipeline, before anything reads the client IP. When the
// host switch is on the framework has already put it there, with the options ApplyTo set.
public class ForwardedHeadersStartup(ForwardedHeadersSettings settings, IConfiguration configuration, ILogger<ForwardedHeadersStartup> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var enabledByHost = ForwardedHeadersSettings.IsEnabledByHost(configuration);
        if (enabledByHost && !settings.IsConfigured)
        {
            Log.ForwardedHeadersIgnored(logger);
        }
        if (settings.IsConfigured && !enabledByHost)
        {
            app.UseForwardedHeaders();
        }
        next(app);
    };
}
