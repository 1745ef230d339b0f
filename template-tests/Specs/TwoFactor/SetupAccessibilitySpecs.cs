using System.Text.RegularExpressions;
using Specs.Support;

namespace Specs.TwoFactor;

public partial class SetupAccessibilitySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_qr_code_is_one_named_image_and_the_fields_are_required()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("ada@example.com");

        var (_, html) = await browser.GetAsync("/TwoFactor/Enable");

        var svg = Regex.Match(html, "<svg[^>]*>").Value;
        Assert.Contains("role=\"img\"", svg);
        Assert.Contains("aria-label=\"QR code to scan with your authenticator app\"", svg);
        Assert.Contains("aria-required=\"true\"", FormHtml.Field(html, "Input.Code"));
        Assert.Contains("aria-describedby=\"code-error\"", FormHtml.Field(html, "Input.Code"));
        Assert.Contains("aria-required=\"true\"", FormHtml.Field(html, "Input.Password"));
    }
}
