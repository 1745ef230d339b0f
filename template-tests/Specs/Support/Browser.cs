using System.Net;
using System.Text.RegularExpressions;

namespace Specs.Support;

// One browser: its own cookies, and forms posted the way a page posts them (with the page's
// antiforgery token). Redirects are not followed, so specs can check where they lead.
public sealed partial class Browser(HttpClient client, CookieContainer cookies) : IDisposable
{
    public const string StrongPassword = "correct violet stapler 42";

    public static readonly Uri BaseAddress = new("https://localhost");

    public HttpClient Client => client;

    public CookieContainer Cookies => cookies;

    // Takes over another browser's cookies, as someone who copied them would.
    public void CopyCookiesFrom(Browser other) => cookies.Add(other.Cookies.GetCookies(BaseAddress));

    // The roles the current session has now, as authorization sees them; null when signed out.
    public async Task<IReadOnlyList<string>?> RolesAsync()
    {
        var response = await client.GetAsync(SignedInRoles.Path);
        return response.StatusCode == HttpStatusCode.OK
            ? (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : null;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    // Opens the page (for its form's antiforgery token), then submits the form.
    public async Task<HttpResponseMessage> SubmitAsync(string path, Dictionary<string, string> fields, string? action = null)
    {
        var form = await client.GetStringAsync(path);
        var token = AntiforgeryField().Match(form);
        Assert.True(token.Success, $"{path} has no form with an antiforgery token");
        return await client.PostAsync(action ?? path, new FormUrlEncodedContent(
            new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value }));
    }

    // What another site's page can make this browser do: open the form (so the browser holds its
    // antiforgery cookie), then post to it without the form's token.
    public async Task<HttpResponseMessage> PostWithoutAntiforgeryTokenAsync(string path, Dictionary<string, string> fields, string? action = null)
    {
        var form = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        return await client.PostAsync(action ?? path, new FormUrlEncodedContent(fields));
    }

    // Every named field of the page's input form as the browser would send it, token included.
    public async Task<Dictionary<string, string>> ReadFormAsync(string path) => ReadForm(await client.GetStringAsync(path), path);

    // The same, from a page already opened (html as the server sent it).
    public static Dictionary<string, string> ReadForm(string html, string path)
    {
        var form = FormElement().Matches(html).FirstOrDefault(f => f.Value.Contains("name=\"Input."));
        Assert.True(form is not null, $"{path} has no form with Input fields");
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputElement().Matches(form.Value))
        {
            var name = Attribute(input.Value, "name");
            var type = Attribute(input.Value, "type");
            if (name is null || type is "submit" or "checkbox" && !input.Value.Contains("checked"))
            {
                continue;
            }
            fields.TryAdd(name, WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? ""));
        }
        foreach (Match textarea in TextareaElement().Matches(form.Value))
        {
            fields[Attribute(textarea.Groups["open"].Value, "name")!] = WebUtility.HtmlDecode(textarea.Groups["text"].Value.TrimStart('\r', '\n'));
        }
        return fields;
    }

    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields));

    public Task<HttpResponseMessage> RegisterAsync(string email, string password = StrongPassword, string? returnUrl = null) =>
        SubmitAsync(WithReturnUrl("/Accounts/Register", returnUrl), new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    public Task<HttpResponseMessage> SignInAsync(string email, string password = StrongPassword, string? returnUrl = null, bool rememberMe = false) =>
        SubmitAsync(WithReturnUrl("/Accounts/Login", returnUrl), new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = rememberMe ? "true" : "false",
        });

    public Task<HttpResponseMessage> SignOutAsync() => SubmitAsync("/Accounts/Logout", []);

    public Task<HttpResponseMessage> ChangePasswordAsync(string current, string next) =>
        SubmitAsync("/Accounts/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });

    // True when a page that needs an account opens, false when it sends to the sign-in page;
    // any other answer (an error, a redirect elsewhere) fails the spec, so a broken page is
    // never taken for a signed-out browser.
    public async Task<bool> IsSignedInAsync()
    {
        var response = await client.GetAsync("/Accounts/ChangePassword");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }
        if (response.StatusCode == HttpStatusCode.Redirect && response.RedirectPath() == "/Accounts/Login")
        {
            return false;
        }
        Assert.Fail($"GET /Accounts/ChangePassword answered {(int)response.StatusCode} {response.StatusCode} (Location: {response.Headers.Location?.ToString() ?? "none"}), neither the page (signed in) nor a redirect to /Accounts/Login (signed out)");
        return false;
    }

    public static async Task<string> HtmlAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private static string WithReturnUrl(string path, string? returnUrl) =>
        returnUrl is null ? path : $"{path}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static string? Attribute(string element, string name)
    {
        var match = Regex.Match(element, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputElement();

    [GeneratedRegex("(?<open><textarea[^>]*>)(?<text>.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextareaElement();

    public void Dispose() => client.Dispose();
}
