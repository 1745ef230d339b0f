using System.Net;
using System.Text.RegularExpressions;
using Specs.Support;

namespace Specs.Accounts;

// What a screen reader and a password manager find in the account forms: required fields, each
// error tied to its field, the email field known as the user name; and every error in one round.
public partial class FormAccessibilitySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/Accounts/Register")]
    [InlineData("/Accounts/Login")]
    public async Task The_email_and_password_fields_are_required_and_point_at_their_messages(string path)
    {
        using var browser = _app.NewBrowser();

        var (_, html) = await browser.GetAsync(path);

        var email = FormHtml.Field(html, "Input.Email");
        Assert.Contains("autocomplete=\"username\"", email);
        Assert.Contains("aria-required=\"true\"", email);
        Assert.Contains("aria-describedby=\"email-error\"", email);
        Assert.Contains("aria-required=\"true\"", FormHtml.Field(html, "Input.Password"));
        Assert.Matches("<span[^>]*id=\"email-error\"", html);
        Assert.Matches("aria-describedby=\"password-error[^\"]*\"", FormHtml.Field(html, "Input.Password"));
        Assert.Matches("<span[^>]*id=\"password-error\"", html);
        Assert.DoesNotContain("aria-invalid", html);
    }

    [Fact]
    public async Task A_bad_registration_shows_the_password_policy_with_the_other_errors_and_marks_only_the_wrong_fields()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.SubmitAsync("/Accounts/Register", new()
        {
            ["Input.Email"] = "not-an-email",
            ["Input.Password"] = "password12345678",
            ["Input.ConfirmPassword"] = "password12345678",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await Browser.HtmlAsync(response);
        Assert.Contains("Enter a valid email address.", FormHtml.ErrorSpan(html, "email-error"));
        Assert.Contains("one of the most commonly used", FormHtml.ErrorSpan(html, "password-error"));
        Assert.Contains("aria-invalid=\"true\"", FormHtml.Field(html, "Input.Email"));
        Assert.Contains("aria-invalid=\"true\"", FormHtml.Field(html, "Input.Password"));
        Assert.DoesNotContain("aria-invalid", FormHtml.Field(html, "Input.ConfirmPassword"));
    }

    [Fact]
    public async Task A_short_password_and_a_mismatch_are_both_shown_at_once()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.SubmitAsync("/Accounts/Register", new()
        {
            ["Input.Email"] = "ada@example.com",
            ["Input.Password"] = "short pw",
            ["Input.ConfirmPassword"] = "another",
        });

        var html = await Browser.HtmlAsync(response);
        Assert.Contains("Use at least 15 characters", FormHtml.ErrorSpan(html, "password-error"));
        Assert.Contains("The two passwords do not match.", FormHtml.ErrorSpan(html, "confirm-password-error"));
        Assert.DoesNotContain("aria-invalid", FormHtml.Field(html, "Input.Email"));
    }

    [Fact]
    public async Task Changing_the_password_shows_the_policy_with_a_mismatch_at_once()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("lovelace@example.com");

        var response = await browser.SubmitAsync("/Accounts/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = Browser.StrongPassword,
            ["Input.NewPassword"] = "lovelace and her engine",
            ["Input.ConfirmPassword"] = "something else",
        });

        var html = await Browser.HtmlAsync(response);
        Assert.Contains("must not contain your email address", FormHtml.ErrorSpan(html, "new-password-error"));
        Assert.Contains("The two passwords do not match.", FormHtml.ErrorSpan(html, "confirm-password-error"));
        Assert.Contains("aria-invalid=\"true\"", FormHtml.Field(html, "Input.NewPassword"));
        Assert.Contains("aria-required=\"true\"", FormHtml.Field(html, "Input.CurrentPassword"));
        Assert.DoesNotContain("aria-invalid", FormHtml.Field(html, "Input.CurrentPassword"));
    }
}
