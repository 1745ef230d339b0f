using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// What a person does with the email pages and the links mailed to them. A link in a mail is on
// App:PublicBaseUrl; the browser opens its path and query on the app under test.
public static partial class EmailSupport
{
    public const string ExpiredLink = "This link has expired or has already been used.";

    public static Task<HttpResponseMessage> RequestPasswordResetAsync(this Browser browser, string email) =>
        browser.SubmitAsync("/Email/ForgotPassword", new() { ["Input.Email"] = email });

    public static Task<HttpResponseMessage> RequestEmailChangeAsync(this Browser browser, string newEmail, string currentPassword = Browser.StrongPassword) =>
        browser.SubmitAsync("/Email/ChangeEmail", new() { ["Input.NewEmail"] = newEmail, ["Input.CurrentPassword"] = currentPassword });

    // The page a mailed link opens, as a click opens it: a GET, nothing more.
    public static Task<(HttpStatusCode Status, string Html)> OpenAsync(this Browser browser, Uri link) =>
        browser.GetAsync(link.PathAndQuery);

    // The form of the page a link opens (hidden token included), to post now or later.
    public static Task<Dictionary<string, string>> OpenFormAsync(this Browser browser, Uri link) =>
        browser.ReadFormAsync(link.PathAndQuery);

    // Opens the reset link, types the new password twice, posts the form.
    public static async Task<HttpResponseMessage> ResetPasswordAsync(this Browser browser, Uri link, string newPassword, string? confirmation = null)
    {
        var form = await browser.OpenFormAsync(link);
        return await browser.PostResetFormAsync(link, form, newPassword, confirmation);
    }

    // Posts a reset form opened earlier, as a tab left open would.
    public static Task<HttpResponseMessage> PostResetFormAsync(this Browser browser, Uri link, Dictionary<string, string> form, string newPassword, string? confirmation = null) =>
        browser.PostAsync(link.PathAndQuery, new(form)
        {
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = confirmation ?? newPassword,
        });

    // Opens a confirmation link (of an address, of a change of address) and presses its button.
    public static async Task<HttpResponseMessage> ConfirmAsync(this Browser browser, Uri link)
    {
        var form = await browser.OpenFormAsync(link);
        return await browser.PostAsync(link.PathAndQuery, form);
    }

    public static string? Location(this HttpResponseMessage response) => response.Headers.Location?.OriginalString;

    // Where a redirect leads, without its query (a sign-in step carries the returnUrl along).
    public static string? LocationPath(this HttpResponseMessage response) => response.Location()?.Split('?')[0];

    // Waits until the app has tried every mail it queued: no outbox row is left unsent and not given up.
    public static async Task OutboxSentAsync(this TestApp app, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? MailSink.DefaultWait);
        while (true)
        {
            var pending = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking()
                .Where(m => m.SentAt == null && m.FailedAt == null).Select(m => m.Subject).ToListAsync());
            if (pending.Count == 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The outbox still has {pending.Count} unsent mail: {string.Join("; ", pending)}");
            await Task.Delay(100);
        }
    }

    // Waits until the app has tried, and failed, to send the mail with this subject so many times
    // (the attempt counts when the sender claims the mail; its error is written when it fails).
    public static async Task<OutboxEmail> FailedAttemptsAsync(this TestApp app, string subject, int attempts = 1)
    {
        var deadline = DateTime.UtcNow + MailSink.DefaultWait;
        while (true)
        {
            var mail = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking().SingleOrDefaultAsync(m => m.Subject == subject));
            if (mail is { Attempts: var tried, SentAt: null, LastError: not null } && tried >= attempts)
            {
                return mail;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"\"{subject}\" was not tried {attempts} time(s) within {MailSink.DefaultWait.TotalSeconds} s: {(mail is null ? "no such row" : $"{mail.Attempts} attempt(s), sent at {mail.SentAt}")}");
            await Task.Delay(100);
        }
    }

    // A command of the app (TestApp.RunCommandAsync) with the sink's mail settings.
    public static Task<(int ExitCode, string Output)> RunCommandAsync(
        this TestApp app, MailSink sink, string command, string[] args, Dictionary<string, string>? environment = null) =>
        app.RunCommandAsync(command, args, sink.Settings.Concat(environment ?? []));

    // The page without what differs between two answers to the same form: antiforgery tokens.
    public static string WithoutTokens(string html) => AntiforgeryValue().Replace(html, "value=\"TOKEN\"");

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex AntiforgeryValue();
}
