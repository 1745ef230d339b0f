using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Accounts;

// Signing out is a POST (with the antiforgery token), so a link or image elsewhere cannot sign
// the user out. A GET shows a button that asks first.
[AllowAnonymous]
public class LogoutModel(UserSignIn userSignIn) : PageModel
{
    // This browser only.
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await userSignIn.SignOutAsync(cancellationToken);
        return LocalRedirect("~/");
    }

    // Every browser and device signed in to the account, this one included.
    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken cancellationToken)
    {
        await userSignIn.SignOutEverywhereAsync(cancellationToken);
        return LocalRedirect("~/");
    }
}
