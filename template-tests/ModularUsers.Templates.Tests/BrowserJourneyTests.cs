using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ModularUsers.Templates.Tests.Support;
using OtpNet;

namespace ModularUsers.Templates.Tests;

// The default mu-webapp app running on Kestrel for the browser journeys, with an admin, its mail
// sent over SMTP to a real server on loopback (SmtpSink) and its links built from its own address
// (App:PublicBaseUrl). Started by the first journey that has a browser, once for the class.
public sealed class BrowserJourneyApp(Workspace workspace) : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "purple elephant stapler";

    private Task<(RunningApp App, SmtpSink Mail)>? _started;

    public Task<(RunningApp App, SmtpSink Mail)> StartedAsync() => _started ??= StartAsync();

    private async Task<(RunningApp App, SmtpSink Mail)> StartAsync()
    {
        var generated = await workspace.GenerateAsync(AppCase.All().Single(c => c.IsWebAppDefault));
        Assert.True(generated.IsMigrated, generated.Describe());
        var folder = Path.Combine(workspace.Root, "cases", "browser-journeys", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(generated.ProjectFolder, folder);
        var mail = await SmtpSink.StartAsync();
        var app = await RunningApp.StartAsync(folder, connectionString: null, mail);

        var superuser = await Command.RunAsync(folder, "dotnet",
            [Path.Combine("bin", "Release", "net10.0", Workspace.AppName + ".dll"), "createsuperuser", "--email", AdminEmail],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ACCOUNTS_SUPERUSER_PASSWORD"] = AdminPassword,
            },
            TimeSpan.FromMinutes(3));
        Assert.True(superuser.ExitCode == 0, superuser.ToString());
        return (app, mail);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_started is { IsCompletedSuccessfully: true })
        {
            var (app, mail) = await _started;
            await app.DisposeAsync();
            await mail.DisposeAsync();
        }
    }
}

// The main journeys in a real browser, against the default mu-webapp app running on Kestrel.
// Each has its own user; mail is read from the SMTP server the app sends to. Every page a journey
// visits passes axe-core's accessibility check (its default rules: WCAG 2 A and AA, and best
// practices) with no violation. On failure, a screenshot of every page visited is kept in
// artifacts/browser-journeys/.
public class BrowserJourneyTests(BrowserJourneyApp journeyApp, Workspace workspace, ITestOutputHelper output)
    : IClassFixture<BrowserJourneyApp>, IAsyncLifetime
{
    private readonly string _screenshots = Directory.CreateTempSubdirectory("mu-screens-").FullName;
    private readonly List<string> _violations = [];
    private int _shots;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private RunningApp _app = null!;
    private SmtpSink _mail = null!;

    public async ValueTask InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        (_app, _mail) = await journeyApp.StartedAsync();
    }

    [Fact]
    public Task A_user_registers_confirms_the_address_from_the_mail_turns_on_two_factor_signs_in_with_a_code_edits_the_profile_and_an_admin_finds_it_in_the_logs() =>
        JourneyAsync("first", async page =>
        {
            const string email = "river@example.com";
            const string password = "maple syrup on the lake";

            await RegisterAndConfirmAsync(page, email, password);

            var authenticator = await TurnOnTwoFactorAsync(page, password);
            // The security notification went out over SMTP too.
            await _mail.WaitForMailAsync(email, "Two-factor authentication was turned on");

            // Sign out through the user menu (Bootstrap's dropdown, so the page's scripts work).
            await SignOutAsync(page, email);

            // Sign in: the password, then a code. The step used to turn it on is spent, so the
            // code is the next step's, which the one-step drift allowance accepts.
            await SignInAsync(page, email, password);
            await page.WaitForURLAsync(new Regex("/TwoFactor/Verify"));
            await page.Locator("#Input_Code").FillAsync(authenticator.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await VisitedAsync(page, "verify");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync();

            // Profile: edit and see it saved.
            await page.GetByRole(AriaRole.Link, new() { Name = "Profile", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Edit profile" }).ClickAsync();
            await page.Locator("#Input_DisplayName").FillAsync("River Song");
            await page.Locator("#Input_Bio").FillAsync("Archaeologist.");
            await VisitedAsync(page, "edit-profile");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.GetByText("River Song").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("Archaeologist.")).ToBeVisibleAsync();
            await VisitedAsync(page, "profile");
            await SignOutAsync(page, email);

            // The admin finds the user's events on /Logs and downloads them as CSV.
            await SignInAsync(page, BrowserJourneyApp.AdminEmail, BrowserJourneyApp.AdminPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Logs", Exact = true }).ClickAsync();
            await page.Locator("#Filter_User").FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var events = page.Locator("table tbody");
            foreach (var type in new[] { "Registered", "EmailConfirmed", "TwoFactorEnabled", "SignedOut", "SignedIn", "ProfileUpdated" })
            {
                await Assertions.Expect(events).ToContainTextAsync(type);
            }
            await VisitedAsync(page, "logs");
            var download = await page.RunAndWaitForDownloadAsync(() =>
                page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            var csvPath = Path.Combine(_screenshots, download.SuggestedFilename);
            await download.SaveAsAsync(csvPath);
            var csv = await File.ReadAllLinesAsync(csvPath);
            Assert.EndsWith(".csv", download.SuggestedFilename);
            Assert.Contains(csv, line => line.Contains("TwoFactorEnabled") && line.Contains(email));
            Assert.Contains(csv, line => line.Contains("ProfileUpdated"));
            Assert.DoesNotContain(csv, line => line.Contains(password));
        });

    [Fact]
    public Task A_user_who_forgot_the_password_sets_a_new_one_from_the_mailed_link_and_still_needs_the_two_factor_code() =>
        JourneyAsync("reset", async page =>
        {
            const string email = "lake@example.com";
            const string password = "copper kettle on the stove";
            const string newPassword = "seven lanterns along the pier";

            await RegisterAndConfirmAsync(page, email, password);
            var authenticator = await TurnOnTwoFactorAsync(page, password);
            await SignOutAsync(page, email);

            // Forgotten: the sign-in page links to the reset request.
            await page.GotoAsync("/Accounts/Login");
            await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/Email/ForgotPassword"));
            await page.Locator("#Input_Email").FillAsync(email);
            await VisitedAsync(page, "forgot-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/Email/CheckInbox\\?for=password-reset"));
            await VisitedAsync(page, "check-inbox-reset");

            // The link in the mail opens the form; the new password is set there, and nobody is signed in.
            var reset = await _mail.WaitForMailAsync(email, "Reset your password");
            var link = SmtpSink.LinkIn(reset, "/Email/ResetPassword");
            Assert.StartsWith(_app.Address.ToString(), link.ToString());
            await page.GotoAsync(link.ToString());
            await page.Locator("#Input_NewPassword").FillAsync(newPassword);
            await page.Locator("#Input_ConfirmPassword").FillAsync(newPassword);
            await VisitedAsync(page, "reset-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/Email/Done\\?what=password-reset"));
            await VisitedAsync(page, "password-reset");
            await _mail.WaitForMailAsync(email, "Your password was reset");

            // The new password signs in, and two-factor is still asked for.
            await SignInAsync(page, email, newPassword);
            await page.WaitForURLAsync(new Regex("/TwoFactor/Verify"));
            await page.Locator("#Input_Code").FillAsync(authenticator.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await VisitedAsync(page, "verify-after-reset");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_user_signed_in_on_a_phone_too_signs_the_phone_out_from_the_sessions_page_and_its_next_page_is_the_sign_in_page() =>
        JourneyAsync("sessions", async page =>
        {
            const string email = "harbour@example.com";
            // Not containing the address: the password policy refuses that.
            const string password = "gulls above the old stone pier";

            await RegisterAndConfirmAsync(page, email, password);

            // The same user on a phone: another browser, so the first sign-in there is mailed.
            var phoneContext = await _browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = _app.Address.ToString(),
                UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
            });
            try
            {
                var phone = await phoneContext.NewPageAsync();
                await SignInAsync(phone, email, password);
                await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync();
                var alert = await _mail.WaitForMailAsync(email, "A new sign-in to your account");
                Assert.Contains("Safari on iPhone", alert.TextBody);
                await phone.GotoAsync("/Sessions");

                // On the first browser: the user menu leads to the list, with both browsers.
                await page.GetByRole(AriaRole.Button, new() { Name = email }).ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Where you are signed in" }).ClickAsync();
                await Assertions.Expect(page.GetByText("This device")).ToBeVisibleAsync();
                await Assertions.Expect(page.GetByText("Safari on iPhone")).ToBeVisibleAsync();
                await VisitedAsync(page, "sessions");
                await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Sign out Safari on iPhone") }).ClickAsync();
                await Assertions.Expect(page.GetByText("That browser is signed out.")).ToBeVisibleAsync();
                await VisitedAsync(page, "phone-signed-out");

                // The phone's next request lands on the sign-in page; the first browser stays signed in.
                await phone.ReloadAsync();
                await phone.WaitForURLAsync(new Regex("/Accounts/Login"));
                await page.ReloadAsync();
                await Assertions.Expect(page.GetByText("This device")).ToBeVisibleAsync();
            }
            finally
            {
                await phoneContext.CloseAsync();
            }
        });

    [Fact]
    public Task An_admin_finds_a_user_and_deactivates_them_and_the_users_own_browser_is_signed_out() =>
        JourneyAsync("user-admin", async page =>
        {
            const string email = "lighthouse.keeper@example.com";
            const string password = "foghorn over the grey northern sea";

            // The user, signed in on a browser of their own.
            var userContext = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.Address.ToString() });
            try
            {
                var userPage = await userContext.NewPageAsync();
                userContext.SetDefaultTimeout(60_000);
                await RegisterAndConfirmAsync(userPage, email, password);
                // A page only a signed-in user may see (the home page would just show them signed out).
                await userPage.GotoAsync("/Accounts/ChangePassword");
                await Assertions.Expect(userPage.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();

                // The admin: the user menu leads to the list; search, open the user, deactivate.
                await SignInAsync(page, BrowserJourneyApp.AdminEmail, BrowserJourneyApp.AdminPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = BrowserJourneyApp.AdminEmail }).ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
                await page.GetByLabel("Email contains").FillAsync("lighthouse");
                await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
                await VisitedAsync(page, "users");
                await page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = email })).ToBeVisibleAsync();
                await VisitedAsync(page, "user");
                await page.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
                await Assertions.Expect(page.GetByText($"{email} is deactivated and signed out everywhere.")).ToBeVisibleAsync();
                await VisitedAsync(page, "user-deactivated");

                // The user's next page is the sign-in page, and signing in again is refused.
                await userPage.ReloadAsync();
                await userPage.WaitForURLAsync(new Regex("/Accounts/Login"));
                await SignInAsync(userPage, email, password);
                await Assertions.Expect(userPage.GetByText("The email or password is not correct.")).ToBeVisibleAsync();
            }
            finally
            {
                await userContext.CloseAsync();
            }
        });

    // One browser context per journey; screenshots kept if it fails.
    private async Task JourneyAsync(string name, Func<IPage, Task> journey)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.Address.ToString(), AcceptDownloads = true });
        // Each step can wait on Argon2 while spec runs hash on the same two cores: generous limits
        // instead of Playwright's 5 s, never a fixed pause.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        try
        {
            await journey(page);
            Assert.True(_violations.Count == 0, $"Accessibility violations (axe-core):\n{string.Join("\n", _violations)}");
        }
        catch
        {
            await ShotAsync(page, "failure");
            var kept = Path.Combine(workspace.RepoRoot, "artifacts", "browser-journeys", name);
            Directory.CreateDirectory(kept);
            foreach (var shot in Directory.GetFiles(_screenshots, "*.png"))
            {
                File.Copy(shot, Path.Combine(kept, Path.GetFileName(shot)), overwrite: true);
            }
            output.WriteLine($"Screenshots of each page: {kept}");
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    // Register: the app signs nobody in and mails a link (Email:RequireConfirmedEmail); opening
    // it shows a button, and confirming lets the password sign in.
    private async Task RegisterAndConfirmAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(password);
        await page.Locator("#Input_ConfirmPassword").FillAsync(password);
        await VisitedAsync(page, "register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/Email/CheckInbox\\?for=registration"));
        await VisitedAsync(page, "check-inbox");

        var confirmation = await _mail.WaitForMailAsync(email, "Confirm your email address");
        var link = SmtpSink.LinkIn(confirmation, "/Email/ConfirmEmail");
        Assert.StartsWith(_app.Address.ToString(), link.ToString());
        Assert.NotNull(confirmation.HtmlBody);
        await page.GotoAsync(link.ToString());
        await VisitedAsync(page, "confirm-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/Email/Done\\?what=email-confirmed"));
        await VisitedAsync(page, "email-confirmed");

        await SignInAsync(page, email, password);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync();
        await VisitedAsync(page, "signed-in");
    }

    // Two-factor: read the key from the page, answer with the app's code and the password, get
    // recovery codes. Returns the authenticator, whose current step is now spent.
    private async Task<Totp> TurnOnTwoFactorAsync(IPage page, string password)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.Locator("#qr-code svg")).ToBeVisibleAsync();
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "");
        var authenticator = new Totp(Base32Encoding.ToBytes(key));
        await page.Locator("#Input_Code").FillAsync(authenticator.ComputeTotp(DateTime.UtcNow));
        await page.Locator("#Input_Password").FillAsync(password);
        await VisitedAsync(page, "enable-two-factor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await VisitedAsync(page, "recovery-codes");
        return authenticator;
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Accounts/Login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private async Task SignOutAsync(IPage page, string email)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = email }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First).ToBeVisibleAsync();
        await VisitedAsync(page, "signed-out");
    }

    // A page the journey reached: its screenshot, and axe-core's check of it (the violations fail
    // the journey once it has ended, so that one run lists them all).
    private async Task VisitedAsync(IPage page, string name)
    {
        await ShotAsync(page, name);
        var result = await page.RunAxe();
        _violations.AddRange(result.Violations.Select(v =>
            $"{name} ({new Uri(page.Url).AbsolutePath}): {v.Id} ({v.Impact}): {v.Help}; at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, $"{++_shots:00}-{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Directory.Delete(_screenshots, recursive: true);
    }
}
