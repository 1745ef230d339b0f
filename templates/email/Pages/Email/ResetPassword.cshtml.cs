using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Opened from the reset mail. Opening it (GET, which mail scanners do too) uses nothing; the
// form's POST uses the link once.
[AllowAnonymous]
[KeepLinkPrivate]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class ResetPasswordModel(EmailTokens tokens, PasswordReset reset, PasswordPolicy policy, IOptions<AccountsOptions> options) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool LinkIsDead { get; private set; }

    public int PasswordMinLength => options.Value.PasswordMinLength;

    public class InputModel
    {
        [StringLength(64)]
        public string? Token { get; set; }

        [Required(ErrorMessage = "Choose a new password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Type the new password again.")]
        [DataType(DataType.Password)]
        [Compare(nameof(NewPassword), ErrorMessage = "The two passwords do not match.")]
        [Display(Name = "Confirm new password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Input.Token = token;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            if (await LoadAsync(cancellationToken) is { } email)
            {
                ModelState.AddPasswordPolicyError($"{nameof(Input)}.{nameof(InputModel.NewPassword)}", policy, Input.NewPassword, email);
            }
            return Page();
        }
        var outcome = await reset.ResetAsync(Input.Token ?? "", Input.NewPassword, cancellationToken);
        if (outcome.IsLinkDead)
        {
            LinkIsDead = true;
            return Page();
        }
        if (outcome.PasswordError is { } error)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.NewPassword)}", error);
            return Page();
        }
        return RedirectToPage("./Done", new { what = DoneModel.PasswordReset });
    }

    // Returns the account's email, or null when the link is dead.
    private async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        var found = await tokens.FindAsync(Input.Token, TokenPurposes.PasswordReset, cancellationToken);
        LinkIsDead = found is null;
        return found?.User.Email;
    }
}
