using System.Net;
using System.Text.RegularExpressions;
using OtpNet;
using Specs.Support;

namespace Specs.TwoFactor;

public static partial class TwoFactorSupport
{
    // Turns two-factor on the way a person does: reads the key from the page, types the app's code.
    public static async Task<(byte[] Secret, IReadOnlyList<string> RecoveryCodes)> EnableTwoFactorAsync(this Browser browser, TestApp app)
    {
        var (secret, form) = await OpenSetupAsync(browser);
        form["Input.Password"] = Browser.StrongPassword;
        form["Input.Code"] = Code(secret, app);
        var enabled = await browser.PostAsync("/TwoFactor/Enable", form);
        Assert.Equal("/TwoFactor/RecoveryCodes", enabled.Headers.Location?.OriginalString);
        var (_, codesPage) = await browser.GetAsync("/TwoFactor/RecoveryCodes");
        return (secret, RecoveryCodesOn(codesPage));
    }

    // The set-up page's key and its form's fields (hidden ones included) as the browser would send them.
    public static async Task<(byte[] Secret, Dictionary<string, string> Form)> OpenSetupAsync(Browser browser)
    {
        var response = await browser.Client.GetAsync("/TwoFactor/Enable");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (Base32Encoding.ToBytes(KeyOnPage(html)), Browser.ReadForm(html, "/TwoFactor/Enable"));
    }

    // The codes the recovery codes page lists, as shown (whatever their format).
    public static IReadOnlyList<string> RecoveryCodesOn(string html) =>
        RecoveryCodeItem().Matches(html).Select(m => m.Groups[1].Value).ToList();

    public static string KeyOnPage(string html) =>
        KeyElement().Match(html).Groups[1].Value.Replace(" ", "");

    // What the authenticator app shows now, or steps × 30 s later (negative: earlier).
    public static string Code(byte[] secret, TestApp app, int steps = 0) =>
        new Totp(secret).ComputeTotp(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30 * steps));

    public static Task<HttpResponseMessage> VerifyAsync(this Browser browser, string? code = null, string? recoveryCode = null, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string>();
        if (code is not null)
        {
            fields["Input.Code"] = code;
        }
        if (recoveryCode is not null)
        {
            fields["Input.RecoveryCode"] = recoveryCode;
        }
        var path = returnUrl is null ? "/TwoFactor/Verify" : $"/TwoFactor/Verify?returnUrl={Uri.EscapeDataString(returnUrl)}";
        return browser.SubmitAsync(path, fields);
    }

    [GeneratedRegex(@"<kbd id=""authenticator-key"">([A-Z2-7 ]+)</kbd>")]
    private static partial Regex KeyElement();

    [GeneratedRegex(@"<li>([A-Z0-9][A-Z0-9-]*)</li>")]
    private static partial Regex RecoveryCodeItem();
}
