using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Opened from the mail sent to the new address. Opening it (GET) changes nothing; the button's
// POST moves the account to the new address.
[AllowAnonymous]
[KeepLinkPrivate]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class ConfirmEmailChangeModel(EmailChange change) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? NewEmail { get; private set; }

    public class InputModel
    {
        [StringLength(64)]
        public string? Token { get; set; }
    }

    public async Task OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Input.Token = token;
        NewEmail = await change.PendingAddressAsync(token, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        NewEmail = await change.PendingAddressAsync(Input.Token, cancellationToken);
        switch (await change.ConfirmAsync(Input.Token ?? "", cancellationToken))
        {
            case ChangeOutcome.Changed:
                return RedirectToPage("./Done", new { what = DoneModel.EmailChanged });
            case ChangeOutcome.AddressTaken:
                ModelState.AddModelError(string.Empty, "Another account now uses this address, so your account keeps its current one.");
                return Page();
            default:
                NewEmail = null;
                return Page();
        }
    }
}
