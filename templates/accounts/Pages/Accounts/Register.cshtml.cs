using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

[AllowAnonymous]
[LimitPostsPerAddress(PostLimit.Registration)]
public class RegisterModel(UserAccounts accounts, UserSignIn userSignIn, PasswordPolicy policy, IOptions<AccountsOptions> options) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public int PasswordMinLength => options.Value.PasswordMinLength;

    public class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [AccountEmail]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(AccountLimits.PasswordMaxLength, ErrorMessage = "The password is too long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Type the password again.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The two passwords do not match.")]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        if (!ModelState.IsValid)
        {
            ModelState.AddPasswordPolicyError($"{nameof(Input)}.{nameof(InputModel.Password)}", policy, Input.Password, Input.Email);
            return Page();
        }

        var result = await accounts.SignUpAsync(Input.Email, Input.Password, cancellationToken);
        if (result.HeldAt is not null)
        {
            return LocalRedirect(result.HeldAt);
        }
        if (result.User is null)
        {
            if (result.EmailError is not null)
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Email)}", result.EmailError);
            }
            if (result.PasswordError is not null)
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Password)}", result.PasswordError);
            }
            return Page();
        }

        var progress = await userSignIn.BeginAsync(result.User, rememberMe: false, cancellationToken);
        return progress.StepPage is null
            ? LocalRedirect(ReturnUrl)
            : RedirectToPage(progress.StepPage, new { returnUrl = ReturnUrl });
    }
}
