using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Email;

// Absolute links for mail. They start with App:PublicBaseUrl, never with the Host header of the
// request: an attacker who asks for a reset with a forged Host would otherwise get the victim a
// link to the attacker's site, carrying a live token.
public class PublicLinks(IOptions<AppSettings> app, IServer server)
{
    // path: "/Email/ResetPassword"; token: from EmailTokens.Issue.
    public string To(string path, string token) => $"{BaseUrl}{path}?token={token}";

    public string Home => BaseUrl + "/";

    // path: a page of this app, "/Sessions".
    public string Page(string path) => BaseUrl + path;

    // Shown in mail ("your account at shop.example").
    public string SiteName => new Uri(BaseUrl).Authority;

    // Development without App:PublicBaseUrl (the start-up check refuses that elsewhere): the
    // address the server listens on, which is what a developer opens.
    private string BaseUrl => app.Value.PublicBaseUrl is { Length: > 0 } configured
        ? configured.TrimEnd('/')
        : ListeningAddress();

    private string ListeningAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
