using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ModularUsersApp.Pages.Email;

// The answer after a form that sends a link, the same whether or not the address has an account.
[AllowAnonymous]
public class CheckInboxModel : PageModel
{
    public const string PasswordReset = "password-reset";
    public const string Registration = "registration";
    public const string EmailChange = "email-change";

    public string Message { get; private set; } = "";

    public void OnGet(string? @for)
    {
        Message = @for switch
        {
            PasswordReset => "If an account uses that address, we have sent it a link to choose a new password. The link works for a limited time and only once.",
            Registration => "We have sent a link to the address you registered with. Open it to confirm the address, then sign in. If you do not see the mail, look in your spam folder; signing in lets you ask for a new link.",
            EmailChange => "We have sent a link to the new address. The change is made when you open it; until then your account keeps its current address, which we have told about the request.",
            _ => "We have sent you a mail. Open the link in it to go on.",
        };
    }
}
