using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Accounts;

// Signing out is a POST (with the antiforgery token), so a link or image elsewhere cannot sign
// the user out. A GET shows a button that asks first.
[AllowAnonymous]
public class LogoutModel(UserSignIn userSignIn) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await userSignIn.SignOutAsync(cancellationToken);
        return LocalRedirect("~/");
    }
}
