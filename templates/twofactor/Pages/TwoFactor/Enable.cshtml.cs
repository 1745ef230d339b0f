using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// Shows a new secret as a QR code and as text, for this visit in this browser only; two-factor
// turns on once the password and a code from the app prove it is the user, set up right.
[Authorize]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class EnableModel(UsersDbContext db, TwoFactorService twoFactor, UserAccounts accounts, SecretJudge judge) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public AuthenticatorSetup Setup { get; private set; } = null!;

    public class InputModel
    {
        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Your password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Enter the code your authenticator app shows.")]
        [TotpCode]
        [Display(Name = "Code from the app")]
        public string Code { get; set; } = "";

        // The set-up's secret, encrypted for this session (see TwoFactorService.NewSetup).
        public string? SetupToken { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (user is null || User.SessionId() is not { } sessionId)
        {
            return Challenge();
        }
        if (await twoFactor.IsEnabledAsync(user.Id, cancellationToken))
        {
            return RedirectToPage("./Index");
        }
        Setup = twoFactor.NewSetup(user, sessionId);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (user is null || User.SessionId() is not { } sessionId)
        {
            return Challenge();
        }
        if (await twoFactor.IsEnabledAsync(user.Id, cancellationToken))
        {
            return RedirectToPage("./Index");
        }
        if (twoFactor.ReadSetup(user, sessionId, Input.SetupToken) is not { } setup)
        {
            // Expired, or made for another browser: start again with a new key.
            ModelState.AddModelError(string.Empty, "This set-up has expired. Add the new key below to your app.");
            Setup = twoFactor.NewSetup(user, sessionId);
            return Page();
        }
        Setup = setup;
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var verdict = await judge.JudgeReauthenticationAsync(user, () => accounts.IsPasswordRightAsync(user, Input.Password, cancellationToken), cancellationToken);
        if (verdict != Verdict.Right)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Password)}",
                verdict == Verdict.Wrong ? "The password is not correct." : SecretJudge.PausedMessage);
            return Page();
        }
        if (await twoFactor.EnableAsync(user, setup, Input.Code, cancellationToken) is not { } codes)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Code)}",
                "That code does not match. Check that the app added this site, and that the phone's clock is right.");
            return Page();
        }
        TempData[RecoveryCodesModel.TempDataKey] = string.Join('\n', codes);
        return RedirectToPage("./RecoveryCodes");
    }
}
