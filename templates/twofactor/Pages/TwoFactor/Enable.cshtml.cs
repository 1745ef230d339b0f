using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// Shows a new secret as a QR code and as text; two-factor turns on only once a code from the
// app proves it was set up right.
[Authorize]
public class EnableModel(UsersDbContext db, TwoFactorService twoFactor) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public AuthenticatorSetup Setup { get; private set; } = null!;

    public class InputModel
    {
        [Required(ErrorMessage = "Enter the code your authenticator app shows.")]
        [RegularExpression(@"^\s*\d{3}\s?\d{3}\s*$", ErrorMessage = "Enter the 6 digits your authenticator app shows.")]
        [Display(Name = "Code from the app")]
        public string Code { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await this.CurrentUserAsync(db, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        if (await twoFactor.IsEnabledAsync(user.Id, cancellationToken))
        {
            return RedirectToPage("./Index");
        }
        Setup = await twoFactor.GetOrStartSetupAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await this.CurrentUserAsync(db, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        if (await twoFactor.IsEnabledAsync(user.Id, cancellationToken))
        {
            return RedirectToPage("./Index");
        }
        if (ModelState.IsValid && await twoFactor.EnableAsync(user, Input.Code, cancellationToken) is { } codes)
        {
            TempData[RecoveryCodesModel.TempDataKey] = string.Join('\n', codes);
            return RedirectToPage("./RecoveryCodes");
        }
        ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Code)}",
            "That code does not match. Check that the app added this site, and that the phone's clock is right.");
        Setup = await twoFactor.GetOrStartSetupAsync(user, cancellationToken);
        return Page();
    }
}
