using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// The sign-in step after the password, for users with two-factor on. Until it passes the user
// holds only the short-lived pending cookie, not a session.
[AllowAnonymous]
public class VerifyModel(UserSignIn userSignIn, TwoFactorService twoFactor, AccountLockout lockout, UserEventPublisher events, UsersDbContext db)
    : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public class InputModel
    {
        [RegularExpression(@"^\s*\d{3}\s?\d{3}\s*$", ErrorMessage = "Enter the 6 digits your authenticator app shows.")]
        [Display(Name = "Code from your authenticator app")]
        public string? Code { get; set; }

        [StringLength(20, ErrorMessage = "A recovery code looks like ABCDE-12345.")]
        [Display(Name = "Or a recovery code")]
        public string? RecoveryCode { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        return await userSignIn.GetPendingAsync(cancellationToken) is null
            ? RedirectToPage("/Accounts/Login", new { returnUrl = ReturnUrl })
            : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = LocalOrHome(returnUrl);
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
        if (lockout.IsLockedOut(user))
        {
            return RedirectToPage("/Accounts/Lockout");
        }

        var passed = string.IsNullOrWhiteSpace(Input.RecoveryCode)
            ? await twoFactor.VerifyCodeAsync(user, Input.Code!, cancellationToken)
            : await twoFactor.RedeemRecoveryCodeAsync(user, Input.RecoveryCode, cancellationToken);
        if (!passed)
        {
            // Wrong codes count toward the same lockout as wrong passwords.
            await events.PublishAsync(handler => handler.ModuleEventAsync(
                new ModuleEvent("TwoFactorCodeFailed", user, Succeeded: false, Detail: Input.RecoveryCode is null ? "Code" : "RecoveryCode"), cancellationToken));
            var lockedNow = await lockout.RecordFailureAsync(user, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (lockedNow)
            {
                return RedirectToPage("/Accounts/Lockout");
            }
            ModelState.AddModelError(string.Empty, "That code is not valid, or was already used. Wait for the next code and try again.");
            return Page();
        }

        AccountLockout.Reset(user);
        await userSignIn.CompleteAsync(pending, cancellationToken);
        return LocalRedirect(ReturnUrl);
    }

    private string LocalOrHome(string? returnUrl) => Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
}
