using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

[Authorize]
[LimitPostsPerAddress(PostLimit.TypedSecrets)]
public class ChangePasswordModel(UsersDbContext db, UserAccounts accounts, PasswordPolicy policy, IOptions<AccountsOptions> options) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public int PasswordMinLength => options.Value.PasswordMinLength;

    public class InputModel
    {
        [Required(ErrorMessage = "Enter your current password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

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

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.FindSignedInAsync(User, cancellationToken);
        if (user is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            ModelState.AddPasswordPolicyError($"{nameof(Input)}.{nameof(InputModel.NewPassword)}", policy, Input.NewPassword, user.Email);
            return Page();
        }

        var error = await accounts.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword, cancellationToken);
        if (error is { Field: var field, Message: var message })
        {
            ModelState.AddModelError($"{nameof(Input)}.{field}", message);
            return Page();
        }

        StatusMessage = "Your password has been changed. Other browsers signed in to your account have been signed out.";
        return RedirectToPage();
    }
}
