using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Specs.Support;

public static partial class Admins
{
    // An admin made the way createsuperuser makes one, signed in in a new browser.
    public static async Task<Browser> SignedInAdminAsync(this TestApp app, string email)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var result = await accounts.RegisterAsync(email, Browser.StrongPassword, [Roles.Admin], CancellationToken.None);
            Assert.NotNull(result.User);
        }
        var browser = app.NewBrowser();
        await browser.SignInAsync(email);
        Assert.True(await browser.IsSignedInAsync());
        return browser;
    }

    public static Task<Guid> UserIdAsync(this TestApp app, string email) =>
        app.QueryAsync(db => db.Users.Where(u => u.NormalizedEmail == User.NormalizeEmail(email)).Select(u => u.Id).SingleAsync());

    public static string UserPage(Guid userId) => $"/Accounts/Users/Details/{userId}";

    // Presses a button of the admin's user page: handler is the form's (Deactivate, GrantAdmin, ...).
    public static Task<HttpResponseMessage> AdministerAsync(this Browser admin, Guid userId, string handler, Dictionary<string, string>? fields = null) =>
        admin.SubmitAsync(UserPage(userId), fields ?? [], $"{UserPage(userId)}?handler={handler}");

    // A button of a module's section of the user page (IUserAdminPart).
    // password: the acting admin's, which actions on an admin's account ask for.
    public static Task<HttpResponseMessage> RunPartAsync(this Browser admin, Guid userId, string part, string action, string? password = null)
    {
        var fields = new Dictionary<string, string> { ["part"] = part, ["action"] = action };
        if (password is not null)
        {
            fields["Input.Password"] = password;
        }
        return admin.AdministerAsync(userId, "Part", fields);
    }

    // The titles of the sections modules add to the user page, in page order.
    public static IReadOnlyList<string> PartTitles(string html) =>
        PartSection().Matches(html).Select(m => m.Groups[1].Value).ToList();

    // The user page's sections are those of the modules in the app under test, no more, no less.
    public static async Task AssertUserPageHasTheSectionsOfTheAppsModulesAsync(this Browser admin, Guid userId)
    {
        var sections = new Dictionary<string, string>
        {
            ["logs"] = "Recent events",
            ["twofactor"] = "Two-factor",
            ["profiles"] = "Profile",
            ["email"] = "Email",
            ["sessions"] = "Sessions",
        };
        var (status, html) = await admin.GetAsync(UserPage(userId));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(sections.Where(s => AppModules.Contains(s.Key)).Select(s => s.Value).Order(), PartTitles(html).Order());
    }

    // The modules of the app under test (Specs.csproj's AppModules: "accounts+logs+...").
    public static IReadOnlyList<string> AppModules => typeof(Admins).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AppModules").Value!.Split('+');

    [GeneratedRegex("data-admin-part=\"([^\"]*)\"")]
    private static partial Regex PartSection();
}
