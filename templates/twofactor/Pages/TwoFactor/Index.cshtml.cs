using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// Two-factor status, and the changes that need the password (or a current code) again:
// turning it off and replacing the recovery codes.
[Authorize]
public class IndexModel(UsersDbContext db, TwoFactorService twoFactor, PasswordHasher hasher, AccountLockout lockout) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public bool IsEnabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public class InputModel
    {
        [StringLength(AccountLimits.PasswordMaxLength)]
        [DataType(DataType.Password)]
        [Display(Name = "Your password")]
        public string? Password { get; set; }

        [RegularExpression(@"^\s*\d{3}\s?\d{3}\s*$", ErrorMessage = "Enter the 6 digits your authenticator app shows.")]
        [Display(Name = "Or a code from your authenticator app")]
        public string? Code { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await this.CurrentUserAsync(db, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        var user = await this.CurrentUserAsync(db, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await ReauthenticatedAsync(user, allowCode: true, cancellationToken))
        {
            await LoadAsync(user, cancellationToken);
            return Page();
        }
        await twoFactor.DisableAsync(user, cancellationToken);
        StatusMessage = "Two-factor authentication is off. Signing in needs only your password now.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken cancellationToken)
    {
        var user = await this.CurrentUserAsync(db, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await twoFactor.IsEnabledAsync(user.Id, cancellationToken)
            || !await ReauthenticatedAsync(user, allowCode: false, cancellationToken))
        {
            await LoadAsync(user, cancellationToken);
            return Page();
        }
        var codes = await twoFactor.RegenerateRecoveryCodesAsync(user, cancellationToken);
        TempData[RecoveryCodesModel.TempDataKey] = string.Join('\n', codes);
        return RedirectToPage("./RecoveryCodes");
    }

    // The password (or, where allowed, a current code) proves it is the user at the keyboard,
    // not someone at a browser they left signed in. Failures count toward the account lockout.
    private async Task<bool> ReauthenticatedAsync(User user, bool allowCode, CancellationToken cancellationToken)
    {
        var error = await lockout.CheckAnswerAsync(user,
            async () => !string.IsNullOrEmpty(Input.Password)
                ? await hasher.VerifyAsync(PasswordPolicy.Normalize(Input.Password), user.PasswordHash, cancellationToken) != PasswordCheck.Failed
                : allowCode && !string.IsNullOrWhiteSpace(Input.Code) && await twoFactor.VerifyCodeAsync(user, Input.Code, cancellationToken),
            allowCode ? "Enter your password, or a current code from your authenticator app." : "Enter your password.",
            cancellationToken);
        if (error is not null)
        {
            ModelState.AddModelError(string.Empty, error);
        }
        return error is null;
    }

    private async Task LoadAsync(User user, CancellationToken cancellationToken)
    {
        IsEnabled = await twoFactor.IsEnabledAsync(user.Id, cancellationToken);
        RecoveryCodesLeft = IsEnabled ? await twoFactor.RecoveryCodesLeftAsync(user.Id, cancellationToken) : 0;
    }
}
