using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// Two-factor status, and the changes that need the password (or a current code) again:
// turning it off and replacing the recovery codes.
[Authorize]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class IndexModel(UsersDbContext db, TwoFactorService twoFactor, UserAccounts accounts, SecretJudge judge) : PageModel
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

        [TotpCode]
        [Display(Name = "Or a code from your authenticator app")]
        public string? Code { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
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
        StatusMessage = "Two-factor authentication is off. Signing in needs only your password now. Your other browsers have been signed out.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
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
    // not someone at a browser they left signed in. Wrong answers count toward the lockout.
    private async Task<bool> ReauthenticatedAsync(User user, bool allowCode, CancellationToken cancellationToken)
    {
        async Task<bool> IsRightAsync()
        {
            if (!string.IsNullOrEmpty(Input.Password))
            {
                return await accounts.IsPasswordRightAsync(user, Input.Password, cancellationToken);
            }
            return allowCode && !string.IsNullOrWhiteSpace(Input.Code) && await twoFactor.VerifyCodeAsync(user, Input.Code, cancellationToken);
        }

        var verdict = await judge.JudgeReauthenticationAsync(user, IsRightAsync, cancellationToken);
        if (verdict == Verdict.Right)
        {
            return true;
        }
        ModelState.AddModelError(string.Empty, verdict != Verdict.Wrong ? SecretJudge.PausedMessage
            : allowCode ? "The password or code is not correct." : "The password is not correct.");
        return false;
    }

    private async Task LoadAsync(User user, CancellationToken cancellationToken)
    {
        IsEnabled = await twoFactor.IsEnabledAsync(user.Id, cancellationToken);
        RecoveryCodesLeft = IsEnabled ? await twoFactor.RecoveryCodesLeftAsync(user.Id, cancellationToken) : 0;
    }
}
