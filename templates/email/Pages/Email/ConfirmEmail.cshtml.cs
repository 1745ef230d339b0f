using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Opened from the confirmation mail. Opening it (GET, which mail scanners do too) confirms
// nothing; the button's POST does.
[AllowAnonymous]
[KeepLinkPrivate]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class ConfirmEmailModel(EmailTokens tokens, EmailConfirmation confirmation) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? Email { get; private set; }

    public class InputModel
    {
        [StringLength(64)]
        public string? Token { get; set; }
    }

    public async Task OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Input.Token = token;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid && await confirmation.ConfirmAsync(Input.Token ?? "", cancellationToken))
        {
            return RedirectToPage("./Done", new { what = DoneModel.EmailConfirmed });
        }
        Email = null;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Email = await tokens.FindAsync(Input.Token, TokenPurposes.ConfirmEmail, cancellationToken) is var (found, _) ? found.Email : null;
}
