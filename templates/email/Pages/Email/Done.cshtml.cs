using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Email;

// After a link's form did its work.
[AllowAnonymous]
public class DoneModel : PageModel
{
    public const string PasswordReset = "password-reset";
    public const string EmailConfirmed = "email-confirmed";
    public const string EmailChanged = "email-changed";

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public bool OffersSignIn { get; private set; }

    public void OnGet(string? what)
    {
        (Title, Message, OffersSignIn) = what switch
        {
            PasswordReset => ("Password changed", "Your new password is set, and every browser that was signed in to your account has been signed out. Sign in with the new password.", true),
            EmailConfirmed => ("Address confirmed", "Thank you: your email address is confirmed. You can sign in now.", true),
            EmailChanged => ("Email address changed", "Your account now uses the new address. Other browsers signed in to it have been signed out; sign in there with the new address.", User.Identity?.IsAuthenticated != true),
            _ => ("Done", "", false),
        };
    }
}
