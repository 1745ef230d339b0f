using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// The sign-in step of an account that has not confirmed its address yet: the password was
// right, but no session starts until the address is confirmed. Offers a new link.
[AllowAnonymous]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class UnconfirmedModel(UserSignIn userSignIn, EmailConfirmation confirmation, IOptions<EmailOptions> options) : PageModel
{
    public string Email { get; private set; } = "";

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await userSignIn.GetPendingAsync(cancellationToken) is not { } pending)
        {
            return RedirectToPage("/Accounts/Login");
        }
        Email = pending.User.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await userSignIn.GetPendingAsync(cancellationToken) is not { } pending)
        {
            return RedirectToPage("/Accounts/Login");
        }
        StatusMessage = await confirmation.ResendAsync(pending.User, cancellationToken)
            ? $"We have sent a new link to {pending.User.Email}."
            : $"A link was sent less than {options.Value.ResendCooldown.TotalMinutes:0} minutes ago. Wait a few minutes for it, then ask again if it does not come.";
        return RedirectToPage();
    }
}
