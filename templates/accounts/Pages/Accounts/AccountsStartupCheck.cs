using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Accounts;

// Runs before the web server starts: the module only works in a Razor Pages app of its own.
// Without this, an MVC or empty app starts and every sign-in redirect ends on a 404, and an app
// with ASP.NET Core Identity ends up with two user systems side by side.
public class AccountsStartupCheck(IServiceProvider services, IAuthenticationSchemeProvider schemes) : IHostedLifecycleService
{
    public const string SignInPage = "/Accounts/Login";

    // The cookie scheme of ASP.NET Core Identity (IdentityConstants.ApplicationScheme).
    private const string IdentityScheme = "Identity.Application";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var pages = services.GetService<IActionDescriptorCollectionProvider>()?.ActionDescriptors.Items.OfType<PageActionDescriptor>() ?? [];
        if (!pages.Any(page => string.Equals(page.ViewEnginePath, SignInPage, StringComparison.OrdinalIgnoreCase)))
        {
            throw new StartupRefusedException(
                $"The accounts module's sign-in page {SignInPage} is not a page of this app. It needs Razor Pages: " +
                "add builder.Services.AddRazorPages(); and app.MapRazorPages(); to Program.cs (an MVC or empty app has neither), " +
                "and keep the module in Pages/Accounts of the project folder.");
        }
        if (await schemes.GetSchemeAsync(IdentityScheme) is not null)
        {
            throw new StartupRefusedException(
                "This app already uses ASP.NET Core Identity (AddIdentity or AddDefaultIdentity in Program.cs), a second user system " +
                "with its own users, cookie and pages. Remove Identity before using the accounts module, or remove Pages/Accounts.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
