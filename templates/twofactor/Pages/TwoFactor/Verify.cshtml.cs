using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// The sign-in step after the password, for users with two-factor on. Until it passes the user
// holds only the short-lived pending cookie, not a session.
[AllowAnonymous]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class VerifyModel(UserSignIn userSignIn, TwoFactorService twoFactor, SecretJudge judge) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public class InputModel
    {
        [TotpCode]
        [Display(Name = "Code from your authenticator app")]
        public string? Code { get; set; }

        // Not [PlainText]: only its letters and digits are compared, so a pasted invisible character is harmless.
        [StringLength(64, ErrorMessage = "A recovery code looks like ABCDE-FGHJK-MNPQR-STVWX-YZ234.")]
        [Display(Name = "Or a recovery code")]
        public string? RecoveryCode { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        return await userSignIn.GetPendingAsync(cancellationToken) is null
            ? RedirectToPage("/Accounts/Login", new { returnUrl = ReturnUrl })
            : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        if (await userSignIn.GetPendingAsync(cancellationToken) is not { } pending)
        {
            return RedirectToPage("/Accounts/Login", new { returnUrl = ReturnUrl });
        }
        if (string.IsNullOrWhiteSpace(Input.Code) && string.IsNullOrWhiteSpace(Input.RecoveryCode))
        {
            ModelState.AddModelError(string.Empty, "Enter the code from your authenticator app, or a recovery code.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = pending.User;
        var usesRecoveryCode = !string.IsNullOrWhiteSpace(Input.RecoveryCode);
        var verdict = await judge.JudgeSignInAsync(user, user.Email, usesRecoveryCode ? Asked.RecoveryCode : Asked.Code,
            () => usesRecoveryCode
                ? twoFactor.RedeemRecoveryCodeAsync(user, Input.RecoveryCode!, cancellationToken)
                : twoFactor.VerifyCodeAsync(user, Input.Code!, cancellationToken),
            cancellationToken);
        switch (verdict)
        {
            case Verdict.LockedOut:
                return RedirectToPage("/Accounts/Lockout");
            case Verdict.TooManyFromAddress:
                ModelState.AddModelError(string.Empty, "Too many failed sign-ins from your network. Wait a few minutes and try again.");
                return Page();
            case Verdict.Wrong:
                ModelState.AddModelError(string.Empty, "That code is not valid, or was already used. Wait for the next code and try again.");
                return Page();
        }

        var factor = usesRecoveryCode ? TwoFactorFactors.RecoveryCode : TwoFactorFactors.AuthenticatorCode;
        return await userSignIn.CompleteAsync(pending, factor, cancellationToken)
            ? LocalRedirect(ReturnUrl)
            : RedirectToPage("/Accounts/Lockout");
    }
}
