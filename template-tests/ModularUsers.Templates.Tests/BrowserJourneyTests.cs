using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModularUsers.Templates.Tests.Support;
using OtpNet;

namespace ModularUsers.Templates.Tests;

// The main journeys in a real browser, against the default mu-webapp app running on Kestrel.
// On failure, a screenshot of every page visited is kept in artifacts/browser-journeys/.
public class BrowserJourneyTests(Workspace workspace, ITestOutputHelper output) : IAsyncLifetime
{
    private const string UserEmail = "river@example.com";
    private const string UserPassword = "maple syrup on the lake";
    private const string AdminEmail = "admin@example.com";
    private const string AdminPassword = "purple elephant stapler";

    private readonly string _screenshots = Directory.CreateTempSubdirectory("mu-screens-").FullName;
    private int _shots;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private RunningApp? _app;

    public async ValueTask InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        var generated = await workspace.GenerateAsync(AppCase.All().Single(c => c.IsWebAppDefault));
        Assert.True(generated.IsMigrated, generated.Describe());
        var folder = Path.Combine(workspace.Root, "cases", "browser-journeys", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(generated.ProjectFolder, folder);
        _app = await RunningApp.StartAsync(folder, connectionString: null);

        var superuser = await Command.RunAsync(folder, "dotnet",
            [Path.Combine("bin", "Release", "net10.0", Workspace.AppName + ".dll"), "createsuperuser", "--email", AdminEmail],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ACCOUNTS_SUPERUSER_PASSWORD"] = AdminPassword,
            },
            TimeSpan.FromMinutes(3));
        Assert.True(superuser.ExitCode == 0, superuser.ToString());
    }

    [Fact]
    public async Task A_user_registers_turns_on_two_factor_signs_in_with_a_code_edits_the_profile_and_an_admin_finds_it_in_the_logs()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app!.Address.ToString(), AcceptDownloads = true });
        // Each step can wait on Argon2 while spec runs hash on the same two cores: generous limits
        // instead of Playwright's 5 s, never a fixed pause.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        try
        {
            // Register: signed in at once, the menu shows the email.
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await page.Locator("#Input_Email").FillAsync(UserEmail);
            await page.Locator("#Input_Password").FillAsync(UserPassword);
            await page.Locator("#Input_ConfirmPassword").FillAsync(UserPassword);
            await ShotAsync(page, "register");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = UserEmail })).ToBeVisibleAsync();
            await ShotAsync(page, "registered");

            // Two-factor: read the key from the page, answer with the app's code and the password, get recovery codes.
            await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
            await Assertions.Expect(page.Locator("#qr-code svg")).ToBeVisibleAsync();
            var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "");
            var authenticator = new Totp(Base32Encoding.ToBytes(key));
            await page.Locator("#Input_Code").FillAsync(authenticator.ComputeTotp(DateTime.UtcNow));
            await page.Locator("#Input_Password").FillAsync(UserPassword);
            await ShotAsync(page, "enable-two-factor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
            await ShotAsync(page, "recovery-codes");

            // Sign out through the user menu (Bootstrap's dropdown, so the page's scripts work).
            await SignOutAsync(page, UserEmail);

            // Sign in: the password, then a code. The step used to turn it on is spent, so the
            // code is the next step's, which the one-step drift allowance accepts.
            await SignInAsync(page, UserEmail, UserPassword);
            await page.WaitForURLAsync(new Regex("/TwoFactor/Verify"));
            await page.Locator("#Input_Code").FillAsync(authenticator.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await ShotAsync(page, "verify");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = UserEmail })).ToBeVisibleAsync();

            // Profile: edit and see it saved.
            await page.GetByRole(AriaRole.Link, new() { Name = "Profile", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Edit profile" }).ClickAsync();
            await page.Locator("#Input_DisplayName").FillAsync("River Song");
            await page.Locator("#Input_Bio").FillAsync("Archaeologist.");
            await ShotAsync(page, "edit-profile");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.GetByText("River Song").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("Archaeologist.")).ToBeVisibleAsync();
            await ShotAsync(page, "profile");
            await SignOutAsync(page, UserEmail);

            // The admin finds the user's events on /Logs and downloads them as CSV.
            await SignInAsync(page, AdminEmail, AdminPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Logs", Exact = true }).ClickAsync();
            await page.Locator("#Filter_User").FillAsync(UserEmail);
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var events = page.Locator("table tbody");
            foreach (var type in new[] { "Registered", "TwoFactorEnabled", "SignedOut", "SignedIn", "ProfileUpdated" })
            {
                await Assertions.Expect(events).ToContainTextAsync(type);
            }
            await ShotAsync(page, "logs");
            var download = await page.RunAndWaitForDownloadAsync(() =>
                page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            var csvPath = Path.Combine(_screenshots, download.SuggestedFilename);
            await download.SaveAsAsync(csvPath);
            var csv = await File.ReadAllLinesAsync(csvPath);
            Assert.EndsWith(".csv", download.SuggestedFilename);
            Assert.Contains(csv, line => line.Contains("TwoFactorEnabled") && line.Contains(UserEmail));
            Assert.Contains(csv, line => line.Contains("ProfileUpdated"));
            Assert.DoesNotContain(csv, line => line.Contains(UserPassword));
        }
        catch
        {
            await ShotAsync(page, "failure");
            var kept = Path.Combine(workspace.RepoRoot, "artifacts", "browser-journeys");
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
        await ShotAsync(page, "signed-out");
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, $"{++_shots:00}-{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Directory.Delete(_screenshots, recursive: true);
    }
}
